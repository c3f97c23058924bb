#pragma once
// The text of an inbound (MO) message from its parts: the store hands over the parts present (all
// of them, or after the reassembly timeout those that came), and this makes the one UTF-8 text
// that is stored and forwarded. Pure functions; thread-safe.

#include <span>
#include <string>
#include <string_view>

#include "store/inbound_store.h"

namespace smsgw::delivery {

// Stands in the text for each part that never came, so that a reader sees where words are
// missing; which ones, and how many, the stored message says (InboundMessage::parts_missing).
// Brackets around an ellipsis: language-neutral, short, and unlike anything a handset inserts.
inline constexpr std::string_view kMissingPartMarker = "[\u2026]";

// The parts `present` (in any order; numbered by their concat, 1 when they have none) of a
// message of `total` parts, as UTF-8. The user data of consecutive parts (payload after the UDH)
// is joined before decoding with text::DecodeInbound, so that a character split between two
// parts (a UTF-16 surrogate pair, a GSM-7 escape and its character) decodes whole; a part with a
// different data_coding starts a new run. Each missing part is kMissingPartMarker. A run that
// cannot be decoded (its data_coding carries no text) becomes U+FFFD, since the message is stored
// either way. Never fails. Fits store::InboundAssembler.
std::string AssembleMoText(std::span<const store::InboundPart> present, int total);

}  // namespace smsgw::delivery
