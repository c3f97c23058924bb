// Property tests over seeded random texts: encodings round-trip, no part exceeds its limit,
// parts joined give the whole, Analyze agrees with Split, and the wire form of every part
// decodes back (through the inbound decoder) to the original text.

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "text/encoding.h"
#include "text/gsm7.h"
#include "text/inbound_decoder.h"
#include "text/segmenter.h"
#include "text/ucs2.h"
#include "text/udh.h"
#include "text/utf8.h"

namespace smsgw::text {
namespace {

using Bytes = std::vector<uint8_t>;
constexpr int kIterations = 3000;

std::vector<char32_t> GsmAlphabet() {
  std::vector<char32_t> chars;
  for (uint8_t code = 0; code < 128; ++code) {
    if (code != kGsmEscape) {
      chars.push_back(GsmDefaultChar(code));
    }
    if (GsmExtensionChar(code) != 0) {
      chars.push_back(GsmExtensionChar(code));
    }
  }
  return chars;
}

// Non-GSM characters from several scripts, the BMP's edges and beyond it.
const std::vector<char32_t> kOtherChars = {
    U'ह',   U'न',   U'्',    U'م',    U'ر', U'中', U'文',   U'ç',     U'á', U'α', U'\t',  U'`',
    0xFFFD, 0xE000, 0xFFFF, 0x10000, U'😀', U'👍',  0x1F3FD, 0x10FFFF, U'“', U'—', 0x0800, 0x07FF};

class RandomText {
 public:
  explicit RandomText(uint32_t seed) : rng_(seed) {}

  std::string Gsm(size_t max_chars) { return Build(max_chars, 0); }
  // Mostly GSM with a share of other characters, so boundaries fall everywhere.
  std::string Any(size_t max_chars) { return Build(max_chars, 1 + Below(4)); }
  uint32_t Below(uint32_t n) { return std::uniform_int_distribution<uint32_t>(0, n - 1)(rng_); }

 private:
  std::string Build(size_t max_chars, uint32_t other_in_eight) {
    const size_t n = Below(static_cast<uint32_t>(max_chars) + 1);
    std::string out;
    for (size_t i = 0; i < n; ++i) {
      const bool other = Below(8) < other_in_eight;
      AppendUtf8(out, other ? kOtherChars[Below(kOtherChars.size())]
                            : gsm_[Below(static_cast<uint32_t>(gsm_.size()))]);
    }
    return out;
  }

  std::mt19937 rng_;
  std::vector<char32_t> gsm_ = GsmAlphabet();
};

bool EndsLikePadding(const Bytes& septets, int fill) {
  return !septets.empty() && septets.back() == kGsmCarriageReturn &&
         (septets.size() * 7 + static_cast<size_t>(fill)) % 8 == 0;
}

Bytes Joined(const std::vector<Part>& parts) {
  Bytes all;
  for (const Part& p : parts) {
    all.insert(all.end(), p.bytes.begin(), p.bytes.end());
  }
  return all;
}

void CheckSplit(const std::string& text, core::Encoding encoding, ConcatMethod method) {
  const core::Result<Segmentation> s = Split(text, encoding, method);
  ASSERT_TRUE(s.has_value()) << s.error().message;
  const PartLimits limits = LimitsFor(encoding, method);
  const Bytes whole =
      encoding == core::Encoding::kGsm7 ? EncodeGsm7(text).value() : EncodeUcs2(text).value();
  ASSERT_EQ(Joined(s->parts), whole);
  for (const Part& p : s->parts) {
    ASSERT_LE(p.units, s->parts.size() == 1 ? limits.single : limits.per_part);
    if (!p.bytes.empty() && encoding == core::Encoding::kGsm7) {
      // A part never ends in a lone escape: decode each part alone and rejoin.
      ASSERT_NE(p.bytes.back(), kGsmEscape);
    }
    if (p.bytes.size() >= 2 && encoding == core::Encoding::kUcs2) {
      const uint8_t last_high = p.bytes[p.bytes.size() - 2];
      ASSERT_FALSE(last_high >= 0xD8 && last_high <= 0xDB) << "part ends in a high surrogate";
    }
  }
  std::string rejoined;
  for (const Part& p : s->parts) {
    rejoined += encoding == core::Encoding::kGsm7 ? DecodeGsm7(p.bytes) : DecodeUcs2(p.bytes);
  }
  ASSERT_EQ(rejoined, text);
}

TEST(TextProperty, Gsm7RoundTripsAndPacks) {
  RandomText random(20240601);
  for (int i = 0; i < kIterations; ++i) {
    const std::string text = random.Gsm(200);
    const Bytes septets = EncodeGsm7(text).value();
    ASSERT_EQ(DecodeGsm7(septets), text);
    const int fill = static_cast<int>(random.Below(7));
    const Bytes packed = PackSeptets(septets, fill);
    ASSERT_EQ(packed.size(), PackedLength(septets.size(), fill));
    ASSERT_EQ(UnpackSeptets(packed, septets.size(), fill).value(), septets);
    // Without a count, <CR> padding makes the length alone enough, except that a wanted final
    // <CR> ending on an octet boundary is taken for padding.
    Bytes expected = septets;
    if (EndsLikePadding(septets, fill)) {
      expected.pop_back();
    }
    const Bytes padded = PackSeptetsPaddedWithCr(septets, fill);
    ASSERT_EQ(padded.size(), packed.size());
    ASSERT_EQ(UnpackAllSeptets(padded, fill), expected);
  }
}

TEST(TextProperty, Ucs2RoundTrips) {
  RandomText random(7);
  for (int i = 0; i < kIterations; ++i) {
    const std::string text = random.Any(200);
    ASSERT_EQ(DecodeUcs2(EncodeUcs2(text).value()), text);
  }
}

TEST(TextProperty, PartsRespectLimitsAndRejoin) {
  RandomText random(99);
  for (int i = 0; i < kIterations; ++i) {
    const ConcatMethod method = static_cast<ConcatMethod>(random.Below(4));
    const std::string gsm = random.Gsm(480);
    CheckSplit(gsm, core::Encoding::kGsm7, method);
    CheckSplit(gsm, core::Encoding::kUcs2, method);
    CheckSplit(random.Any(320), core::Encoding::kUcs2, method);
  }
}

TEST(TextProperty, AnalyzeAgreesWithSplit) {
  RandomText random(1234);
  for (int i = 0; i < kIterations; ++i) {
    const std::string text = i % 2 == 0 ? random.Gsm(480) : random.Any(320);
    for (UnicodeMode mode : {UnicodeMode::kAuto, UnicodeMode::kUcs2}) {
      const core::Result<TextInfo> info = Analyze(text, mode);
      ASSERT_TRUE(info.has_value());
      const core::Result<Segmentation> s = Split(text, mode);
      ASSERT_TRUE(s.has_value());
      ASSERT_EQ(info->encoding, s->encoding);
      ASSERT_EQ(static_cast<size_t>(info->segments), s->parts.size()) << text;
      ASSERT_EQ(info->code_points, CountCodePoints(text).value());
    }
    const core::Result<TextInfo> forced = Analyze(text, UnicodeMode::kGsm7);
    ASSERT_EQ(forced.has_value(), EncodeGsm7(text).has_value());
  }
}

// Outbound wire parts, read back as an SMSC would deliver them, reassemble to the text.
TEST(TextProperty, WirePartsDecodeBackThroughTheInboundPath) {
  RandomText random(555);
  for (int i = 0; i < kIterations; ++i) {
    const std::string text = i % 2 == 0 ? random.Gsm(480) : random.Any(320);
    const bool sixteen = random.Below(2) == 1;
    const ConcatMethod method = sixteen ? ConcatMethod::kUdh16 : ConcatMethod::kUdh8;
    const bool pack = random.Below(2) == 1;
    const core::Result<Segmentation> s = Split(text, UnicodeMode::kAuto, method);
    ASSERT_TRUE(s.has_value());
    const uint16_t reference = static_cast<uint16_t>(random.Below(sixteen ? 65536 : 256));
    const auto wire = BuildWireParts(*s, {method, reference, pack});
    ASSERT_TRUE(wire.has_value()) << wire.error().message;
    std::string reassembled;
    for (size_t k = 0; k < wire->size(); ++k) {
      const WirePart& part = (*wire)[k];
      const bool gsm = s->encoding == core::Encoding::kGsm7;
      ASSERT_LE(part.bytes.size(), pack || !gsm ? 140u : 160u);
      const core::Result<InboundText> in =
          DecodeInbound(gsm ? 0x00 : 0x08, part.bytes, {.udhi = part.udhi, .gsm7_packed = pack});
      ASSERT_TRUE(in.has_value()) << in.error().message;
      if (wire->size() > 1) {
        ASSERT_TRUE(in->concat.has_value());
        ASSERT_EQ(in->concat->reference, reference);
        ASSERT_EQ(in->concat->total, wire->size());
        ASSERT_EQ(in->concat->seqnum, k + 1);
        ASSERT_EQ(in->concat->sixteen_bit, sixteen);
      }
      Bytes expected_septets = s->parts[k].bytes;
      const int fill = part.udhi ? SeptetFillBits(part.bytes[0] + 1u) : 0;
      if (gsm && pack && EndsLikePadding(expected_septets, fill)) {
        expected_septets.pop_back();  // see Gsm7RoundTripsAndPacks
      }
      ASSERT_EQ(in->utf8, gsm ? DecodeGsm7(expected_septets) : DecodeUcs2(s->parts[k].bytes));
      reassembled += in->utf8;
    }
    if (!pack || s->encoding == core::Encoding::kUcs2) {
      ASSERT_EQ(reassembled, text);
    }
  }
}

}  // namespace
}  // namespace smsgw::text
