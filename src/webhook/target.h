#pragma once
// Target is where and how one webhook is sent: url, method, static headers, authentication, an
// optional body template and the retry policy. It is resolved from the webhook's inline callback
// (the JSON object a send request's `callback` carries, api/send_request.cpp) or from a
// store::CallbackProfile. Pure functions; thread-safe.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "store/callback_profile_store.h"

namespace smsgw::webhook {

struct Target {
  std::string url;
  std::string method = "POST";                               // "GET", "POST" or "PUT", upper-case
  std::vector<std::pair<std::string, std::string>> headers;  // static headers, in order
  store::CallbackAuth auth;
  std::string body_template;  // empty: the default body (JSON, or query parameters for GET)
  store::RetryPolicy retry;

  friend bool operator==(const Target&, const Target&) = default;
};

// An inline callback without `retry`: 3 retries 10 s apart (the contract's default).
store::RetryPolicy DefaultInlineRetry();

// Reads an inline callback: {"url", "method": GET|POST (default POST), "header": {name: value},
// "retry": {"count": n, "interval": [seconds, ...]}}; numbers may be JSON numbers or strings.
// `retry` becomes a kFixed policy of `count` retries at interval[i] seconds; when there are fewer
// intervals than `count` the last one repeats, with none they are 10 s; without `count` there is
// one retry per interval. The API validated the text when it was accepted, so this only refuses
// what cannot be sent at all (kInvalidArgument: not an object, no http(s) url, a bad method).
// Intervals of 0 s are allowed here (the API asks for 1..86400).
core::Result<Target> TargetFromCallback(std::string_view callback_json);

Target TargetFromProfile(const store::CallbackProfile& profile);

// "scheme://host:port" of an http(s) URL, lower-case, with the default port filled in: the key
// that per-host limits count by. Empty for a URL it cannot read.
std::string HostKey(std::string_view url);

}  // namespace smsgw::webhook
