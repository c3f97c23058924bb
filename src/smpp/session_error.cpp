#include "smpp/session_error.h"

#include <string>

#include "smpp/codec/command_status.h"

namespace smsgw::smpp {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "smpp-session"; }
  std::string message(int value) const override {
    switch (static_cast<SessionError>(value)) {
      case SessionError::kResponseTimeout:
        return "no response from the SMSC in time";
      case SessionError::kLinkDown:
        return "the SMPP link went down";
      case SessionError::kNotBound:
        return "no transmitting bind is up";
      case SessionError::kStopped:
        return "the session is stopping";
      case SessionError::kNoTransmitter:
        return "a receiver-only session cannot submit";
      case SessionError::kUnbound:
        return "the SMSC unbound";
    }
    return "unknown session error";
  }
};

}  // namespace

const std::error_category& SessionErrorCategory() noexcept {
  static const Category category;
  return category;
}

bool IsRetriable(const std::error_code& error) {
  if (!error) {
    return false;
  }
  if (error.category() == SessionErrorCategory()) {
    return error != SessionError::kNoTransmitter;
  }
  if (error.category() == codec::CommandStatusCategory()) {
    return codec::IsTemporary(static_cast<uint32_t>(error.value()));
  }
  return true;  // socket errors: the link, not the message
}

std::string StatusName(const std::error_code& status) {
  if (!status) {
    return "ESME_ROK";
  }
  if (status.category() == codec::CommandStatusCategory()) {
    return std::string(codec::EsmeName(static_cast<uint32_t>(status.value())));
  }
  return status.message();
}

}  // namespace smsgw::smpp
