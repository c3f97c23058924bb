#include "core/region.h"

#include <algorithm>
#include <array>

#include "core/strings.h"

namespace smsgw::core {
namespace {

constexpr std::array kIndiaTypes = {RouteType::kOtp, RouteType::kTxn, RouteType::kTxnd,
                                    RouteType::kMkt};
constexpr std::array kOtherTypes = {RouteType::kOtp, RouteType::kDefault};

const RegionRules kIn{kIndiaTypes, RouteType::kMkt, true, true, "IN"};
const RegionRules kSg{kOtherTypes, RouteType::kDefault, false, false, "SG"};
const RegionRules kEu{kOtherTypes, RouteType::kDefault, false, false, "EU"};
const RegionRules kNa{kOtherTypes, RouteType::kDefault, false, false, "NA"};

}  // namespace

std::string_view ToString(Region r) {
  switch (r) {
    case Region::kIn:
      return "IN";
    case Region::kSg:
      return "SG";
    case Region::kEu:
      return "EU";
    case Region::kNa:
      return "NA";
  }
  return "SG";
}

std::optional<Region> ParseRegion(std::string_view text) {
  for (Region r : {Region::kIn, Region::kSg, Region::kEu, Region::kNa}) {
    if (EqualsIgnoreCase(text, ToString(r))) {
      return r;
    }
  }
  return std::nullopt;
}

const RegionRules& RulesFor(Region r) {
  switch (r) {
    case Region::kIn:
      return kIn;
    case Region::kSg:
      return kSg;
    case Region::kEu:
      return kEu;
    case Region::kNa:
      return kNa;
  }
  return kSg;
}

bool AllowsType(Region r, RouteType type) {
  const auto& types = RulesFor(r).allowed_types;
  return std::find(types.begin(), types.end(), type) != types.end();
}

std::string AllowedTypesText(Region r) {
  std::string out;
  for (RouteType t : RulesFor(r).allowed_types) {
    out += (out.empty() ? "" : ", ") + std::string(ToString(t));
  }
  return out;
}

bool SendersMustBeRegistered(Region r, std::optional<bool> account_choice) {
  return account_choice.value_or(RulesFor(r).registered_senders_by_default);
}

}  // namespace smsgw::core
