#include "webhook/target.h"

#include <gtest/gtest.h>

namespace smsgw::webhook {
namespace {

using std::chrono::seconds;
using Secs = std::vector<seconds>;

TEST(TargetTest, InlineCallbackWithDefaults) {
  auto t = TargetFromCallback(R"({"url":"https://example.com/hook"})");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->url, "https://example.com/hook");
  EXPECT_EQ(t->method, "POST");
  EXPECT_TRUE(t->headers.empty());
  EXPECT_EQ(t->auth.kind, store::CallbackAuth::Kind::kNone);
  EXPECT_EQ(t->retry, DefaultInlineRetry());
  EXPECT_EQ(t->retry.kind, store::RetryPolicy::Kind::kFixed);
  EXPECT_EQ(t->retry.intervals, (Secs{seconds(10), seconds(10), seconds(10)}));
}

TEST(TargetTest, InlineCallbackFields) {
  auto t = TargetFromCallback(
      R"({"url":"http://h:8080/x?a=1","method":"get","header":{"X-A":"1","X-B":"two"},)"
      R"("retry":{"count":"4","interval":["5",7]}})");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->method, "GET");
  ASSERT_EQ(t->headers.size(), 2u);
  EXPECT_EQ(t->headers[0], (std::pair<std::string, std::string>{"X-A", "1"}));
  EXPECT_EQ(t->headers[1], (std::pair<std::string, std::string>{"X-B", "two"}));
  // The last interval repeats when there are fewer intervals than retries.
  EXPECT_EQ(t->retry.intervals, (Secs{seconds(5), seconds(7), seconds(7), seconds(7)}));
}

TEST(TargetTest, InlineRetryShapes) {
  auto count_only = TargetFromCallback(R"({"url":"http://h/","retry":{"count":2}})");
  ASSERT_TRUE(count_only);
  EXPECT_EQ(count_only->retry.intervals, (Secs{seconds(10), seconds(10)}));

  auto intervals_only = TargetFromCallback(R"({"url":"http://h/","retry":{"interval":[1,2,3]}})");
  ASSERT_TRUE(intervals_only);
  EXPECT_EQ(intervals_only->retry.intervals, (Secs{seconds(1), seconds(2), seconds(3)}));

  auto more_intervals = TargetFromCallback(R"({"url":"http://h/","retry":{"count":"1",)"
                                           R"("interval":["3","4"]}})");
  ASSERT_TRUE(more_intervals);
  EXPECT_EQ(more_intervals->retry.intervals, (Secs{seconds(3)}));

  auto none = TargetFromCallback(R"({"url":"http://h/","retry":{"count":"0"}})");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->retry.intervals.empty());
}

TEST(TargetTest, InlineCallbackRefusals) {
  EXPECT_FALSE(TargetFromCallback(""));
  EXPECT_FALSE(TargetFromCallback("[]"));
  EXPECT_FALSE(TargetFromCallback(R"({"method":"POST"})"));
  EXPECT_FALSE(TargetFromCallback(R"({"url":"ftp://h/"})"));
  EXPECT_FALSE(TargetFromCallback(R"({"url":"http://h/","method":"DELETE"})"));
  EXPECT_FALSE(TargetFromCallback(R"({"url":"http://h/","retry":{"count":"x"}})"));
  EXPECT_FALSE(TargetFromCallback(R"({"url":"http://h/","retry":{"interval":["-1"]}})"));
}

TEST(TargetTest, FromProfile) {
  store::CallbackProfile p;
  p.url = "https://hooks.example.com/a";
  p.method = "put";
  p.headers = {{"X-K", "v"}};
  p.auth.kind = store::CallbackAuth::Kind::kBasic;
  p.auth.user = "u";
  p.auth.password = "p";
  p.body_template = "{\"s\":\"<status>\"}";
  p.retry.kind = store::RetryPolicy::Kind::kExponential;
  const Target t = TargetFromProfile(p);
  EXPECT_EQ(t.url, p.url);
  EXPECT_EQ(t.method, "PUT");
  EXPECT_EQ(t.headers, p.headers);
  EXPECT_EQ(t.auth, p.auth);
  EXPECT_EQ(t.body_template, p.body_template);
  EXPECT_EQ(t.retry, p.retry);
}

TEST(TargetTest, HostKey) {
  EXPECT_EQ(HostKey("http://Example.COM/x"), "http://example.com:80");
  EXPECT_EQ(HostKey("https://example.com?q=1"), "https://example.com:443");
  EXPECT_EQ(HostKey("http://127.0.0.1:8080/a/b"), "http://127.0.0.1:8080");
  EXPECT_EQ(HostKey("http://user:pw@h:81/"), "http://h:81");
  EXPECT_EQ(HostKey("http://[::1]:9000/"), "http://[::1]:9000");
  EXPECT_EQ(HostKey("ftp://h/"), "");
  EXPECT_EQ(HostKey("http://"), "");
}

}  // namespace
}  // namespace smsgw::webhook
