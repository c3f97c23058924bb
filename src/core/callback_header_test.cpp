#include "core/callback_header.h"

#include <gtest/gtest.h>

#include <string>

namespace smsgw::core {
namespace {

TEST(CallbackHeaderTest, AcceptsOrdinaryHeaders) {
  EXPECT_EQ(CallbackHeaderProblem("Authorization", "Bearer abc.def"), std::nullopt);
  EXPECT_EQ(CallbackHeaderProblem("X-Tenant", "a\tb c"), std::nullopt);
  EXPECT_EQ(CallbackHeaderProblem("Content-Type", "application/json"), std::nullopt);
  EXPECT_EQ(CallbackHeaderProblem("x-empty", ""), std::nullopt);
  EXPECT_EQ(CallbackHeaderProblem("X-Utf8", "caf\xC3\xA9"), std::nullopt);  // obs-text
}

TEST(CallbackHeaderTest, RefusesLineBreaksAndControlsInValues) {
  for (const std::string& value :
       {std::string("a\r\nHost: evil"), std::string("a\nb"), std::string("a\rb"),
        std::string("a\0b", 3), std::string("a\x7F"), std::string("\x1B[31m")}) {
    auto problem = CallbackHeaderProblem("X-Ok", value);
    ASSERT_TRUE(problem.has_value());
    EXPECT_NE(problem->find("on one line"), std::string::npos);
  }
  EXPECT_TRUE(CallbackHeaderProblem("X-Long", std::string(4097, 'v')));
  EXPECT_FALSE(CallbackHeaderProblem("X-Long", std::string(4096, 'v')));
}

TEST(CallbackHeaderTest, RefusesNamesThatAreNotTokens) {
  for (const std::string& name : {std::string(""), std::string("Bad Name"), std::string("a:b"),
                                  std::string("X-\r\nEvil"), std::string(257, 'n')}) {
    auto problem = CallbackHeaderProblem(name, "v");
    ASSERT_TRUE(problem.has_value()) << name;
    EXPECT_NE(problem->find("is not a header name"), std::string::npos);
    EXPECT_EQ(problem->find('\r'), std::string::npos);  // shown safely
  }
}

TEST(CallbackHeaderTest, RefusesFramingRoutingAndOurOwnHeaders) {
  for (const char* name :
       {"Host", "content-length", "Transfer-Encoding", "Connection", "TE", "Upgrade", "Expect",
        "Proxy-Authorization", "X-Smsgw-Signature", "x-smsgw-event-id", "X-SMSGW-Webhook"}) {
    auto problem = CallbackHeaderProblem(name, "1");
    ASSERT_TRUE(problem.has_value()) << name;
    EXPECT_NE(problem->find("set by smsgw itself"), std::string::npos) << *problem;
  }
}

}  // namespace
}  // namespace smsgw::core
