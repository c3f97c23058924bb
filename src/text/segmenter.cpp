#include "text/segmenter.h"

#include "text/gsm7.h"
#include "text/ucs2.h"
#include "text/udh.h"

namespace smsgw::text {
namespace {

// TS 23.040 §9.2.3.24: UDH octets for each concatenation header, UDHL included.
constexpr size_t kUdh8Octets = 6;   // 05 00 03 ref total seq
constexpr size_t kUdh16Octets = 7;  // 06 08 04 ref ref total seq
// TS 23.040 §9.2.3.16: TP-UD holds at most 140 octets.
constexpr size_t kUserDataOctets = 140;

bool UsesUdh16(ConcatMethod method) { return method == ConcatMethod::kUdh16; }

// Octets (and their unit count) of the character that starts at encoded[offset]. The encoded
// forms are our own, but SplitEncoded also accepts foreign bytes, so a truncated escape or
// surrogate pair at the end is simply a shorter unit, never an out-of-bounds read.
size_t CharOctets(std::span<const uint8_t> encoded, size_t offset, core::Encoding encoding) {
  const size_t left = encoded.size() - offset;
  switch (encoding) {
    case core::Encoding::kGsm7:
      return encoded[offset] == kGsmEscape && left >= 2 ? 2 : 1;
    case core::Encoding::kUcs2: {
      if (left < 2) {
        return left;
      }
      const bool high = encoded[offset] >= 0xD8 && encoded[offset] <= 0xDB;
      return high && left >= 4 ? 4 : 2;
    }
    case core::Encoding::kBinary:
      break;
  }
  return 1;
}

size_t UnitsOf(size_t octets, core::Encoding encoding) {
  return encoding == core::Encoding::kUcs2 ? (octets + 1) / 2 : octets;
}

core::Result<std::vector<uint8_t>> Encode(std::string_view text, core::Encoding encoding) {
  switch (encoding) {
    case core::Encoding::kGsm7:
      return EncodeGsm7(text);
    case core::Encoding::kUcs2:
      return EncodeUcs2(text);
    case core::Encoding::kBinary:
      break;
  }
  return std::vector<uint8_t>(text.begin(), text.end());
}

std::vector<uint8_t> UserData(const Part& part, core::Encoding encoding, bool pack, int fill_bits) {
  if (pack && encoding == core::Encoding::kGsm7) {
    // SMPP carries no septet count, so the receiver needs the <CR> padding rule.
    return PackSeptetsPaddedWithCr(part.bytes, fill_bits);
  }
  return part.bytes;
}

WirePart PayloadPart(const Segmentation& s, bool pack) {
  Part whole;
  for (const Part& part : s.parts) {
    whole.bytes.insert(whole.bytes.end(), part.bytes.begin(), part.bytes.end());
  }
  WirePart wire;
  wire.bytes = UserData(whole, s.encoding, pack, 0);
  wire.in_message_payload = s.parts.size() > 1;
  return wire;
}

// Part `index` of several, with its UDH or SAR data.
WirePart ConcatPart(const Segmentation& s, size_t index, const WireOptions& options) {
  const auto total = static_cast<uint8_t>(s.parts.size());
  const auto seqnum = static_cast<uint8_t>(index + 1);
  WirePart part;
  if (options.method == ConcatMethod::kSar) {
    part.bytes = UserData(s.parts[index], s.encoding, options.pack_gsm7, 0);
    part.sar = SarInfo{options.reference, total, seqnum};
    return part;
  }
  const ConcatInfo concat{options.reference, total, seqnum, UsesUdh16(options.method)};
  part.bytes = BuildConcatUdh(concat);
  const std::vector<uint8_t> data =
      UserData(s.parts[index], s.encoding, options.pack_gsm7, SeptetFillBits(part.bytes.size()));
  part.bytes.insert(part.bytes.end(), data.begin(), data.end());
  part.udhi = true;
  return part;
}

}  // namespace

PartLimits LimitsFor(core::Encoding encoding, ConcatMethod method) {
  const size_t udh = UsesUdh16(method) ? kUdh16Octets : kUdh8Octets;
  const size_t left = kUserDataOctets - udh;
  switch (encoding) {
    case core::Encoding::kGsm7:
      return {kUserDataOctets * 8 / 7, (left * 8) / 7};  // fill bits round down
    case core::Encoding::kUcs2:
      return {kUserDataOctets / 2, left / 2};
    case core::Encoding::kBinary:
      break;
  }
  return {kUserDataOctets, left};
}

std::vector<Part> SplitEncoded(std::span<const uint8_t> encoded, core::Encoding encoding,
                               PartLimits limits) {
  std::vector<Part> parts(1);
  if (UnitsOf(encoded.size(), encoding) <= limits.single) {
    parts[0].bytes.assign(encoded.begin(), encoded.end());
    parts[0].units = UnitsOf(encoded.size(), encoding);
    return parts;
  }
  for (size_t offset = 0; offset < encoded.size();) {
    const size_t octets = CharOctets(encoded, offset, encoding);
    const size_t units = UnitsOf(octets, encoding);
    if (parts.back().units > 0 && parts.back().units + units > limits.per_part) {
      parts.emplace_back();
    }
    Part& part = parts.back();
    part.bytes.insert(part.bytes.end(), encoded.begin() + offset,
                      encoded.begin() + offset + octets);
    part.units += units;
    offset += octets;
  }
  return parts;
}

core::Result<Segmentation> Split(std::string_view text, core::Encoding encoding,
                                 ConcatMethod method) {
  core::Result<std::vector<uint8_t>> encoded = Encode(text, encoding);
  if (!encoded) {
    return std::unexpected(std::move(encoded.error()));
  }
  return Segmentation{encoding, SplitEncoded(*encoded, encoding, LimitsFor(encoding, method))};
}

core::Result<Segmentation> Split(std::string_view utf8, UnicodeMode mode, ConcatMethod method) {
  core::Result<core::Encoding> encoding = ChooseEncoding(utf8, mode);
  if (!encoding) {
    return std::unexpected(std::move(encoding.error()));
  }
  return Split(utf8, *encoding, method);
}

core::Result<std::vector<WirePart>> BuildWireParts(const Segmentation& s,
                                                   const WireOptions& options) {
  std::vector<WirePart> wire;
  if (options.method == ConcatMethod::kMessagePayload || s.parts.size() <= 1) {
    wire.push_back(PayloadPart(s, options.pack_gsm7));
    return wire;
  }
  if (s.parts.size() > 255) {
    return core::MakeError(core::Errc::kInvalidArgument,
                           "text needs " + std::to_string(s.parts.size()) +
                               " parts; concatenation allows at most 255");
  }
  if (options.method == ConcatMethod::kUdh8 && options.reference > 0xFF) {
    return core::MakeError(core::Errc::kInvalidArgument,
                           "an 8-bit concatenation reference must be below 256");
  }
  for (size_t i = 0; i < s.parts.size(); ++i) {
    wire.push_back(ConcatPart(s, i, options));
  }
  return wire;
}

}  // namespace smsgw::text
