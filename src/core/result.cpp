#include "core/result.h"

namespace smsgw::core {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "smsgw"; }
  std::string message(int value) const override {
    switch (static_cast<Errc>(value)) {
      case Errc::kInvalidArgument:
        return "invalid argument";
      case Errc::kNotFound:
        return "not found";
      case Errc::kUnauthenticated:
        return "unauthenticated";
      case Errc::kPermissionDenied:
        return "permission denied";
      case Errc::kConflict:
        return "conflict";
      case Errc::kUnavailable:
        return "unavailable";
      case Errc::kTimeout:
        return "timeout";
      case Errc::kRejected:
        return "rejected";
      case Errc::kInternal:
        return "internal error";
    }
    return "unknown error";
  }
};

}  // namespace

const std::error_category& SmsgwCategory() noexcept {
  static const Category category;
  return category;
}

}  // namespace smsgw::core
