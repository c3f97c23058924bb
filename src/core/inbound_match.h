#pragma once
// Which of a number's inbound entries an MO message belongs to. Pure.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/time.h"

namespace smsgw::core {

// One entry on the number the MO was sent to (store::InboundNumber, reduced to what matching
// needs).
struct InboundCandidate {
  std::string keyword;  // upper-case; empty: the number's default entry
  std::optional<TimePoint> expires_at;
};

// The first word of `text`: leading white space skipped, up to the next white space (Unicode
// white space of the GSM and UCS-2 repertoires: space, tab, CR, LF, NBSP, ...), upper-cased
// (ASCII and Latin-1 letters; other scripts compare as they are).
std::string FirstWord(std::string_view text);

// The index of the candidate whose unexpired keyword equals the message's first word
// (case-insensitive), else of the default entry (empty keyword), else nullopt. A keyword whose
// expires_at <= now is ignored, as if absent.
std::optional<size_t> MatchInbound(std::span<const InboundCandidate> candidates,
                                   std::string_view text, TimePoint now);

}  // namespace smsgw::core
