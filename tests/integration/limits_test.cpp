// Limits that protect every tenant (issue 13), on the real binary: per-account rate limits (429
// with Retry-After), idempotent sends, per-country caps, opt-out and the receipt timeout.

#include "fixture.h"

namespace smsgw::itest {
namespace {

constexpr const char* kBody = R"({"to":"+919876543210","sender":"ACMEIN","body":"Hi"})";

class RateLimitTest : public ServerTest {
 protected:
  std::string ConfigText() const override {
    return std::string(kOfflineSmscConfig) + "[limits]\nsends_per_second = 2\n";
  }
};

TEST_F(RateLimitTest, OverTheAccountsRateIs429WithRetryAfter) {
  // Two a second with a second's burst: the third of a quick run is refused (a run of ten, in
  // case the machine is slow enough for a token to come back meanwhile).
  HttpResponse over;
  int accepted = 0;
  for (int i = 0; i < 10 && over.status != 429; ++i) {
    over = Send(kBody);
    accepted += over.status == 200;
  }
  ASSERT_TRUE(IsError(over, 429, "E429")) << over.body;
  EXPECT_GE(accepted, 2);
  const int retry_after = std::atoi(over.Header("retry-after").c_str());
  EXPECT_GE(retry_after, 1) << "Retry-After: " << over.Header("retry-after");
  EXPECT_LE(retry_after, 2);
  // Another account has its own bucket.
  const Account other = gw_.CreateAccount("other");
  EXPECT_EQ(gw_.Post("/v1/" + other.sid + "/messages", kBody, other.api_key).status, 200);

  // The operator lifts the limit for this account: it applies to the next request.
  CommandResult set = gw_.Cli({"account", "set", "--sid", account_.sid, "--sends-per-second", "0"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(Send(kBody).status, 200) << i;
  }
  // A recipients limit counts each accepted recipient; a request over the burst goes through
  // once and is paid for by the following ones.
  set = gw_.Cli({"account", "set", "--sid", account_.sid, "--recipients-per-second", "2"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  const std::string five =
      R"({"to":["+919876543210","+919876543211","+919876543212","+919876543213",)"
      R"("+919876543214"],"sender":"ACMEIN","body":"Hi"})";
  EXPECT_EQ(Send(five).status, 200);
  HttpResponse owed = Send(kBody);
  ASSERT_TRUE(IsError(owed, 429, "E429")) << owed.body;
  EXPECT_NE(owed.body.find("2 recipients a second"), std::string::npos) << owed.body;
  // A bad value is refused with a one-line reason.
  CommandResult bad = gw_.Cli({"account", "set", "--sid", account_.sid, "--sends-per-second", "x"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("0 (unlimited) to 1000000"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace smsgw::itest
