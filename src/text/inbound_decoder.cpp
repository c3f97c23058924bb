#include "text/inbound_decoder.h"

#include <cstdio>

#include "text/gsm7.h"
#include "text/ucs2.h"
#include "text/utf8.h"

namespace smsgw::text {
namespace {

core::Error NotText(uint8_t data_coding, Alphabet alphabet) {
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "data_coding 0x%02X carries %s", data_coding,
                alphabet == Alphabet::kBinary ? "binary data, not text"
                                              : "an alphabet smsgw does not decode");
  return core::Error{core::make_error_code(core::Errc::kInvalidArgument), buffer};
}

std::string DecodeGsm7UserData(std::span<const uint8_t> data, size_t udh_octets, bool packed) {
  if (!packed) {
    return DecodeGsm7(data.subspan(udh_octets));
  }
  const std::vector<uint8_t> septets =
      UnpackAllSeptets(data.subspan(udh_octets), udh_octets > 0 ? SeptetFillBits(udh_octets) : 0);
  return DecodeGsm7(septets);
}

std::string DecodeText(Alphabet alphabet, std::span<const uint8_t> data, size_t udh_octets,
                       bool packed) {
  switch (alphabet) {
    case Alphabet::kGsm7:
      return DecodeGsm7UserData(data, udh_octets, packed);
    case Alphabet::kAscii:
      return DecodeAscii(data.subspan(udh_octets));
    case Alphabet::kLatin1:
      return DecodeLatin1(data.subspan(udh_octets));
    case Alphabet::kUcs2:
      return DecodeUcs2(data.subspan(udh_octets));
    case Alphabet::kBinary:
    case Alphabet::kUnsupported:
      break;
  }
  return {};
}

}  // namespace

std::string DecodeAscii(std::span<const uint8_t> bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (uint8_t b : bytes) {
    AppendUtf8(out, b < 0x80 ? b : kReplacementChar);
  }
  return out;
}

std::string DecodeLatin1(std::span<const uint8_t> bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    AppendUtf8(out, b);  // ISO-8859-1 is the first 256 code points
  }
  return out;
}

core::Result<InboundText> DecodeInbound(uint8_t data_coding, std::span<const uint8_t> bytes,
                                        const InboundOptions& options) {
  InboundText text;
  text.alphabet = AlphabetOf(data_coding);
  if (text.alphabet == Alphabet::kBinary || text.alphabet == Alphabet::kUnsupported) {
    return std::unexpected(NotText(data_coding, text.alphabet));
  }
  size_t udh_octets = 0;
  if (options.udhi) {
    core::Result<Udh> udh = ParseUdh(bytes);
    if (!udh) {
      return std::unexpected(std::move(udh.error()));
    }
    udh_octets = udh->length;
    text.concat = udh->concat;
    text.udh_elements = std::move(udh->elements);
  }
  text.utf8 = DecodeText(text.alphabet, bytes, udh_octets, options.gsm7_packed);
  return text;
}

}  // namespace smsgw::text
