#pragma once
// Why a submit did not get an answer from the SMSC, as std::error_code values next to the
// SMSC's own answers (codec::CommandStatus). Every one of these leaves the message unsent or
// its fate unknown, never refused: delivery retries them (IsRetriable).

#include <string>
#include <system_error>

namespace smsgw::smpp {

enum class SessionError {
  kResponseTimeout = 1,  // no submit_sm_resp in time; the SMSC may still have taken it
  kLinkDown,             // the connection closed with the request in the window or queue
  kNotBound,             // no transmitting bind is up right now
  kStopped,              // the session is shutting down
  kNoTransmitter,        // a receiver-only session cannot submit (a configuration error)
  kUnbound,              // why a link closed: the SMSC sent unbind
};

const std::error_category& SessionErrorCategory() noexcept;

inline std::error_code make_error_code(SessionError e) noexcept {
  return {static_cast<int>(e), SessionErrorCategory()};
}

// Whether the same submit may succeed later: the session's own failures except kNoTransmitter,
// and the SMSC's temporary statuses (codec::IsTemporary). Success is not retriable.
bool IsRetriable(const std::error_code& error);

// How a submit's outcome is named in logs and statuses: "ESME_ROK" for success, the ESME_ name
// of an SMSC's command_status, else the error's message.
std::string StatusName(const std::error_code& status);

}  // namespace smsgw::smpp

template <>
struct std::is_error_code_enum<smsgw::smpp::SessionError> : std::true_type {};
