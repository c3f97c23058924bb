#include "smpp/codec/framing.h"

#include <gtest/gtest.h>

#include <vector>

namespace smsgw::smpp::codec {
namespace {

using Bytes = std::vector<uint8_t>;

const Bytes kEnquireLink = {0, 0, 0, 0x10, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 0x01};

TEST(Framing, WaitsForTheWholePdu) {
  for (size_t n = 0; n < kEnquireLink.size(); ++n) {
    const auto r = FrameLength(std::span(kEnquireLink).first(n));
    ASSERT_TRUE(r.has_value()) << n;
    EXPECT_FALSE(r->has_value()) << n;
  }
  const auto r = FrameLength(kEnquireLink);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, std::optional<size_t>(16));
}

TEST(Framing, FindsTheFirstOfSeveral) {
  Bytes stream = kEnquireLink;
  stream.insert(stream.end(), {0, 0, 0, 0x14, 0x80, 0, 0, 0x04});  // the next PDU, partial
  const auto r = FrameLength(stream);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, std::optional<size_t>(16));
  const auto next = FrameLength(std::span(stream).subspan(16));
  ASSERT_TRUE(next.has_value());
  EXPECT_FALSE(next->has_value());  // 8 of 20 octets
}

TEST(Framing, RejectsImpossibleLengths) {
  const auto small = FrameLength(Bytes{0, 0, 0, 0x0F});
  ASSERT_FALSE(small.has_value());
  EXPECT_EQ(small.error().code, CommandStatus::kInvalidCommandLength);
  const auto zero = FrameLength(Bytes{0, 0, 0, 0});
  ASSERT_FALSE(zero.has_value());
  // Known to be too big from the first four octets: no need to wait for 4 GiB.
  const auto huge = FrameLength(Bytes{0xFF, 0xFF, 0xFF, 0xFF});
  ASSERT_FALSE(huge.has_value());
  EXPECT_EQ(huge.error().code, CommandStatus::kInvalidCommandLength);
  EXPECT_TRUE(FrameLength(Bytes{0, 1, 0, 0}).has_value());  // 65536: the default limit
  EXPECT_FALSE(FrameLength(Bytes{0, 1, 0, 1}).has_value());
  EXPECT_FALSE(FrameLength(Bytes{0, 0, 0, 0x11}, DecodeLimits{.max_command_length = 16}));
}

TEST(Framing, PeekHeader) {
  EXPECT_FALSE(PeekHeader(std::span(kEnquireLink).first(15)).has_value());
  EXPECT_EQ(
      PeekHeader(Bytes{0, 0, 0, 0x10, 0x80, 0, 0, 0x15, 0, 0, 0, 0x58, 0x7F, 0xFF, 0xFF, 0xFF}),
      (Header{16, 0x80000015, 0x58, 0x7FFFFFFF}));
}

}  // namespace
}  // namespace smsgw::smpp::codec
