#pragma once
// The deliver_sm that reports a status of a customer's message back to their bind (SMPP 3.4
// §4.6.1 and Appendix B): esm_class 0x04 (SMSC delivery receipt) for a final status, 0x20
// (intermediate delivery notification, §5.2.12) for "accepted by the carrier"; the text
// `id:<message id> sub:001 dlvrd:001 submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DELIVRD
// err:000 text:<first 20 characters>`; and the TLVs receipted_message_id (0x001E, smsgw's
// message id as in submit_sm_resp) and message_state (0x0427), with network_error_code (0x0423)
// when the carrier or the submit gave an error (ReceiptErrorOf). Pure; thread-safe.

#include <optional>
#include <string>
#include <string_view>

#include "core/message.h"
#include "smpp/codec/pdu.h"
#include "smpp/codec/tlv.h"
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

// What a receipt says went wrong: `err` of the Appendix B text (3 characters) and the
// network_error_code TLV (0x0423, §5.3.2.31), when there is one to give.
struct ReceiptError {
  std::string err = "000";
  std::optional<smpp::codec::NetworkErrorCode> network;
};

// §5.3.2.31 network types smsgw reports.
inline constexpr uint8_t kNetworkTypeSmppError = 7;      // a submit_sm_resp command_status
inline constexpr uint8_t kNetworkTypeMessageCenter = 8;  // a carrier's (SMSC-specific) code

// The error of a receipt row. A failure (UnDelivered, NotSent) with the carrier's err from its
// receipt (job.err): that err in 3 characters (letters and digits kept, upper-case; shorter ones
// left-padded with '0', longer ones cut to their last 3), and, when it is a decimal number up to
// 65535, network_error_code (8: message center specific, the number). A failure whose
// status_details names a submit_sm_resp command_status ("ESME_RINVDSTADR"): err its value in 3
// hex digits ("00B"), network_error_code (7: SMPP error, the value). Otherwise "000" and none
// (delivered, en route, expired, cancelled, or a code smsgw does not know).
ReceiptError ReceiptErrorOf(const store::SmppOutboxJob& job);

// The address of a deliver_sm's source or destination (§5.2.8-9, at most 20 characters): digits
// (after a leading '+') as an international E.164 number (TON 1, NPI 1), anything else as
// alphanumeric (TON 5).
smpp::codec::Address DeliverAddress(std::string_view addr);

// The deliver_sm for a receipt row (job.kind == kReceipt). The sequence number is the caller's.
smpp::codec::DeliverSm ReceiptDeliverSm(const store::SmppOutboxJob& job);

}  // namespace smsgw::smpp_server
