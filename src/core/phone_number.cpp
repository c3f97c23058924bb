#include "core/phone_number.h"

#include <phonenumbers/phonenumberutil.h>

namespace smsgw::core {

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
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  // PhoneNumberUtil::Parse costs ~20 us (regexes over the raw text); our input is already plain
  // digits, so split off the country code ourselves. ITU-T E.164 country codes are prefix-free,
  // so the first 1-3 digit prefix that names a calling code is the one.
  for (size_t cc_len = 1; cc_len <= 3 && cc_len < digits.size(); ++cc_len) {
    const int cc = std::stoi(digits.substr(0, cc_len));
    std::string region;
    util.GetRegionCodeForCountryCode(cc, &region);
    if (region == "ZZ") {
      continue;
    }
    const std::string national = digits.substr(cc_len);
    PhoneNumber number;
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
    if (!util.IsValidNumber(number)) {
      return invalid();
    }
    return digits;
  }
  return invalid();
}

}  // namespace smsgw::core
