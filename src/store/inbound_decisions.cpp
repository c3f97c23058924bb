#include "store/inbound_decisions.h"

#include <algorithm>

#include "core/inbound_match.h"

namespace smsgw::store {

bool LiveEntry(const InboundNumber& entry, core::TimePoint now) {
  return !entry.expires_at || *entry.expires_at > now;
}

std::optional<size_t> MatchKeywordEntry(std::span<const InboundNumber> entries,
                                        std::string_view text, core::TimePoint now) {
  std::vector<core::InboundCandidate> candidates;
  candidates.reserve(entries.size());
  for (const InboundNumber& e : entries) {
    candidates.push_back({e.keyword, e.expires_at});
  }
  return core::MatchInbound(candidates, text, now);
}

std::vector<std::string_view> ReplyAccountsToAsk(std::span<const InboundNumber> entries,
                                                 std::string_view source, core::TimePoint now) {
  std::vector<std::string_view> sids;
  if (source.empty()) {
    return sids;
  }
  for (const InboundNumber& e : entries) {
    if (LiveEntry(e, now) && std::find(sids.begin(), sids.end(), e.sid) == sids.end()) {
      sids.push_back(e.sid);
    }
  }
  return sids;
}

std::optional<std::string_view> ReplyAccount(std::span<const LastSent> asked) {
  const LastSent* best = nullptr;
  for (const LastSent& a : asked) {
    if (a.at && (best == nullptr || *a.at > *best->at)) {
      best = &a;
    }
  }
  if (best == nullptr) {
    return std::nullopt;
  }
  return best->sid;
}

std::optional<size_t> ReplyEntryOf(std::span<const InboundNumber> entries, std::string_view sid,
                                   core::TimePoint now) {
  // The default entry is the one the account set up for whatever comes to the number; without
  // one, the first in (keyword, id) order stands in for it.
  std::optional<size_t> first;
  for (size_t i = 0; i < entries.size(); ++i) {
    const InboundNumber& e = entries[i];
    if (e.sid != sid || !LiveEntry(e, now)) {
      continue;
    }
    if (e.keyword.empty()) {
      return i;
    }
    if (!first) {
      first = i;
    }
  }
  return first;
}

std::vector<int> MissingParts(std::span<const int> present, int total) {
  std::vector<int> missing;
  for (int n = 1; n <= total; ++n) {
    if (std::find(present.begin(), present.end(), n) == present.end()) {
      missing.push_back(n);
    }
  }
  return missing;
}

bool InStoredMessage(std::span<const std::vector<int>> missing_of_stored, int seqnum) {
  return std::any_of(missing_of_stored.begin(), missing_of_stored.end(),
                     [seqnum](const std::vector<int>& missing) {
                       return std::find(missing.begin(), missing.end(), seqnum) == missing.end();
                     });
}

std::optional<std::string> SharingConflict(const InboundNumber& entry,
                                           std::span<const InboundNumber> others) {
  for (const InboundNumber& o : others) {
    if (!LiveEntry(o, entry.created_at)) {
      continue;  // expired: as if absent
    }
    const bool same_account = o.sid == entry.sid;
    if (!entry.keyword.empty() && o.keyword == entry.keyword) {
      return "keyword '" + entry.keyword + "' is taken on " + entry.number;
    }
    if (entry.keyword.empty() && !same_account) {
      return entry.number + " is used by another account";
    }
    if (entry.keyword.empty() && o.keyword.empty()) {
      return entry.number + " already has an entry without keyword";
    }
    if (o.keyword.empty() && !same_account) {
      return entry.number + " belongs to another account";
    }
  }
  return std::nullopt;
}

}  // namespace smsgw::store
