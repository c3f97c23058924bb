// Fuzzes the delivery-receipt text parser and the SMSC message-id normaliser with arbitrary
// text. Parsing must not crash; a receipt it returns must be self-consistent (an id or a stat,
// the state its stat word names, dates in 2000..2099) and survive FormatReceiptText with its
// id and state; normalising an id must be idempotent.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "smpp/codec/message_id.h"
#include "smpp/codec/receipt.h"

namespace {

using namespace smsgw;  // NOLINT: a fuzz driver, not library code
namespace codec = smpp::codec;

void Check(bool ok) {
  if (!ok) {
    __builtin_trap();
  }
}

bool InRange(const std::optional<core::TimePoint>& t) {
  using namespace std::chrono;
  static const core::TimePoint kFirst = sys_days(year(2000) / 1 / 1);
  static const core::TimePoint kEnd = sys_days(year(2100) / 1 / 1);
  return !t.has_value() || (*t >= kFirst && *t < kEnd);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const core::Result<codec::DeliveryReceipt> receipt = codec::ParseReceiptText(text);
  if (receipt.has_value()) {
    Check(!receipt->message_id.empty() || !receipt->stat.empty());
    Check(receipt->state == codec::StateFromStat(receipt->stat));
    Check(InRange(receipt->submit_date) && InRange(receipt->done_date));
    Check(!receipt->submitted.has_value() || *receipt->submitted >= 0);
    const core::Result<codec::DeliveryReceipt> again =
        codec::ParseReceiptText(codec::FormatReceiptText(*receipt));
    Check(again.has_value() && again->message_id == receipt->message_id &&
          again->state == receipt->state);
  }

  // The same text in a deliver_sm, as short_message or message_payload.
  codec::DeliverSm deliver;
  if (size <= codec::kMaxShortMessage) {
    deliver.short_message.assign(data, data + size);
  } else {
    deliver.tlvs.Set(codec::tag::kMessagePayload, std::vector<uint8_t>(data, data + size));
  }
  const auto from_pdu = codec::ParseReceipt(deliver);
  Check(!from_pdu.has_value() || !from_pdu->message_id.empty());

  // Normalising is idempotent, and its output is already in the decimal form.
  const std::string automatic = codec::NormalizeMessageId(text, codec::IdFormat::kAuto);
  Check(codec::NormalizeMessageId(automatic, codec::IdFormat::kAuto) == automatic);
  Check(codec::NormalizeMessageId(automatic, codec::IdFormat::kDecimal) == automatic);
  const std::string decimal = codec::NormalizeMessageId(text, codec::IdFormat::kDecimal);
  Check(codec::NormalizeMessageId(decimal, codec::IdFormat::kDecimal) == decimal);
  const std::string hex = codec::NormalizeMessageId(text, codec::IdFormat::kHex);
  Check(codec::NormalizeMessageId(hex, codec::IdFormat::kDecimal) == hex);
  return 0;
}
