#include "text/udh.h"

#include <cstdio>
#include <string>

namespace smsgw::text {
namespace {

core::Error Malformed(const std::string& why) {
  return core::Error{core::make_error_code(core::Errc::kInvalidArgument), "malformed UDH: " + why};
}

std::string Hex(uint8_t value) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "0x%02X", value);
  return buffer;
}

std::optional<ConcatInfo> ValidConcat(ConcatInfo info) {
  if (info.total == 0 || info.seqnum == 0 || info.seqnum > info.total) {
    return std::nullopt;
  }
  return info;
}

// Applies one IE to `udh`; only concatenation IEs have a length the spec fixes.
core::Result<void> ApplyElement(const InformationElement& ie, Udh& udh) {
  const std::vector<uint8_t>& d = ie.data;
  if (ie.iei == kIeiConcat8) {
    if (d.size() != 3) {
      return std::unexpected(
          Malformed("8-bit concatenation IE has length " + std::to_string(d.size()) + ", not 3"));
    }
    udh.concat = ValidConcat({d[0], d[1], d[2], false});
  } else if (ie.iei == kIeiConcat16) {
    if (d.size() != 4) {
      return std::unexpected(
          Malformed("16-bit concatenation IE has length " + std::to_string(d.size()) + ", not 4"));
    }
    const auto reference = static_cast<uint16_t>((d[0] << 8) | d[1]);
    udh.concat = ValidConcat({reference, d[2], d[3], true});
  }
  return {};
}

}  // namespace

std::vector<uint8_t> BuildConcatUdh(const ConcatInfo& c) {
  if (c.sixteen_bit) {
    return {0x06,
            kIeiConcat16,
            0x04,
            static_cast<uint8_t>(c.reference >> 8),
            static_cast<uint8_t>(c.reference & 0xFF),
            c.total,
            c.seqnum};
  }
  return {0x05, kIeiConcat8, 0x03, static_cast<uint8_t>(c.reference & 0xFF), c.total, c.seqnum};
}

core::Result<Udh> ParseUdh(std::span<const uint8_t> user_data) {
  if (user_data.empty()) {
    return std::unexpected(Malformed("no UDHL octet"));
  }
  const size_t udhl = user_data[0];
  if (udhl + 1 > user_data.size()) {
    return std::unexpected(Malformed("UDHL " + std::to_string(udhl) + " exceeds the " +
                                     std::to_string(user_data.size() - 1) + " octets present"));
  }
  Udh udh;
  udh.length = udhl + 1;
  const std::span<const uint8_t> header = user_data.subspan(1, udhl);
  for (size_t offset = 0; offset < header.size();) {
    if (header.size() - offset < 2) {
      return std::unexpected(
          Malformed("truncated information element at octet " + std::to_string(offset + 1)));
    }
    const uint8_t iei = header[offset];
    const size_t iedl = header[offset + 1];
    if (iedl > header.size() - offset - 2) {
      return std::unexpected(Malformed("information element " + Hex(iei) + " length " +
                                       std::to_string(iedl) + " runs past UDHL"));
    }
    const auto data = header.subspan(offset + 2, iedl);
    InformationElement ie{iei, std::vector<uint8_t>(data.begin(), data.end())};
    if (core::Result<void> applied = ApplyElement(ie, udh); !applied) {
      return std::unexpected(std::move(applied.error()));
    }
    udh.elements.push_back(std::move(ie));
    offset += 2 + iedl;
  }
  return udh;
}

}  // namespace smsgw::text
