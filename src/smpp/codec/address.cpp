#include "smpp/codec/address.h"

#include <algorithm>
#include <string>

namespace smsgw::smpp::codec {
namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

Address MakeAddress(std::string_view address, const AddressOverride& override) {
  Address out;
  if (address.empty()) {
    // TON/NPI 0/0 with an empty address lets the SMSC fill in its default source.
  } else if (address.front() == '+' && AllDigits(address.substr(1))) {
    out = {kTonInternational, kNpiIsdn, std::string(address.substr(1))};
  } else if (AllDigits(address)) {
    if (address.size() > kMaxShortCodeDigits) {
      out = {kTonInternational, kNpiIsdn, std::string(address)};
    } else {
      out = {kTonNetworkSpecific, kNpiUnknown, std::string(address)};
    }
  } else {
    out = {kTonAlphanumeric, kNpiUnknown, std::string(address)};
  }
  if (override.ton) {
    out.ton = *override.ton;
  }
  if (override.npi) {
    out.npi = *override.npi;
  }
  return out;
}

}  // namespace smsgw::smpp::codec
