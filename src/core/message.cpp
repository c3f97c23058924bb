#include "core/message.h"

#include <array>

#include "core/strings.h"

namespace smsgw::core {

std::string_view ToString(Encoding e) {
  switch (e) {
    case Encoding::kGsm7:
      return "GSM7";
    case Encoding::kUcs2:
      return "UCS2";
    case Encoding::kBinary:
      return "BINARY";
  }
  return "GSM7";
}

namespace {
constexpr std::array<std::string_view, 5> kRouteNames = {"OTP", "TXN", "TXND", "MKT", "DEFAULT"};
}

std::string_view ToString(RouteType t) { return kRouteNames[static_cast<size_t>(t)]; }

std::optional<RouteType> ParseRouteType(std::string_view text) {
  for (size_t i = 0; i < kRouteNames.size(); ++i) {
    if (EqualsIgnoreCase(text, kRouteNames[i])) {
      return static_cast<RouteType>(i);
    }
  }
  return std::nullopt;
}

std::string_view KaleyraStatus(MessageState s) {
  switch (s) {
    case MessageState::kQueued:
    case MessageState::kScheduled:
    case MessageState::kSubmitting:
      return "Pending";
    case MessageState::kSubmitted:
      return "Sent";
    case MessageState::kDelivered:
      return "Delivered";
    case MessageState::kUndelivered:
      return "UnDelivered";
    case MessageState::kNotSent:
      return "NotSent";
  }
  return "Pending";
}

}  // namespace smsgw::core
