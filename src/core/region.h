#pragma once
// A deployment's region (Kaleyra "pod") and every rule that follows from it, all in one place:
// allowed route types and their default, the callback-profile id prefix, whether India's DLT rules
// apply, and whether accounts must send from registered sender IDs unless they chose otherwise.
// Pure.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/message.h"

namespace smsgw::core {

enum class Region : uint8_t { kIn, kSg, kEu, kNa };

std::string_view ToString(Region r);                       // "IN", "SG", "EU", "NA"
std::optional<Region> ParseRegion(std::string_view text);  // case-insensitive

struct RegionRules {
  std::span<const RouteType> allowed_types;
  RouteType default_type;
  // India's DLT: a send needs the template_id of a registered template; the template's approved
  // type and senders are enforced; the sender's entity_id travels with each message (SMPP TLV
  // 0x1400, the template id in 0x1401), so registering a sender needs its entity_id. Elsewhere
  // templates are a convenience: a template_id must still be registered, but its type and senders
  // are not enforced and no entity_id is attached.
  bool dlt_enforced;
  // Whether a send must come from a sender ID registered for the account, for accounts that have
  // not chosen (`smsgw account set --require-registered-senders`).
  bool registered_senders_by_default;
  std::string_view profile_prefix;  // "IN" -> callback profile ids "IN_<uuid>"
};

const RegionRules& RulesFor(Region r);

// Whether `type` is one of the region's allowed types.
bool AllowsType(Region r, RouteType type);
// The allowed types for messages: "OTP, TXN, TXND, MKT".
std::string AllowedTypesText(Region r);

// Whether sends must use registered sender IDs: the account's choice, else the region's default.
bool SendersMustBeRegistered(Region r, std::optional<bool> account_choice);

}  // namespace smsgw::core
