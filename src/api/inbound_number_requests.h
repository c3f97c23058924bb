#pragma once
// Inbound numbers as clients see them (docs/api/inbound-numbers.md): validation of an entry sent
// to `POST /ext/v1/{sid}/inbound-numbers` (or built by `smsgw inbound-number add` from its flags,
// so that both go through one set of rules), every bad field reported at once; and the JSON the
// endpoints answer. Whether a named callback profile exists, and whether the number is free
// (store::InboundNumberStore's sharing rules), are the caller's to check against the store.
// Pure; thread-compatible.

#include <rapidjson/document.h>

#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "api/errors.h"
#include "core/egress.h"
#include "core/region.h"
#include "core/time.h"
#include "store/inbound_number_store.h"

namespace smsgw::api {

inline constexpr size_t kMaxKeyword = 30;  // code points

// `number`: "+<E.164>" (a long code, checked with libphonenumber like a send's `to`), or a short
// code of 3-8 digits; digits of more than 8 without '+' are read as E.164 too. Returns the
// digits the store keeps, or nullopt.
std::optional<std::string> NormalizeInboundNumber(std::string_view number);

// `keyword`: 1-30 characters without white space (Unicode white space included), upper-cased
// as MO matching compares (ASCII and Latin-1 letters); nullopt when bad.
std::optional<std::string> NormalizeKeyword(std::string_view keyword);

// POST /ext/v1/{sid}/inbound-numbers: `number` is required; `keyword`, `expires` (after `now`),
// and either `callback` (api/inline_callback.h) or `callback_profile_id` (the region's form) are
// optional; the callback's url a target `egress` allows. Returns the entry for `sid` with `id` and
// created_at = now.
std::expected<store::InboundNumber, FieldErrors> ValidateInboundNumber(
    const rapidjson::Value& fields, std::string_view sid, std::string_view id, core::Region region,
    core::TimePoint now, const core::EgressPolicy& egress);

// The error for a `callback_profile_id` the account does not have (400 E417).
FieldError UnknownCallbackProfile(std::string_view id);
// The error for the store's kConflict on create (409 E459), naming the number and keyword.
FieldError InboundNumberTaken(const store::InboundNumber& entry);

// {"id", "number", "keyword", "expires": "YYYY-MM-DD HH:MM:SS+00:00" | null, "callback": {...} |
//  null, "callback_profile_id": "..." | null, "created_at"}; the callback's header values and its
//  url's password masked (MaskInlineCallback).
std::string InboundNumberJson(const store::InboundNumber& entry);
// {"totalCount": n, "data": [entry, ...], "error": {}}
std::string InboundNumberListJson(const std::vector<store::InboundNumber>& entries);

}  // namespace smsgw::api
