#include "core/phone_number.h"

#include <phonenumbers/phonenumberutil.h>

#include <array>
#include <functional>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace smsgw::core {
namespace {

// libphonenumber's validity check runs ICU regexes (~10 us a number, the largest single CPU cost
// of accepting a message), while senders reach the same handsets again and again (OTPs, reminders,
// campaigns to one list). Validity of an E.164 string never changes within a process, so it is
// memoised: sharded to keep the locks uncontended, each shard bounded and simply emptied when full.
class ValidityCache {
 public:
  std::optional<bool> Find(const std::string& e164) {
    Shard& shard = ShardFor(e164);
    std::lock_guard lock(shard.mu);
    auto it = shard.valid.find(e164);
    if (it == shard.valid.end()) {
      return std::nullopt;
    }
    return it->second;
  }
  void Put(const std::string& e164, bool valid) {
    Shard& shard = ShardFor(e164);
    std::lock_guard lock(shard.mu);
    if (shard.valid.size() >= kEntriesPerShard) {
      shard.valid.clear();
    }
    shard.valid.emplace(e164, valid);
  }

 private:
  static constexpr size_t kShards = 16;
  static constexpr size_t kEntriesPerShard = 16384;  // ~260k numbers, ~20 MB at most
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, bool> valid;
  };
  Shard& ShardFor(const std::string& e164) {
    return shards_[std::hash<std::string>{}(e164) % kShards];
  }
  std::array<Shard, kShards> shards_;
};

ValidityCache& Cache() {
  static ValidityCache cache;
  return cache;
}

// Fills `number` with libphonenumber's number for E.164 `digits`; false when no calling code
// starts them. (An out-parameter: a PhoneNumber is a protobuf message, and wrapping one in
// std::optional would pull in protobuf's RTTI, which we do not link.)
// PhoneNumberUtil::Parse costs ~20 us (regexes over the raw text); our input is already plain
// digits, so split off the country code ourselves. ITU-T E.164 country codes are prefix-free,
// so the first 1-3 digit prefix that names a calling code is the one.
bool NumberOf(const std::string& digits, i18n::phonenumbers::PhoneNumber& number) {
  using i18n::phonenumbers::PhoneNumberUtil;
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  for (size_t cc_len = 1; cc_len <= 3 && cc_len < digits.size(); ++cc_len) {
    const int cc = std::stoi(digits.substr(0, cc_len));
    std::string region;
    util.GetRegionCodeForCountryCode(cc, &region);
    if (region == "ZZ") {
      continue;
    }
    const std::string national = digits.substr(cc_len);
    number.set_country_code(cc);
    number.set_national_number(std::stoull(national));
    // Italian-style national numbers keep their leading zeros (libphonenumber's own rule).
    const size_t zeros = national.find_first_not_of('0');
    if (zeros > 0 && zeros != std::string::npos) {
      number.set_italian_leading_zero(true);
      if (zeros > 1) {
        number.set_number_of_leading_zeros(static_cast<int>(zeros));
      }
    }
    return true;
  }
  return false;
}

bool IsValidE164(const std::string& digits) {
  i18n::phonenumbers::PhoneNumber number;
  return NumberOf(digits, number) &&
         i18n::phonenumbers::PhoneNumberUtil::GetInstance()->IsValidNumber(number);
}

}  // namespace

Result<std::string> NormalizePhoneNumber(std::string_view raw, std::string_view prefix) {
  auto invalid = [] { return MakeError(Errc::kInvalidArgument, "invalid phone number"); };
  bool plus = false;
  std::string digits;
  digits.reserve(raw.size() + 4);
  for (char c : raw) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c == '+' && digits.empty() && !plus) {
      plus = true;
    } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
      return invalid();
    }
  }
  if (!plus && !prefix.empty()) {
    std::string_view cc = prefix.front() == '+' ? prefix.substr(1) : prefix;
    if (!digits.starts_with(cc)) {
      digits.insert(0, cc);
    }
  }
  // E.164 allows at most 15 digits; anything longer is rejected before the (slower) parser.
  if (digits.size() < 7 || digits.size() > 15) {
    return invalid();
  }
  std::optional<bool> cached = Cache().Find(digits);
  const bool valid = cached ? *cached : IsValidE164(digits);
  if (!cached) {
    Cache().Put(digits, valid);
  }
  if (!valid) {
    return invalid();
  }
  return digits;
}

std::string RegionOf(std::string_view e164_digits) {
  const std::string digits(e164_digits);
  if (digits.empty() || digits.size() > 15 ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
    return "";
  }
  i18n::phonenumbers::PhoneNumber number;
  if (!NumberOf(digits, number)) {
    return "";
  }
  std::string region;
  i18n::phonenumbers::PhoneNumberUtil::GetInstance()->GetRegionCodeForNumber(number, &region);
  return region == "ZZ" ? "" : region;
}

bool IsKnownRegion(std::string_view iso) {
  return iso.size() == 2 &&
         i18n::phonenumbers::PhoneNumberUtil::GetInstance()->GetCountryCodeForRegion(
             std::string(iso)) != 0;
}

}  // namespace smsgw::core
