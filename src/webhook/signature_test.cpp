#include "webhook/signature.h"

#include <gtest/gtest.h>

namespace smsgw::webhook {
namespace {

using std::chrono::seconds;

TEST(SignatureTest, HmacSha256KnownVectors) {
  // RFC 4231, test case 2.
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // RFC 4231, test case 1: key 0x0b × 20, "Hi There".
  EXPECT_EQ(HmacSha256Hex(std::string(20, '\x0b'), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // RFC 4231, test case 6: a key longer than SHA-256's block, hashed first.
  EXPECT_EQ(HmacSha256Hex(std::string(131, '\xaa'),
                          "Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  // An empty key and message (the context is reused per thread: keys must not leak across).
  EXPECT_EQ(HmacSha256Hex("", ""),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(SignatureTest, HeaderValueSignsTimeDotBody) {
  const std::string value = SignatureHeaderValue("Jefe", 1700000000, "{\"a\":1}");
  EXPECT_EQ(value, "t=1700000000,v1=" + HmacSha256Hex("Jefe", std::string("1700000000.{\"a\":1}")));
}

TEST(SignatureTest, VerifyAcceptsItsOwnAndRefusesTampering) {
  const core::TimePoint now = core::FromUnixMillis(1'700'000'010'000);
  const std::string value = SignatureHeaderValue("s3cret", 1700000000, "body");
  EXPECT_TRUE(VerifySignature(value, "s3cret", "body", now));
  EXPECT_FALSE(VerifySignature(value, "s3cret", "bodY", now));
  EXPECT_FALSE(VerifySignature(value, "other", "body", now));
  // Outside the tolerance window, either way.
  EXPECT_FALSE(VerifySignature(value, "s3cret", "body", now, seconds(5)));
  EXPECT_FALSE(VerifySignature(value, "s3cret", "body", core::FromUnixMillis(1'699'999'000'000),
                               seconds(300)));
  // A changed timestamp breaks the signature.
  std::string moved = value;
  moved.replace(moved.find("1700000000"), 10, "1700000001");
  EXPECT_FALSE(VerifySignature(moved, "s3cret", "body", now));
}

TEST(SignatureTest, VerifyParsing) {
  const core::TimePoint now = core::FromUnixMillis(1'700'000'000'000);
  const std::string good = SignatureHeaderValue("k", 1700000000, "x");
  const std::string v1 = good.substr(good.find("v1="));
  EXPECT_TRUE(VerifySignature("t=1700000000, v1=00ff," + v1, "k", "x", now));
  EXPECT_FALSE(VerifySignature(v1, "k", "x", now));
  EXPECT_FALSE(VerifySignature("t=1700000000", "k", "x", now));
  EXPECT_FALSE(VerifySignature("t=17x," + v1, "k", "x", now));
  EXPECT_FALSE(VerifySignature("", "k", "x", now));
}

}  // namespace
}  // namespace smsgw::webhook
