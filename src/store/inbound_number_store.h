#pragma once
// InboundNumberStore holds the long and short codes (and keywords on them) that accounts receive
// inbound (MO) messages on, and where each entry's messages are forwarded. Calls block and are
// safe from any thread. Matching an MO to an entry happens inside InboundStore's transaction that
// stores the message (core/inbound_match.h).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace smsgw::store {

// Where an entry's messages go: webhooks (its callback, profile, or the account's default
// profile), or the account's SMPP receiver and transceiver binds as deliver_sm (issue 17, through
// SmppOutboxStore). Values are stored; never renumber.
enum class InboundTarget : uint8_t {
  kWebhook = 0,
  kSmpp = 1,
};

struct InboundNumber {
  std::string id;  // UUIDv7
  std::string sid;
  std::string number;   // digits only: E.164 without '+' for a long code, or the short code
  std::string keyword;  // upper-case, at most 30 characters, no white space; empty: none
  std::optional<core::TimePoint> expires_at;  // the keyword's expiry; nullopt: never
  // Where its messages go: an inline callback (JSON object text, as a send request's
  // `callback`), or a profile of the account; both empty: the account's default profile, and
  // without one the messages are stored and not forwarded.
  std::string callback;
  std::string callback_profile_id;
  // kSmpp: to the account's SMPP binds instead, and callback and callback_profile_id are empty.
  InboundTarget target = InboundTarget::kWebhook;
  core::TimePoint created_at;

  friend bool operator==(const InboundNumber&, const InboundNumber&) = default;
};

class InboundNumberStore {
 public:
  virtual ~InboundNumberStore() = default;

  // Stores a new entry, checking in the same transaction the sharing rules: a number is either
  // one account's alone (it may then have one entry without keyword, its default, and any
  // keywords), or shared, and then every entry of it has a keyword unique on the number. So:
  // kConflict when an unexpired entry has the same number and keyword (any account); when the
  // keyword is empty and another account has an entry on the number; when the keyword is empty
  // and the account already has an entry without keyword on it; when another account has an
  // entry without keyword on the number. kNotFound when the account does not exist.
  virtual core::Result<void> CreateInboundNumber(const InboundNumber& entry) = 0;
  // kNotFound when the account has no such entry.
  virtual core::Result<InboundNumber> GetInboundNumber(std::string_view sid,
                                                       std::string_view id) = 0;
  // The account's entries ordered by number, then keyword; kNotFound when the account does not
  // exist.
  virtual core::Result<std::vector<InboundNumber>> ListInboundNumbers(std::string_view sid) = 0;
  // kNotFound when the account has no such entry.
  virtual core::Result<void> DeleteInboundNumber(std::string_view sid, std::string_view id) = 0;
};

}  // namespace smsgw::store
