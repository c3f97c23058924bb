#include "delivery/receipts.h"

#include "core/delivery_status.h"
#include "core/strings.h"
#include "smpp/codec/receipt.h"

namespace smsgw::delivery {

namespace codec = smpp::codec;

IdFormats IdFormatsFor(config::DlrIdFormat format) {
  switch (format) {
    case config::DlrIdFormat::kAuto:
      return {codec::IdFormat::kAuto, codec::IdFormat::kAuto};
    case config::DlrIdFormat::kHex:
      return {codec::IdFormat::kHex, codec::IdFormat::kHex};
    case config::DlrIdFormat::kDecimal:
      return {codec::IdFormat::kDecimal, codec::IdFormat::kDecimal};
    case config::DlrIdFormat::kHexDecimal:
      return {codec::IdFormat::kHex, codec::IdFormat::kDecimal};
  }
  return {codec::IdFormat::kAuto, codec::IdFormat::kAuto};
}

std::optional<core::Result<store::ReceiptRecord>> ReadReceipt(const codec::Pdu& pdu,
                                                              std::string_view connector,
                                                              codec::IdFormat format,
                                                              core::TimePoint now) {
  core::Result<codec::DeliveryReceipt> parsed;
  if (const auto* sm = std::get_if<codec::DeliverSm>(&pdu.body)) {
    if (!codec::IsDeliveryReceipt(sm->esm_class)) {
      return std::nullopt;
    }
    parsed = codec::ParseReceipt(*sm);
  } else if (const auto* data = std::get_if<codec::DataSm>(&pdu.body)) {
    if (!codec::IsDeliveryReceipt(data->esm_class)) {
      return std::nullopt;
    }
    parsed = codec::ParseReceipt(*data);
  } else {
    return std::nullopt;
  }
  if (!parsed) {
    return std::unexpected(parsed.error());
  }
  store::ReceiptRecord record;
  record.connector = std::string(connector);
  record.smsc_id = codec::NormalizeMessageId(parsed->message_id, format);
  record.stat = core::ToUpperAscii(parsed->stat);
  record.state = core::PartStateFromStat(record.stat);
  record.err = parsed->err;
  record.at = now;
  return record;
}

}  // namespace smsgw::delivery
