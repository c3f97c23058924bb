#include "delivery/submit_plan.h"

#include <algorithm>
#include <cmath>

#include "smpp/codec/submit_builder.h"
#include "text/encoding.h"

namespace smsgw::delivery {

namespace codec = smpp::codec;

uint16_t ConcatReference(std::string_view message_id, text::ConcatMethod method) {
  // FNV-1a: stable across processes and builds, unlike std::hash.
  uint32_t h = 2166136261u;
  for (const char c : message_id) {
    h = (h ^ static_cast<uint8_t>(c)) * 16777619u;
  }
  h ^= h >> 16;
  return method == text::ConcatMethod::kUdh16 ? static_cast<uint16_t>(h)
                                              : static_cast<uint16_t>(h & 0xFF);
}

core::Result<std::vector<codec::SubmitSm>> PlanSubmits(const core::Message& message,
                                                       const WireSettings& wire,
                                                       std::chrono::seconds validity_left) {
  codec::SubmitFields fields;
  fields.source = message.sender;
  fields.source_override = wire.source_override;
  fields.destination = message.recipient;
  fields.dest_override = wire.dest_override;
  fields.flash = message.flash;
  fields.registered_delivery = codec::kRegisteredDeliveryFinal;
  fields.validity = std::max(validity_left, std::chrono::seconds(60));
  if (wire.dlt) {
    fields.dlt_entity_id = message.entity_id;
    fields.dlt_template_id = message.template_id;
  }
  text::WireOptions options;
  options.method = wire.concat;
  options.reference = ConcatReference(message.id, wire.concat);
  // The encoding was chosen when the message was accepted (and reported to the client); the
  // same choice is made again here, never a different one.
  const text::UnicodeMode mode = message.encoding == core::Encoding::kUcs2
                                     ? text::UnicodeMode::kUcs2
                                     : text::UnicodeMode::kGsm7;
  return codec::BuildMessageSubmits(message.body, mode, options, std::move(fields));
}

core::TimePoint ValidUntil(const core::Message& message, std::chrono::seconds validity) {
  const core::TimePoint gateway = message.send_at.value_or(message.created_at) + validity;
  return message.expires_at ? std::min(gateway, *message.expires_at) : gateway;
}

std::chrono::milliseconds RetryDelay(int attempts, std::chrono::milliseconds min,
                                     std::chrono::milliseconds max, double jitter) {
  double delay = static_cast<double>(min.count()) * std::pow(2.0, std::clamp(attempts, 0, 30));
  delay = std::min(delay, static_cast<double>(max.count()));
  delay *= 0.8 + 0.4 * std::clamp(jitter, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<int64_t>(delay));
}

}  // namespace smsgw::delivery
