#include "webhook/http_client.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "support/http_receiver.h"

namespace smsgw::webhook {
namespace {

using smsgw::testing::HttpReceiver;
using smsgw::testing::ReceivedRequest;
using smsgw::testing::ReceiverAnswer;
using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

// Collects completions from the client's thread.
class Results {
 public:
  HttpClient::Completion Add(std::string tag = "") {
    return [this, tag](HttpResult r) {
      std::lock_guard lock(mu_);
      items_.push_back({tag, std::move(r), SteadyClock::now(), std::this_thread::get_id()});
      cv_.notify_all();
    };
  }
  bool WaitFor(size_t n, milliseconds timeout = milliseconds(4000)) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return items_.size() >= n; });
  }
  struct Item {
    std::string tag;
    HttpResult result;
    SteadyClock::time_point at;
    std::thread::id thread;
  };
  std::vector<Item> Items() {
    std::lock_guard lock(mu_);
    return items_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Item> items_;
};

// Options whose egress policy lets requests reach the receivers on 127.0.0.1.
HttpClient::Options LoopbackOptions() {
  HttpClient::Options options;
  options.egress = testing::LoopbackReceiversAllowed();
  return options;
}

std::unique_ptr<HttpClient> StartClient(HttpClient::Options options = LoopbackOptions()) {
  std::string error;
  auto client = HttpClient::Start(options, &error);
  EXPECT_NE(client, nullptr) << error;
  return client;
}

HttpRequest Post(std::string url, std::string body = "{}") {
  HttpRequest r;
  r.method = "POST";
  r.url = std::move(url);
  r.headers = {{"Content-Type", "application/json"}};
  r.body = std::move(body);
  return r;
}

ReceiverAnswer Delayed(milliseconds delay) {
  ReceiverAnswer a;
  a.delay = delay;
  return a;
}

// The egress policy judges the address libcurl is about to connect to: loopback is refused by
// default however the URL spells it, a name that resolves to loopback (localhost) included, and
// the refusal says nothing about the address, the port or the time it took.
TEST(HttpClientTest, RefusesTargetsTheEgressPolicyDenies) {
  auto receiver = HttpReceiver::Start();
  auto client = StartClient(HttpClient::Options{});  // the default policy
  ASSERT_NE(client, nullptr);
  const std::string port = std::to_string(receiver->port());
  const std::vector<std::string> urls = {
      "http://127.0.0.1:" + port + "/",  "http://127.1:" + port + "/",
      "http://2130706433:" + port + "/", "http://0x7f000001:" + port + "/",
      "http://[::1]:" + port + "/",      "http://localhost:" + port + "/",
      "http://0.0.0.0:" + port + "/",    "http://[::ffff:127.0.0.1]:" + port + "/"};
  Results results;
  for (const std::string& url : urls) {
    client->Submit(Post(url), results.Add(url));
  }
  ASSERT_TRUE(results.WaitFor(urls.size()));
  for (const Results::Item& item : results.Items()) {
    EXPECT_EQ(item.result.error, "target not allowed") << item.tag;
    EXPECT_EQ(item.result.status, 0) << item.tag;
    EXPECT_EQ(item.result.latency.count(), 0) << item.tag;
  }
  EXPECT_EQ(receiver->Count(), 0u);
}

// Allowed networks let a receiver through, but never the node's own listeners.
TEST(HttpClientTest, AllowedTargetsButNeverTheNodesOwnListeners) {
  auto receiver = HttpReceiver::Start();
  auto own = HttpReceiver::Start();
  HttpClient::Options options;
  options.egress = core::EgressPolicy({*core::ParseIpNetwork("127.0.0.0/8")}, {},
                                      {{*core::ParseIpLiteral("127.0.0.1"), own->port()}});
  auto client = StartClient(options);
  Results results;
  client->Submit(Post(receiver->Url("/ok")), results.Add("ok"));
  client->Submit(Post(own->Url("/loop")), results.Add("loop"));
  ASSERT_TRUE(results.WaitFor(2));
  for (const Results::Item& item : results.Items()) {
    if (item.tag == "ok") {
      EXPECT_EQ(item.result.status, 200) << item.result.error;
    } else {
      EXPECT_EQ(item.result.error, "target not allowed");
    }
  }
  EXPECT_EQ(own->Count(), 0u);
}

TEST(HttpClientTest, SendsMethodHeadersAndBody) {
  auto receiver = HttpReceiver::Start();
  receiver->SetResponder([](const ReceivedRequest&) {
    ReceiverAnswer a;
    a.status = 202;
    a.body = "accepted";
    return a;
  });
  auto client = StartClient();
  Results results;
  HttpRequest post = Post(receiver->Url("/hook?a=1"), R"({"id":"m1"})");
  post.headers.emplace_back("X-Signature", "sig");
  client->Submit(post, results.Add());
  ASSERT_TRUE(results.WaitFor(1));
  HttpRequest put = Post(receiver->Url("/put"), "p");
  put.method = "PUT";
  client->Submit(put, results.Add());
  HttpRequest get;
  get.method = "GET";
  get.url = receiver->Url("/get");
  client->Submit(get, results.Add());
  ASSERT_TRUE(results.WaitFor(3));

  const auto items = results.Items();
  EXPECT_EQ(items[0].result.status, 202);
  EXPECT_EQ(items[0].result.error, "");
  EXPECT_EQ(items[0].result.body, "accepted");
  EXPECT_EQ(items[0].thread, items[1].thread);
  EXPECT_NE(items[0].thread, std::this_thread::get_id());

  const auto requests = receiver->Requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/hook?a=1");
  EXPECT_EQ(requests[0].body, R"({"id":"m1"})");
  EXPECT_EQ(requests[0].Header("content-type"), "application/json");
  EXPECT_EQ(requests[0].Header("x-signature"), "sig");
  EXPECT_EQ(requests[0].Header("expect"), "");
  EXPECT_EQ(requests[0].Header("x-smsgw-webhook"), "1") << "every request is marked";
  EXPECT_EQ(requests[1].method, "PUT");
  EXPECT_EQ(requests[1].body, "p");
  // The PUT may reuse the POST's handle: nothing of the POST's request may stay on it.
  EXPECT_EQ(requests[1].Header("x-signature"), "");
  EXPECT_EQ(requests[1].target, "/put");
  EXPECT_EQ(requests[2].method, "GET");
  EXPECT_EQ(requests[2].body, "");
  EXPECT_EQ(client->Pending(), 0u);
}

TEST(HttpClientTest, ReusesItsConnection) {
  auto receiver = HttpReceiver::Start();
  auto client = StartClient();
  Results results;
  for (size_t i = 1; i <= 4; ++i) {
    client->Submit(Post(receiver->Url("/k")), results.Add());
    ASSERT_TRUE(results.WaitFor(i));
  }
  const auto requests = receiver->Requests();
  ASSERT_EQ(requests.size(), 4u);
  for (const auto& r : requests) {
    EXPECT_EQ(r.connection, requests[0].connection);
  }
}

TEST(HttpClientTest, KeepsAtMostMaxResponseBodyAndReusesTheConnection) {
  auto receiver = HttpReceiver::Start();
  receiver->SetResponder([](const ReceivedRequest& r) {
    ReceiverAnswer a;
    a.status = r.path == "/big" ? 500 : 200;
    a.body = std::string(20000, 'x');
    return a;
  });
  HttpClient::Options options = LoopbackOptions();
  options.max_response_body = 100;
  auto client = StartClient(options);
  Results results;
  client->Submit(Post(receiver->Url("/big")), results.Add());
  ASSERT_TRUE(results.WaitFor(1));
  HttpRequest own_limit = Post(receiver->Url("/own"));
  own_limit.max_response_body = 1000;
  client->Submit(own_limit, results.Add());
  ASSERT_TRUE(results.WaitFor(2));
  const auto items = results.Items();
  EXPECT_EQ(items[0].result.status, 500);
  EXPECT_EQ(items[0].result.error, "");
  EXPECT_EQ(items[0].result.body, std::string(100, 'x'));
  EXPECT_EQ(items[1].result.body.size(), 1000u);
  const auto requests = receiver->Requests();
  EXPECT_EQ(requests[0].connection, requests[1].connection);
}

TEST(HttpClientTest, PerHostLimitHolds) {
  auto receiver = HttpReceiver::Start();
  receiver->SetResponder([](const ReceivedRequest&) { return Delayed(milliseconds(500)); });
  HttpClient::Options options = LoopbackOptions();
  options.per_host_connections = 2;
  auto client = StartClient(options);
  Results results;
  for (int i = 0; i < 6; ++i) {
    client->Submit(Post(receiver->Url("/slow")), results.Add());
  }
  EXPECT_EQ(client->Pending(), 6u);
  ASSERT_TRUE(results.WaitFor(6));
  for (const auto& item : results.Items()) {
    EXPECT_EQ(item.result.status, 200) << item.result.error;
  }
  const auto requests = receiver->Requests();
  ASSERT_EQ(requests.size(), 6u);
  // Each request is answered 500 ms after it arrives: count the ones arriving within a window
  // shorter than that, starting at each arrival.
  size_t most = 0;
  for (const auto& a : requests) {
    const auto overlapping = std::count_if(requests.begin(), requests.end(), [&](const auto& b) {
      return b.at >= a.at && b.at - a.at < milliseconds(400);
    });
    most = std::max(most, static_cast<size_t>(overlapping));
  }
  EXPECT_EQ(most, 2u);  // two at a time: the limit is reached, and not exceeded
  std::set<uint64_t> connections;
  for (const auto& r : requests) {
    connections.insert(r.connection);
  }
  EXPECT_EQ(connections.size(), 2u);
}

TEST(HttpClientTest, MaxConnectionsHoldsOverAllHosts) {
  auto a = HttpReceiver::Start();
  auto b = HttpReceiver::Start();
  a->SetResponder([](const ReceivedRequest&) { return Delayed(milliseconds(200)); });
  b->SetResponder([](const ReceivedRequest&) { return Delayed(milliseconds(200)); });
  HttpClient::Options options = LoopbackOptions();
  options.max_connections = 1;
  auto client = StartClient(options);
  Results results;
  client->Submit(Post(a->Url("/1")), results.Add("a"));
  ASSERT_TRUE(a->WaitForCount(1, milliseconds(2000)));
  client->Submit(Post(a->Url("/2")), results.Add("a"));
  client->Submit(Post(a->Url("/3")), results.Add("a"));
  client->Submit(Post(b->Url("/4")), results.Add("b"));
  ASSERT_TRUE(results.WaitFor(4));
  const auto items = results.Items();
  // One at a time, and the hosts with waiting requests take turns.
  EXPECT_EQ(items[0].tag + items[1].tag + items[2].tag + items[3].tag, "aaba");
  EXPECT_GE(items[3].at - items[0].at, milliseconds(580));
}

TEST(HttpClientTest, SlowAndDeadHostsDoNotDelayOthers) {
  auto slow = HttpReceiver::Start();
  slow->SetResponder([](const ReceivedRequest&) { return Delayed(milliseconds(3000)); });
  auto fast = HttpReceiver::Start();
  auto dead = HttpReceiver::Start();
  const std::string dead_url = dead->Url("/dead");
  dead->Down();
  HttpClient::Options options = LoopbackOptions();
  options.per_host_connections = 2;
  auto client = StartClient(options);
  Results slow_results;
  Results results;
  for (int i = 0; i < 6; ++i) {
    client->Submit(Post(slow->Url("/slow")), slow_results.Add());
  }
  ASSERT_TRUE(slow->WaitForCount(2, milliseconds(2000)));
  for (int i = 0; i < 3; ++i) {
    client->Submit(Post(dead_url), results.Add("dead"));
  }
  const auto start = SteadyClock::now();
  for (int i = 0; i < 5; ++i) {
    client->Submit(Post(fast->Url("/fast")), results.Add("fast"));
  }
  ASSERT_TRUE(results.WaitFor(8, milliseconds(2000)));
  EXPECT_LT(SteadyClock::now() - start, milliseconds(1000));
  for (const auto& item : results.Items()) {
    if (item.tag == "fast") {
      EXPECT_EQ(item.result.status, 200);
    } else {
      EXPECT_EQ(item.result.status, 0);
      EXPECT_EQ(item.result.error, "connection refused");
    }
  }
  EXPECT_EQ(slow_results.Items().size(), 0u);
  EXPECT_EQ(slow->Count(), 2u);  // the other four wait in the slow host's queue
  EXPECT_EQ(client->Pending(), 6u);

  client->Stop();
  const auto items = slow_results.Items();
  ASSERT_EQ(items.size(), 6u);
  for (const auto& item : items) {
    EXPECT_EQ(item.result.error, "stopped");
    EXPECT_EQ(item.result.status, 0);
  }
  EXPECT_EQ(client->Pending(), 0u);
}

TEST(HttpClientTest, TimesOut) {
  auto receiver = HttpReceiver::Start();
  receiver->SetResponder([](const ReceivedRequest&) { return Delayed(milliseconds(3000)); });
  HttpClient::Options options = LoopbackOptions();
  options.request_timeout = milliseconds(200);
  auto client = StartClient(options);
  Results results;
  client->Submit(Post(receiver->Url("/t")), results.Add());
  ASSERT_TRUE(results.WaitFor(1));
  const HttpResult r = results.Items()[0].result;
  EXPECT_EQ(r.error, "timeout");
  EXPECT_EQ(r.status, 0);
  EXPECT_GE(r.latency, milliseconds(190));
  EXPECT_LT(r.latency, milliseconds(1500));
}

TEST(HttpClientTest, ClosedWithoutAnswerIsAnError) {
  auto receiver = HttpReceiver::Start();
  receiver->SetResponder([](const ReceivedRequest&) {
    ReceiverAnswer a;
    a.close_without_answer = true;
    return a;
  });
  auto client = StartClient();
  Results results;
  client->Submit(Post(receiver->Url("/x")), results.Add());
  ASSERT_TRUE(results.WaitFor(1));
  EXPECT_EQ(results.Items()[0].result.status, 0);
  EXPECT_NE(results.Items()[0].result.error, "");
}

TEST(HttpClientTest, RejectsBadUrls) {
  auto client = StartClient();
  Results results;
  client->Submit(Post("ftp://127.0.0.1/x"), results.Add());
  client->Submit(Post("not a url"), results.Add());
  ASSERT_TRUE(results.WaitFor(2));
  for (const auto& item : results.Items()) {
    EXPECT_EQ(item.result.error, "bad url");
  }
}

TEST(HttpClientTest, CompletionsMaySubmitAndPostRunsOnTheClientThread) {
  auto receiver = HttpReceiver::Start();
  auto client = StartClient();
  Results results;
  std::thread::id posted_on;
  client->Submit(Post(receiver->Url("/1")), [&](HttpResult r) {
    EXPECT_EQ(r.status, 200);
    client->Submit(Post(receiver->Url("/2")), results.Add());
  });
  ASSERT_TRUE(results.WaitFor(1));
  client->Post([&] {
    posted_on = std::this_thread::get_id();
    results.Add()(HttpResult{});
  });
  ASSERT_TRUE(results.WaitFor(2));
  EXPECT_EQ(posted_on, results.Items()[0].thread);
  EXPECT_EQ(receiver->Count(), 2u);
}

TEST(HttpClientTest, AfterStopRequestsFailAtOnce) {
  auto client = StartClient();
  client->Stop();
  client->Stop();
  Results results;
  client->Submit(Post("http://127.0.0.1:1/"), results.Add());
  ASSERT_EQ(results.Items().size(), 1u);
  EXPECT_EQ(results.Items()[0].result.error, "stopped");
  EXPECT_EQ(results.Items()[0].thread, std::this_thread::get_id());
  bool ran = false;
  client->Post([&] { ran = true; });
  EXPECT_TRUE(ran);
  EXPECT_EQ(client->Pending(), 0u);
}

}  // namespace
}  // namespace smsgw::webhook
