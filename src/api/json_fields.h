#pragma once
// Reading the members of a request's JSON object, for the /ext/v1 validators
// (callback_profile_requests, inbound_number_requests, webhook_requests): absent and null are
// the same, numbers may be JSON numbers (a document built by the CLI) or strings (the API's
// parsers read numbers as strings), and every bad field is collected. Pure; header-only.

#include <rapidjson/document.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/errors.h"

namespace smsgw::api::fields {

using rapidjson::Value;

// A present, non-null member, or nullptr.
inline const Value* Find(const Value& obj, std::string_view name) {
  if (!obj.IsObject()) {
    return nullptr;
  }
  auto it = obj.FindMember(Value(rapidjson::StringRef(name.data(), name.size())));
  return it == obj.MemberEnd() || it->value.IsNull() ? nullptr : &it->value;
}

inline std::string_view Str(const Value& v) { return {v.GetString(), v.GetStringLength()}; }

inline bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// An integer in [lo, hi], from a JSON integer or a string of digits; nullopt otherwise.
inline std::optional<int64_t> IntegerIn(const Value& v, int64_t lo, int64_t hi) {
  int64_t n = 0;
  if (v.IsInt64()) {
    n = v.GetInt64();
  } else if (v.IsString() && AllDigits(Str(v)) && v.GetStringLength() <= 12) {
    n = std::stoll(std::string(Str(v)));
  } else {
    return std::nullopt;
  }
  return n >= lo && n <= hi ? std::optional<int64_t>(n) : std::nullopt;
}

// true/false, also as the strings "true"/"false"/"1"/"0" (form bodies); nullopt otherwise.
inline std::optional<bool> Boolean(const Value& v) {
  if (v.IsBool()) {
    return v.GetBool();
  }
  if (v.IsString()) {
    const std::string_view s = Str(v);
    if (s == "true" || s == "1") {
      return true;
    }
    if (s == "false" || s == "0") {
      return false;
    }
  }
  return std::nullopt;
}

// Collects every bad field.
class Errors {
 public:
  void Add(ApiError e, std::string reason = {}, std::string field = {}) {
    list_.push_back(MakeFieldError(e, std::move(reason), std::move(field)));
  }
  bool Empty() const { return list_.empty(); }
  FieldErrors Take() { return std::move(list_); }

 private:
  FieldErrors list_;
};

}  // namespace smsgw::api::fields
