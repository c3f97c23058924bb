#include "text/inbound_decoder.h"

#include <gtest/gtest.h>

#include <vector>

#include "text/gsm7.h"
#include "text/ucs2.h"

namespace smsgw::text {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes Concat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

InboundText MustDecode(uint8_t dc, const Bytes& bytes, InboundOptions options = {}) {
  core::Result<InboundText> text = DecodeInbound(dc, bytes, options);
  EXPECT_TRUE(text.has_value()) << text.error().message;
  return text.value_or(InboundText{});
}

TEST(DecodeInbound, Gsm7OneSeptetPerOctet) {
  const InboundText t = MustDecode(0x00, EncodeGsm7("Hi £5 {ok} €").value());
  EXPECT_EQ(t.utf8, "Hi £5 {ok} €");
  EXPECT_EQ(t.alphabet, Alphabet::kGsm7);
  EXPECT_FALSE(t.concat.has_value());
}

TEST(DecodeInbound, Gsm7WithUdh) {
  const Bytes bytes = Concat({0x05, 0x00, 0x03, 0x2A, 0x03, 0x02}, EncodeGsm7("part two").value());
  const InboundText t = MustDecode(0x00, bytes, {.udhi = true});
  EXPECT_EQ(t.utf8, "part two");
  ASSERT_TRUE(t.concat.has_value());
  EXPECT_EQ(t.concat->reference, 0x2A);
  EXPECT_EQ(t.concat->total, 3);
  EXPECT_EQ(t.concat->seqnum, 2);
  ASSERT_EQ(t.udh_elements.size(), 1u);
  // Without UDHI the same octets are text: the header shows up as characters.
  EXPECT_NE(MustDecode(0x00, bytes).utf8, "part two");
}

TEST(DecodeInbound, PackedGsm7WithAndWithoutUdh) {
  const Bytes septets = EncodeGsm7("hellohello").value();
  EXPECT_EQ(MustDecode(0x00, PackSeptets(septets), {.gsm7_packed = true}).utf8, "hellohello");
  const Bytes udh = {0x06, 0x08, 0x04, 0x12, 0x34, 0x02, 0x01};  // 7 octets: no fill bits
  EXPECT_EQ(MustDecode(0x00, Concat(udh, PackSeptets(septets, SeptetFillBits(udh.size()))),
                       {.udhi = true, .gsm7_packed = true})
                .utf8,
            "hellohello");
  const Bytes udh8 = {0x05, 0x00, 0x03, 0x01, 0x02, 0x01};  // 6 octets: one fill bit
  const InboundText t = MustDecode(0x10, Concat(udh8, PackSeptetsPaddedWithCr(septets, 1)),
                                   {.udhi = true, .gsm7_packed = true});
  EXPECT_EQ(t.utf8, "hellohello");
  ASSERT_TRUE(t.concat.has_value());
  EXPECT_EQ(t.concat->total, 2);
}

TEST(DecodeInbound, Ia5AndLatin1) {
  EXPECT_EQ(MustDecode(0x01, Bytes{'H', 'i', '{', '}', 0x80, '!'}).utf8, "Hi{}\uFFFD!");
  EXPECT_EQ(MustDecode(0x03, Bytes{'c', 'a', 'f', 0xE9, ' ', 0xA3, 0xFF}).utf8, "café £ÿ");
  EXPECT_EQ(
      MustDecode(0x03, Concat({0x05, 0x00, 0x03, 0x01, 0x02, 0x02}, {0xE0}), {.udhi = true}).utf8,
      "à");
}

TEST(DecodeInbound, Ucs2WithUdhAndSurrogates) {
  const Bytes udh = {0x05, 0x00, 0x03, 0x07, 0x02, 0x01};
  const InboundText t = MustDecode(0x08, Concat(udh, EncodeUcs2("नमस्ते 😀").value()), {.udhi = true});
  EXPECT_EQ(t.utf8, "नमस्ते 😀");
  EXPECT_EQ(t.alphabet, Alphabet::kUcs2);
  EXPECT_EQ(t.concat->reference, 7);
  // Flash UCS-2 and a lone surrogate.
  EXPECT_EQ(MustDecode(0x18, Bytes{0xD8, 0x3D, 0x00, 0x41}).utf8, "\uFFFDA");
}

TEST(DecodeInbound, ErrorsAreValues) {
  EXPECT_FALSE(DecodeInbound(0x04, Bytes{1, 2, 3}).has_value());
  EXPECT_FALSE(DecodeInbound(0x02, Bytes{1, 2, 3}).has_value());
  EXPECT_FALSE(DecodeInbound(0x06, Bytes{1, 2, 3}).has_value());
  const auto bad_udh = DecodeInbound(0x00, Bytes{0x09, 0x00, 0x03}, {.udhi = true});
  ASSERT_FALSE(bad_udh.has_value());
  EXPECT_NE(bad_udh.error().message.find("malformed UDH"), std::string::npos);
  EXPECT_FALSE(DecodeInbound(0x08, Bytes{}, {.udhi = true}).has_value());
  const auto binary = DecodeInbound(0xF4, Bytes{1});
  ASSERT_FALSE(binary.has_value());
  EXPECT_EQ(binary.error().message, "data_coding 0xF4 carries binary data, not text");
}

TEST(DecodeInbound, EmptyBodies) {
  EXPECT_EQ(MustDecode(0x00, Bytes{}).utf8, "");
  EXPECT_EQ(MustDecode(0x08, Bytes{0x00}, {.udhi = true}).utf8, "");
  EXPECT_EQ(MustDecode(0x00, Bytes{0x00}, {.udhi = true, .gsm7_packed = true}).utf8, "");
}

}  // namespace
}  // namespace smsgw::text
