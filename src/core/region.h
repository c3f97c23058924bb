#pragma once
// A deployment's region (Kaleyra "pod") and the rules that follow from it, all in one place:
// allowed route types and their default, the callback-profile id prefix, and whether DLT
// (template ids, registered senders) is enforced. Pure.

#include <optional>
#include <span>
#include <string_view>

#include "core/message.h"

namespace smsgw::core {

enum class Region : uint8_t { kIn, kSg, kEu, kNa };

std::string_view ToString(Region r);                       // "IN", "SG", "EU", "NA"
std::optional<Region> ParseRegion(std::string_view text);  // case-insensitive

struct RegionRules {
  std::span<const RouteType> allowed_types;
  RouteType default_type;
  bool dlt_enforced;                // India: template_id required, senders registered
  std::string_view profile_prefix;  // "IN" -> callback profile ids "IN_<uuid>"
};

const RegionRules& RulesFor(Region r);

}  // namespace smsgw::core
