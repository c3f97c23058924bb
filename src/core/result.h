#pragma once
// Errors as values. Result<T> carries a T or an Error (a std::error_code in the smsgw category or
// another, plus a human-readable message). Untrusted input never throws: parsers return Result.

#include <expected>
#include <string>
#include <system_error>
#include <utility>

namespace smsgw::core {

// The canonical failure kinds shared by every layer (after absl/gRPC status codes).
enum class Errc {
  kInvalidArgument = 1,
  kNotFound,
  kUnauthenticated,
  kPermissionDenied,
  kConflict,
  kUnavailable,
  kTimeout,
  kRejected,
  kInternal,
};

const std::error_category& SmsgwCategory() noexcept;

inline std::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), SmsgwCategory()};
}

struct Error {
  std::error_code code;
  std::string message;
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> MakeError(Errc code, std::string message) {
  return std::unexpected(Error{make_error_code(code), std::move(message)});
}

}  // namespace smsgw::core

template <>
struct std::is_error_code_enum<smsgw::core::Errc> : std::true_type {};
