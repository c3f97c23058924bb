#include "webhook/token_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "fakes/manual_clock.h"
#include "support/http_receiver.h"

namespace smsgw::webhook {
namespace {

using smsgw::testing::HttpReceiver;
using smsgw::testing::ReceivedRequest;
using smsgw::testing::ReceiverAnswer;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Outcome = std::expected<std::string, std::string>;

using fakes::ManualClock;

class Outcomes {
 public:
  TokenCache::Callback Add() {
    return [this](Outcome o) {
      std::lock_guard lock(mu_);
      items_.push_back(std::move(o));
      threads_.push_back(std::this_thread::get_id());
      cv_.notify_all();
    };
  }
  bool WaitFor(size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, milliseconds(4000), [&] { return items_.size() >= n; });
  }
  std::vector<Outcome> Items() {
    std::lock_guard lock(mu_);
    return items_;
  }
  std::vector<std::thread::id> Threads() {
    std::lock_guard lock(mu_);
    return threads_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Outcome> items_;
  std::vector<std::thread::id> threads_;
};

// A token endpoint answering "tok-1", "tok-2", ... valid for `expires_in` seconds.
class TokenCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    endpoint_ = HttpReceiver::Start();
    endpoint_->SetResponder([this](const ReceivedRequest&) {
      ReceiverAnswer a;
      a.delay = milliseconds(delay_ms_.load());
      a.headers = {{"Content-Type", "application/json"}};
      if (fail_next_.exchange(false)) {
        a.status = 401;
        a.body = R"({"error":"invalid_client"})";
        return a;
      }
      a.body = R"({"access_token":"tok-)" + std::to_string(++issued_) +
               R"(","token_type":"Bearer","expires_in":)" + std::to_string(expires_in_) + "}";
      return a;
    });
    std::string error;
    HttpClient::Options options;
    options.egress = testing::LoopbackReceiversAllowed();
    client_ = HttpClient::Start(options, &error);
    ASSERT_NE(client_, nullptr) << error;
    cache_ = std::make_unique<TokenCache>(*client_, clock_);
    key_.token_url = endpoint_->Url("/oauth/token");
    key_.client_id = "my client";
    key_.client_secret = "s&cret:1";
  }
  void TearDown() override {
    client_->Stop();  // before the cache goes
  }

  // Gets one token and waits for it.
  Outcome GetNow(const TokenKey& key) {
    Outcomes outcomes;
    cache_->Get(key, outcomes.Add());
    EXPECT_TRUE(outcomes.WaitFor(1));
    return outcomes.Items().at(0);
  }

  std::unique_ptr<HttpReceiver> endpoint_;
  std::atomic<int> issued_{0};
  std::atomic<int> expires_in_{3600};
  std::atomic<bool> fail_next_{false};
  std::atomic<int> delay_ms_{0};
  ManualClock clock_;
  std::unique_ptr<HttpClient> client_;
  std::unique_ptr<TokenCache> cache_;
  TokenKey key_;
};

TEST_F(TokenCacheTest, FetchesWithClientCredentialsAndCaches) {
  EXPECT_EQ(GetNow(key_), Outcome("tok-1"));
  EXPECT_EQ(GetNow(key_), Outcome("tok-1"));
  clock_.Advance(seconds(3000));
  EXPECT_EQ(GetNow(key_), Outcome("tok-1"));
  ASSERT_EQ(endpoint_->Count(), 1u);

  const ReceivedRequest r = endpoint_->Requests()[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/oauth/token");
  EXPECT_EQ(r.Header("content-type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(r.Header("accept"), "application/json");
  // base64("my+client:s%26cret%3A1"), RFC 6749 §2.3.1
  EXPECT_EQ(r.Header("authorization"), "Basic bXkrY2xpZW50OnMlMjZjcmV0JTNBMQ==");
  EXPECT_EQ(r.body, "grant_type=client_credentials&client_id=my+client&client_secret=s%26cret%3A1");
}

TEST_F(TokenCacheTest, SendsScopeAndKeysByIt) {
  TokenKey scoped = key_;
  scoped.scope = "webhooks.write read";
  EXPECT_EQ(GetNow(scoped), Outcome("tok-1"));
  EXPECT_EQ(GetNow(key_), Outcome("tok-2"));
  EXPECT_EQ(GetNow(scoped), Outcome("tok-1"));
  TokenKey other_client = key_;
  other_client.client_id = "other";
  EXPECT_EQ(GetNow(other_client), Outcome("tok-3"));
  ASSERT_EQ(endpoint_->Count(), 3u);
  EXPECT_EQ(endpoint_->Requests()[0].body,
            "grant_type=client_credentials&client_id=my+client&client_secret=s%26cret%3A1"
            "&scope=webhooks.write+read");
}

TEST_F(TokenCacheTest, RefetchesBeforeExpiry) {
  expires_in_ = 100;  // used for 90 s: the margin is a tenth of a short lifetime
  EXPECT_EQ(GetNow(key_), Outcome("tok-1"));
  clock_.Advance(seconds(89));
  EXPECT_EQ(GetNow(key_), Outcome("tok-1"));
  clock_.Advance(seconds(2));
  EXPECT_EQ(GetNow(key_), Outcome("tok-2"));
  expires_in_ = 3600;  // used for 3570 s: a margin of 30 s
  clock_.Advance(seconds(91));
  EXPECT_EQ(GetNow(key_), Outcome("tok-3"));
  clock_.Advance(seconds(3569));
  EXPECT_EQ(GetNow(key_), Outcome("tok-3"));
  clock_.Advance(seconds(2));
  EXPECT_EQ(GetNow(key_), Outcome("tok-4"));
  EXPECT_EQ(endpoint_->Count(), 4u);
}

TEST_F(TokenCacheTest, FailureReachesTheCallerAndIsNotCached) {
  fail_next_ = true;
  const Outcome failed = GetNow(key_);
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error(), "token endpoint answered 401 invalid_client");
  EXPECT_EQ(GetNow(key_), Outcome("tok-1"));
  EXPECT_EQ(endpoint_->Count(), 2u);

  TokenKey unreachable = key_;
  endpoint_->Down();
  unreachable.token_url = endpoint_->Url("/down");
  const Outcome refused = GetNow(unreachable);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error(), "token endpoint: connection refused");
}

TEST_F(TokenCacheTest, ConcurrentGetsShareOneFetch) {
  delay_ms_ = 200;
  Outcomes outcomes;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 5; ++j) {
        cache_->Get(key_, outcomes.Add());
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  ASSERT_TRUE(outcomes.WaitFor(20));
  for (const auto& o : outcomes.Items()) {
    EXPECT_EQ(o, Outcome("tok-1"));
  }
  EXPECT_EQ(endpoint_->Count(), 1u);
}

TEST_F(TokenCacheTest, ConcurrentGetsShareOneFailure) {
  delay_ms_ = 100;
  fail_next_ = true;
  Outcomes outcomes;
  for (int i = 0; i < 3; ++i) {
    cache_->Get(key_, outcomes.Add());
  }
  ASSERT_TRUE(outcomes.WaitFor(3));
  for (const auto& o : outcomes.Items()) {
    EXPECT_FALSE(o.has_value());
  }
  EXPECT_EQ(endpoint_->Count(), 1u);
}

TEST_F(TokenCacheTest, InvalidateDropsOnlyTheRejectedToken) {
  EXPECT_EQ(GetNow(key_), Outcome("tok-1"));
  cache_->Invalidate(key_, "tok-1");
  EXPECT_EQ(GetNow(key_), Outcome("tok-2"));
  cache_->Invalidate(key_, "tok-1");  // a late 401 for the old token
  EXPECT_EQ(GetNow(key_), Outcome("tok-2"));
  cache_->Invalidate(key_);
  EXPECT_EQ(GetNow(key_), Outcome("tok-3"));
  EXPECT_EQ(endpoint_->Count(), 3u);
}

TEST_F(TokenCacheTest, CallbacksRunOnTheClientThread) {
  Outcomes outcomes;
  cache_->Get(key_, outcomes.Add());
  ASSERT_TRUE(outcomes.WaitFor(1));
  cache_->Get(key_, outcomes.Add());  // cached
  ASSERT_TRUE(outcomes.WaitFor(2));
  const auto threads = outcomes.Threads();
  EXPECT_NE(threads[0], std::this_thread::get_id());
  EXPECT_EQ(threads[0], threads[1]);
}

TEST_F(TokenCacheTest, StoppedClientFailsTheFetch) {
  client_->Stop();
  const Outcome o = GetNow(key_);
  ASSERT_FALSE(o.has_value());
  EXPECT_EQ(o.error(), "token endpoint: stopped");
}

HttpResult Answer(int status, std::string body) {
  HttpResult r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

TEST(ParseTokenAnswerTest, ReadsTokenAndLifetime) {
  using Parsed = std::pair<std::string, seconds>;
  const seconds fallback(300);
  EXPECT_EQ(ParseTokenAnswer(Answer(200, R"({"access_token":"a","expires_in":60})"), fallback),
            Parsed("a", seconds(60)));
  EXPECT_EQ(ParseTokenAnswer(Answer(200, R"({"access_token":"a","expires_in":"120"})"), fallback),
            Parsed("a", seconds(120)));
  EXPECT_EQ(ParseTokenAnswer(Answer(200, R"({"access_token":"a","expires_in":59.9})"), fallback),
            Parsed("a", seconds(59)));
  EXPECT_EQ(ParseTokenAnswer(Answer(200, R"({"access_token":"a"})"), fallback),
            Parsed("a", fallback));
  EXPECT_EQ(ParseTokenAnswer(Answer(200, R"({"access_token":"a","expires_in":0})"), fallback),
            Parsed("a", fallback));
  EXPECT_EQ(ParseTokenAnswer(Answer(200, R"({"access_token":"a","expires_in":"x"})"), fallback),
            Parsed("a", fallback));
}

TEST(ParseTokenAnswerTest, ExplainsFailures) {
  const seconds fallback(300);
  EXPECT_EQ(ParseTokenAnswer(Answer(200, "<html>"), fallback).error(),
            "token answer is not a JSON object");
  EXPECT_EQ(ParseTokenAnswer(Answer(200, R"({"token":"a"})"), fallback).error(),
            "token answer has no access_token");
  EXPECT_EQ(ParseTokenAnswer(Answer(200, R"({"access_token":""})"), fallback).error(),
            "token answer has no access_token");
  EXPECT_EQ(ParseTokenAnswer(Answer(400, R"({"error":"invalid_grant"})"), fallback).error(),
            "token endpoint answered 400 invalid_grant");
  EXPECT_EQ(ParseTokenAnswer(Answer(503, "busy"), fallback).error(), "token endpoint answered 503");
  HttpResult timeout;
  timeout.error = "timeout";
  EXPECT_EQ(ParseTokenAnswer(timeout, fallback).error(), "token endpoint: timeout");
}

}  // namespace
}  // namespace smsgw::webhook
