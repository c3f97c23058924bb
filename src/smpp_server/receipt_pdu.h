#pragma once
// The deliver_sm that reports a status of a customer's message back to their bind (SMPP 3.4
// §4.6.1 and Appendix B): esm_class 0x04 (SMSC delivery receipt) for a final status, 0x20
// (intermediate delivery notification, §5.2.12) for "accepted by the carrier"; the text
// `id:<message id> sub:001 dlvrd:001 submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DELIVRD
// err:000 text:<first 20 characters>`; and the TLVs receipted_message_id (0x001E, smsgw's
// message id as in submit_sm_resp) and message_state (0x0427). Pure; thread-safe.

#include <string>
#include <string_view>

#include "core/message.h"
#include "smpp/codec/pdu.h"
#include "store/smpp_outbox_store.h"

namespace smsgw::smpp_server {

// §5.2.28 message_state of a message in `state` with `details` (its status_details): ENROUTE
// until final; DELIVERED; EXPIRED; DELETED for one cancelled; UNDELIVERABLE for any other failure.
smpp::codec::MessageState SmppStateOf(core::MessageState state, std::string_view details);

// The first `n` characters (code points) of UTF-8 `text`, each written as '?' unless it is one of
// the printable ASCII characters that GSM 03.38 puts at the same code ('$', '@', [\]^_` and {|}~
// are not): the receipt text (data_coding 0) reads the same as IA5 or as GSM, whatever the
// message's alphabet.
std::string ReceiptTextExcerpt(std::string_view text, size_t n = 20);

// The deliver_sm for a receipt row (job.kind == kReceipt). The sequence number is the caller's.
smpp::codec::DeliverSm ReceiptDeliverSm(const store::SmppOutboxJob& job);

}  // namespace smsgw::smpp_server
