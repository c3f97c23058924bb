#pragma once
// CallbackProfileStore holds each account's callback profiles: where and how delivery-status and
// inbound webhooks are sent when a send request names `callback_profile_id` (or names no
// callback at all and the account has a default profile). Calls block and are safe from any
// thread. The fields are validated by the caller (api/callback_profile_requests.h); the store keeps
// them as given.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace smsgw::store {

// When a failed webhook is tried again. Any 2xx ends it; the policy says how long to go on.
struct RetryPolicy {
  enum class Kind : uint8_t {
    kFixed = 0,        // one retry after each of `intervals`, in order, then give up
    kExponential = 1,  // initial, doubled each time up to max_delay, ±20% jitter, until horizon
  };
  Kind kind = Kind::kFixed;
  std::vector<std::chrono::seconds> intervals;  // kFixed
  std::chrono::seconds initial{10};             // kExponential
  std::chrono::seconds max_delay{3600};         // kExponential
  // kExponential: no retry is scheduled later than this after the event was first due.
  std::chrono::seconds horizon{86400};

  friend bool operator==(const RetryPolicy&, const RetryPolicy&) = default;
};

struct CallbackAuth {
  enum class Kind : uint8_t {
    kNone = 0,
    kBasic = 1,  // Authorization: Basic base64(user:password)
    // Authorization: Bearer <token>, the token fetched from token_url with the OAuth 2 client
    // credentials grant (client_id, client_secret) and cached until it expires.
    kBearerToken = 2,
  };
  Kind kind = Kind::kNone;
  std::string user, password;                       // kBasic
  std::string token_url, client_id, client_secret;  // kBearerToken

  friend bool operator==(const CallbackAuth&, const CallbackAuth&) = default;
};

struct CallbackProfile {
  std::string id;  // "<REGION>_<uuid>", e.g. "IN_0d4c6f5e-8a11-4c1e-9b6a-1f2e3d4c5b6a"
  std::string sid;
  std::string name;                                          // free text for people; may be empty
  std::string url;                                           // http(s)
  std::string method;                                        // "GET", "POST" or "PUT"
  std::vector<std::pair<std::string, std::string>> headers;  // static headers, in order
  CallbackAuth auth;
  // The request body with <variable> placeholders (the callback's field names); empty: the
  // default JSON body (POST, PUT) or query parameters (GET).
  std::string body_template;
  RetryPolicy retry;
  bool is_default = false;  // the account's default profile (at most one per account)
  core::TimePoint created_at;
  core::TimePoint updated_at;

  friend bool operator==(const CallbackProfile&, const CallbackProfile&) = default;
};

class CallbackProfileStore {
 public:
  virtual ~CallbackProfileStore() = default;

  // kNotFound when the account does not exist; kConflict when the id exists. A profile created
  // with is_default takes that role from the account's earlier default, in the same transaction.
  virtual core::Result<void> CreateCallbackProfile(const CallbackProfile& profile) = 0;
  // kNotFound when the account has no such profile.
  virtual core::Result<CallbackProfile> GetCallbackProfile(std::string_view sid,
                                                           std::string_view id) = 0;
  // The account's profiles ordered by id; kNotFound when the account does not exist.
  virtual core::Result<std::vector<CallbackProfile>> ListCallbackProfiles(std::string_view sid) = 0;
  // Replaces every field but id, sid and created_at (the caller read, changed and validated the
  // whole profile); kNotFound when there is no such profile. is_default as in Create.
  virtual core::Result<void> UpdateCallbackProfile(const CallbackProfile& profile) = 0;
  // kNotFound when there is no such profile. Webhooks still waiting that name it fail at their
  // next attempt ("callback profile deleted") and end exhausted.
  virtual core::Result<void> DeleteCallbackProfile(std::string_view sid, std::string_view id) = 0;

  // A counter that changes (in every process sharing the store) whenever a profile of any account
  // is created or deleted, so the send path can cache which profiles exist. It may also change
  // for other reasons. No I/O.
  virtual uint64_t CallbackProfilesVersion() const = 0;
};

}  // namespace smsgw::store
