#pragma once
// Callback profiles as clients see them (docs/api/callback-profiles.md): validation of a profile
// sent to `/ext/v1/{sid}/callback-profiles` (or built by `smsgw callback-profile` from its flags,
// so that both go through one set of rules), reporting every bad field at once; and the JSON the
// endpoints answer, which never shows a secret (password, client_secret, every static header
// value and the password of a URL's userinfo: "****"). Pure except
// NewCallbackProfileId; thread-compatible.

#include <rapidjson/document.h>

#include <array>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "api/callback_tester.h"
#include "api/errors.h"
#include "api/inline_callback.h"
#include "core/region.h"
#include "core/time.h"
#include "store/callback_profile_store.h"

namespace smsgw::api {

inline constexpr size_t kMaxBodyTemplate = 8000;  // code points
inline constexpr size_t kMaxFixedRetries = 20;
inline constexpr int64_t kMaxRetryDelaySeconds = 86400;
inline constexpr int64_t kMaxRetryHorizonSeconds = 7 * 86400;

// The names a body_template may use as <placeholders>: the fields of a delivery-status callback
// and of an inbound (MO) callback.
inline constexpr std::array<std::string_view, 23> kCallbackFieldNames = {
    "id",          "message_id", "recipient",     "sender",    "status", "status_trace",
    "description", "error_code", "segments",      "timestamp", "ref",    "ref1",
    "ref2",        "ref_custom", "campaign_name", "event_id",  "source", "message",
    "keyword",     "kid",        "parts",         "operator",  "circle"};

// "<prefix>_<uuid>" with the region's profile prefix (core::RegionRules::profile_prefix), as
// send requests name profiles in `callback_profile_id`.
bool IsCallbackProfileId(std::string_view id, core::Region region);
// A new such id (a UUIDv7 after the prefix).
std::string NewCallbackProfileId(core::Region region);

// The <name> placeholders of a body template that are not callback fields, in order of first
// appearance. A '<' that does not open <name> (letters, digits, '_', '-', '.'; 1-64) is text.
std::vector<std::string> UnknownPlaceholders(std::string_view body_template);

// A whole profile (POST, PUT): `url` is required; `name`, `method` (GET, POST, PUT; default
// POST), `headers`, `auth`, `body_template`, `retry` (default fixed [10, 10, 10]) and `default`
// are optional, absent meaning their default. Numbers may be JSON numbers or strings; `url` and a
// bearer `token_url` must be targets `egress` allows (core::EgressPolicy::UrlProblem). Returns the
// profile with `id`, `sid` and both times set to `now`.
std::expected<store::CallbackProfile, FieldErrors> ValidateCallbackProfile(
    const rapidjson::Value& fields, std::string_view sid, std::string_view id, core::TimePoint now,
    const core::EgressPolicy& egress);

// After a PUT: a secret sent as a GET answered it keeps the stored one: a password or
// client_secret of kMaskedSecret when the stored profile has the same kind of auth, a header
// value of kMaskedSecret when the stored profile has that header, a url or token_url equal to the
// stored one's MaskedUrl. Also keeps `stored.created_at`.
void KeepStoredSecrets(store::CallbackProfile& updated, const store::CallbackProfile& stored);

// {"id", "name", "url", "method", "headers": {name: "****"},
//  "auth": null | {"type": "basic", "username", "password": "****"}
//          | {"type": "bearer", "token_url", "client_id", "client_secret": "****"},
//  "body_template", "retry": {"type": "fixed", "intervals": [...]} | {"type": "exponential",
//  "initial", "max_delay", "horizon"}, "default", "created_at", "updated_at"}
// (url and token_url with any userinfo password masked).
std::string CallbackProfileJson(const store::CallbackProfile& profile);
// {"totalCount": n, "data": [profile, ...], "error": {}}
std::string CallbackProfileListJson(const std::vector<store::CallbackProfile>& profiles);
// The answer of a test webhook to `profile` (POST .../callback-profiles/{id}/test):
// {"event_id", "url" (masked as in CallbackProfileJson), "method", "delivered" (answered 2xx),
// "http_status": n | null (no answer), "latency_ms", "error": why it failed | null, "signed"}.
// What the receiver answered is reported, not judged: a 500 is a 200 with "delivered": false.
std::string CallbackTestJson(const store::CallbackProfile& profile,
                             const CallbackTestResult& result);
// The request body that describes `profile`, secrets included (ValidateCallbackProfile of it
// gives the profile back): what `smsgw callback-profile update` starts from.
std::string CallbackProfileRequestJson(const store::CallbackProfile& profile);

}  // namespace smsgw::api
