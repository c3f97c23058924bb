#pragma once
// OptOutStore holds each account's opted-out handsets: a handset that replied STOP to one of the
// account's numbers is out for that sender, one that sent STOPALL (or that the account or the
// operator added without a sender) for every sender of the account. A message to an opted-out
// handset is never submitted: the dispatcher learns it from the claim (Claim::opted_out) and
// ends the message NotSent / OPTOUT. MO commands are applied by InboundStore in the transaction
// that stores the MO; the API and the CLI add, remove and list through here. Calls block and are
// safe from any thread.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace smsgw::store {

struct OptOut {
  std::string sid;
  std::string recipient;  // the handset, E.164 digits without '+'
  std::string sender;     // the sender ID or number it opted out of; empty: every sender
  std::string source;     // how it came: "mo", "api" or "cli"
  core::TimePoint created_at;

  friend bool operator==(const OptOut&, const OptOut&) = default;
};

class OptOutStore {
 public:
  virtual ~OptOutStore() = default;

  // kNotFound when the account does not exist. Adding one that exists keeps the first (its
  // source and time) and succeeds.
  virtual core::Result<void> AddOptOut(const OptOut& opt_out) = 0;
  // kNotFound when there is no such opt-out.
  virtual core::Result<void> RemoveOptOut(std::string_view sid, std::string_view recipient,
                                          std::string_view sender) = 0;
  // The account's opt-outs ordered by (recipient, sender), after `after` (a recipient and sender
  // pair from the previous page; nullopt: from the start), at most `limit`; only `recipient`'s
  // when given. kNotFound when the account does not exist.
  struct Cursor {
    std::string recipient, sender;
  };
  virtual core::Result<std::vector<OptOut>> ListOptOuts(std::string_view sid,
                                                        std::string_view recipient,
                                                        const std::optional<Cursor>& after,
                                                        size_t limit) = 0;
};

}  // namespace smsgw::store
