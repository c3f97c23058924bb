#pragma once
// Opt-outs as clients see them (docs/api/opt-outs.md): the body of
// `POST /ext/v1/{sid}/opt-outs` (also what `smsgw opt-out add` checks), the query of its GET and
// DELETE, and the JSON of opt-outs. Pure; thread-compatible.

#include <rapidjson/document.h>

#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/errors.h"
#include "core/time.h"
#include "store/opt_out_store.h"

namespace smsgw::api {

inline constexpr size_t kDefaultOptOutPage = 100;
inline constexpr size_t kMaxOptOutPage = 1000;

// A sender as opt-outs key it: a numeric sender without its '+'; "" (every sender) stays "".
std::string OptOutSender(std::string_view sender);

// {"recipient": an E.164 number (with or without '+'; E426), "sender": a sender ID or number
// (E406; absent or null: every sender of the account)}. Returns the opt-out of `sid`, from
// `source` ("api", "cli"), at `now`.
std::expected<store::OptOut, FieldErrors> ValidateOptOut(const rapidjson::Value& fields,
                                                         std::string_view sid,
                                                         std::string_view source,
                                                         core::TimePoint now);

struct OptOutQuery {
  std::string recipient;              // E.164 digits; empty: every recipient
  std::optional<std::string> sender;  // DELETE: which entry ("" every sender); absent: ""
  std::optional<store::OptOutStore::Cursor> cursor;
  size_t limit = kDefaultOptOutPage;
};
// `recipient` (E426), `sender` (E406), `cursor` (a next_cursor; E428), `limit` (1..1000; E428).
std::expected<OptOutQuery, FieldErrors> ParseOptOutQuery(std::string_view query);

// {"recipient", "sender": "..." | null, "source", "created_at"}
std::string OptOutJson(const store::OptOut& opt_out);
// {"data": [opt-out, ...], "next_cursor": "..." | null, "error": {}}; next_cursor when the page
// is full.
std::string OptOutPageJson(const std::vector<store::OptOut>& page, size_t limit);

}  // namespace smsgw::api
