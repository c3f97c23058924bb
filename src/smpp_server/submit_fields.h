#pragma once
// A customer's submit (submit_sm; data_sm and each destination of submit_multi are read as one)
// as the fields of an API send (the JSON object api::ValidateSend reads), so that an SMPP submit
// goes through the very rules of `POST /v1/{sid}/messages`; and the command_status for what that
// validation refused. The PDU is untrusted: every length is bounded by the codec or here, and
// anything smsgw cannot honour is refused rather than half-sent. Pure; thread-safe.

#include <rapidjson/document.h>

#include <expected>
#include <optional>
#include <string>

#include "api/errors.h"
#include "api/send_request.h"
#include "core/time.h"
#include "smpp/codec/command_status.h"
#include "smpp/codec/pdu.h"

namespace smsgw::smpp_server {

// What a submit carries beyond the API's fields, checked once the send is validated (Accept).
struct SubmitExtras {
  std::optional<core::TimePoint> valid_until{};  // validity_period; nullopt: the default
  std::string entity_id{};                       // TLV 0x1400, the DLT principal entity id
};

// The longest DLT id (0x1400 / 0x1401) taken from a customer; the API's template ids are 12-30
// digits and the registered entity ids 19.
inline constexpr size_t kMaxDltId = 64;

// Fills `fields` (made an object) with `to`, `sender`, `body`, `flash` and `channel` ("smpp"),
// `time` (schedule_delivery_time, absolute or relative to `now`, as the API's ISO 8601 `time`, so
// that the API's 15-minutes-to-92-days window applies) and `template_id` (TLV 0x1401). The text
// is short_message, or message_payload when short_message is empty, decoded by its data_coding
// (0 and the GSM DCS groups: GSM-7 one septet per octet; 1 IA5; 3 Latin-1; 8 UCS-2); class 0
// (0x10, 0x18) makes a flash message. Refused, with the status to answer:
//   a UDH (esm_class UDHI) or SAR TLVs: a part (reassembly.h
//     joins parts into one submit_sm before this)            ESME_RINVESMCLASS
//   binary or an undecoded alphabet                           ESME_RSUBMITFAIL
//   schedule_delivery_time / validity_period not SMPP times   ESME_RINVSCHED / ESME_RINVEXPIRY
//   a DLT TLV longer than kMaxDltId                           ESME_RINVOPTPARAMVAL
//   no text at all                                            ESME_RINVMSGLEN
std::expected<SubmitExtras, smpp::codec::CommandStatus> SubmitFields(
    const smpp::codec::SubmitSm& submit, core::TimePoint now, rapidjson::Document& fields);

// data_sm (§4.7.1) and one destination of submit_multi (§4.5.1) as the submit_sm they amount to:
// data_sm has no time fields and carries its text in message_payload.
smpp::codec::SubmitSm AsSubmitSm(const smpp::codec::DataSm& data);
smpp::codec::SubmitSm AsSubmitSm(const smpp::codec::SubmitMulti& multi,
                                 const smpp::codec::Address& dest);

// The validated send, checked against what only the PDU said:
//   a validity_period that ends before the message may be sent (now, or its schedule)
//                                                          ESME_RINVEXPIRY
//   an entity id (0x1400) other than the one registered for the sender   ESME_RINVSRCADR
// A DLT send (one with a template) whose sender has no registered entity id takes the customer's.
std::expected<void, smpp::codec::CommandStatus> Accept(const SubmitExtras& extras,
                                                       core::TimePoint now,
                                                       api::SendRequest& request);

// The command_status for a refused send: by its first error (ValidateSend reports in table order,
// `to` first): a recipient ESME_RINVDSTADR, the sender ESME_RINVSRCADR, the body
// ESME_RINVMSGLEN, `time` ESME_RINVSCHED, the store ESME_RSYSERR, anything else ESME_RSUBMITFAIL.
smpp::codec::CommandStatus StatusFor(const api::FieldErrors& errors);

}  // namespace smsgw::smpp_server
