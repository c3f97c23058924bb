#pragma once
// A customer's submit_sm as the fields of an API send (the JSON object api::ValidateSend reads),
// so that an SMPP submit goes through the very rules of `POST /v1/{sid}/messages`; and the
// command_status for what that validation refused. The PDU is untrusted: every length is bounded
// by the codec, and anything this step cannot honour is refused rather than half-sent. Pure;
// thread-safe.

#include <rapidjson/document.h>

#include <expected>

#include "api/errors.h"
#include "smpp/codec/command_status.h"
#include "smpp/codec/pdu.h"

namespace smsgw::smpp_server {

// Fills `fields` (made an object) with `to`, `sender`, `body`, `flash` and `channel` ("smpp").
// The text is short_message, or message_payload when short_message is empty, decoded by its
// data_coding (0 and the GSM DCS groups: GSM-7 one septet per octet; 1 IA5; 3 Latin-1; 8 UCS-2);
// class 0 (0x10, 0x18) makes a flash message. Refused, with the status to answer:
//   a UDH (esm_class UDHI) or SAR TLVs: concatenated input   ESME_RINVESMCLASS
//   binary or an undecoded alphabet                           ESME_RSUBMITFAIL
//   schedule_delivery_time / validity_period set              ESME_RINVSCHED / ESME_RINVEXPIRY
//   no text at all                                            ESME_RINVMSGLEN
std::expected<void, smpp::codec::CommandStatus> SubmitFields(const smpp::codec::SubmitSm& submit,
                                                             rapidjson::Document& fields);

// The command_status for a refused send: by its first error (ValidateSend reports in table order,
// `to` first): a recipient ESME_RINVDSTADR, the sender ESME_RINVSRCADR, the body
// ESME_RINVMSGLEN, the store ESME_RSYSERR, anything else ESME_RSUBMITFAIL.
smpp::codec::CommandStatus StatusFor(const api::FieldErrors& errors);

}  // namespace smsgw::smpp_server
