#pragma once
// Delivery receipts as the simulator writes them: whether an accepted submit_sm gets one
// (registered_delivery, and for a part of a concatenated message the MultipartReceipts
// choice), and the receipt deliver_sm itself: esm_class 0x04, the SMPP 3.4 Appendix B text
// (codec::FormatReceiptText) and the receipted_message_id and message_state TLVs.
// Pure functions; thread-safe.

#include <cstdint>
#include <optional>
#include <string>

#include "core/time.h"
#include "smpp/codec/pdu.h"
#include "smsc_sim/config.h"
#include "text/udh.h"

namespace smsgw::smsc_sim {

// SMPP 3.4 §5.2.17 registered_delivery bits 1..0: 1 = a receipt on success or failure,
// 2 = on failure only; 3 (reserved in 3.4) is read as SMPP 5.0 does, on success only.
bool WantsReceipt(uint8_t registered_delivery, smpp::codec::MessageState final_state);

// Which part of a concatenated message `submit` is: from the UDH (IEI 0x00 or 0x08) when
// esm_class has UDHI, else from the sar_* TLVs; nullopt for a message in one part.
std::optional<text::ConcatInfo> PartOf(const smpp::codec::SubmitSm& submit);

// Whether this part gets a receipt: every part with kPerPart; only the last (seqnum == total)
// with kLastPart. A message in one part always does.
bool ReceiptForPart(MultipartReceipts mode, const std::optional<text::ConcatInfo>& part);

// Up to the first 20 characters of the submitted text for the receipt's text field, decoded
// by data_coding, with every character that is not the same in ASCII and in the GSM 03.38
// default alphabet (letters, digits, space and most punctuation; not @ $ _ [ ] { } and the
// like) replaced by '?', so the receipt reads the same as GSM-7 or as ASCII. Empty for
// binary data.
std::string ReceiptTextSample(const smpp::codec::SubmitSm& submit);

// What a receipt needs from its submit_sm; the done date is added when it is sent.
struct ReceiptInfo {
  std::string message_id;
  smpp::codec::Address handset;  // the submit's destination: the receipt's source
  smpp::codec::Address esme;     // the submit's source: the receipt's destination
  smpp::codec::MessageState state = smpp::codec::MessageState::kDelivered;
  std::string err = "000";
  core::TimePoint submitted{};
  std::string text{};
};

ReceiptInfo MakeReceiptInfo(const smpp::codec::SubmitSm& submit, std::string message_id,
                            smpp::codec::MessageState state, std::string err,
                            core::TimePoint submitted);

// The receipt deliver_sm. For UNDELIV it also carries network_error_code (GSM, err).
smpp::codec::DeliverSm MakeReceipt(const ReceiptInfo& info, core::TimePoint done);

}  // namespace smsgw::smsc_sim
