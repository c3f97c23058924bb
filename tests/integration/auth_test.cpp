// Authentication: api-key header against the SID in the path.

#include "fixture.h"

namespace smsgw::itest {
namespace {

using AuthTest = ServerTest;

constexpr const char* kBody = R"({"to":"+919876543210","sender":"ACMEIN","body":"Hi"})";

TEST_F(AuthTest, MissingKeyIs401) {
  EXPECT_TRUE(IsError(gw_.Post(MessagesPath(), kBody, ""), 401, "E430"));
  EXPECT_TRUE(IsError(gw_.Request("GET", Path("v1", "messages/status?message_ids=x:1"), "", ""),
                      401, "E430"));
}

TEST_F(AuthTest, UnknownKeyIs401) {
  EXPECT_TRUE(
      IsError(gw_.Post(MessagesPath(), kBody, "A0123456789abcdef0123456789abcdef"), 401, "E431"));
  EXPECT_TRUE(IsError(gw_.Post(MessagesPath(), kBody, "not-even-a-key"), 401, "E431"));
}

TEST_F(AuthTest, AnotherAccountsKeyIs403) {
  const Account other = gw_.CreateAccount("other");
  ASSERT_FALSE(HasFailure());
  EXPECT_TRUE(IsError(gw_.Post(MessagesPath(), kBody, other.api_key), 403, "E432"));
  // And the other account can use its own key (created while serving).
  EXPECT_EQ(gw_.Post("/v1/" + other.sid + "/messages", kBody, other.api_key).status, 200);
}

TEST_F(AuthTest, UnknownSidWithValidKeyIs403) {
  EXPECT_TRUE(
      IsError(gw_.Post("/v1/HXSG9999999999SG/messages", kBody, account_.api_key), 403, "E432"));
  EXPECT_TRUE(IsError(gw_.Request("GET", "/v1/HXSG9999999999SG/messages/status?message_ids=a:1", "",
                                  account_.api_key),
                      403, "E432"));
}

TEST_F(AuthTest, ValidKeySends) {
  EXPECT_EQ(gw_.Post(MessagesPath(), kBody, account_.api_key).status, 200);
}

}  // namespace
}  // namespace smsgw::itest
