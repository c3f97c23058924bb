#pragma once
// The inbound stores' domain decisions, taken on rows a backend has already read: which inbound
// number entry an MO belongs to (a keyword or default entry, else the account it replies to), and
// whether a new entry may join a number's others (the sharing rules), and of a concatenated MO's
// parts, which are missing and whether one is a repeat. Every backend calls these, so that each
// only reads and writes rows. Keyword matching itself is core::MatchInbound (core/inbound_match.h).
// Pure functions; no I/O; thread-safe.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "store/inbound_number_store.h"

namespace smsgw::store {

// Whether an entry still counts at `now`: one whose keyword expired is as if absent.
bool LiveEntry(const InboundNumber& entry, core::TimePoint now);

// The index of the entry among a number's `entries` (in (keyword, id) order) whose live keyword
// is the MO's first word, else of its live default entry (core::MatchInbound); nullopt when
// neither: the reply rule decides next.
std::optional<size_t> MatchKeywordEntry(std::span<const InboundNumber> entries,
                                        std::string_view text, core::TimePoint now);

// The reply rule, in three steps around the one read it needs (when each account last sent to
// the MO's source from the number): an MO that neither a keyword nor a default entry takes goes
// to the account with a live entry on the number that sent to the MO's source from it last.
//
// First, the accounts to ask about: each account with a live entry, once, in entries' order; none
// when the MO's `source` (digits only) is empty, as no one can have sent to it.
std::vector<std::string_view> ReplyAccountsToAsk(std::span<const InboundNumber> entries,
                                                 std::string_view source, core::TimePoint now);
// Then, given when each was last sent from (nullopt: never), the one that sent last; the first
// asked wins a tie. nullopt when none ever sent: the MO is unmatched.
struct LastSent {
  std::string_view sid;
  std::optional<core::TimePoint> at;
};
std::optional<std::string_view> ReplyAccount(std::span<const LastSent> asked);
// Last, the entry of that account the MO belongs to: its live default entry, else its first live
// entry. nullopt only when the account has no live entry among `entries`.
std::optional<size_t> ReplyEntryOf(std::span<const InboundNumber> entries, std::string_view sid,
                                   core::TimePoint now);

// The part numbers of 1..total that are not among `present` (a message's parts, any order), in
// ascending order: what a message stored after the reassembly timeout lists as missing.
std::vector<int> MissingParts(std::span<const int> present, int total);

// The repeat rule for a part whose message may already be stored: whether part `seqnum` was in
// one of the messages stored recently with its concatenation key, given each one's missing parts
// (a part missing from a stored message is not a repeat: it starts waiting on its own).
bool InStoredMessage(std::span<const std::vector<int>> missing_of_stored, int seqnum);

// Why `entry` may not join its number's `others` (InboundNumberStore::CreateInboundNumber's
// sharing rules, others expired by entry.created_at ignored), or nullopt when it may.
std::optional<std::string> SharingConflict(const InboundNumber& entry,
                                           std::span<const InboundNumber> others);

}  // namespace smsgw::store
