#include "webhook/http_client.h"

// clang-format off
#include <utility>  // must precede Boost 1.74's asio/awaitable.hpp, which uses std::exchange
// clang-format on

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "support/http_receiver.h"
#include "support/test_certs.h"

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

// An HTTPS receiver on 127.0.0.1 with a self-signed certificate: answers every request 200 with
// "tls <target>", keeping the connection; one connection at a time, on a thread of its own.
class TlsReceiver {
 public:
  TlsReceiver()
      : cert_(testing::MakeSelfSignedCertificate("127.0.0.1")),
        tls_(boost::asio::ssl::context::tls_server),
        acceptor_(io_) {
    tls_.use_certificate_chain(boost::asio::buffer(cert_.cert_pem));
    tls_.use_private_key(boost::asio::buffer(cert_.key_pem), boost::asio::ssl::context::pem);
    const boost::asio::ip::tcp::endpoint at(boost::asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(at.protocol());
    acceptor_.bind(at);
    acceptor_.listen();
    thread_ = std::thread([this] { Serve(); });
  }
  ~TlsReceiver() {
    // Wakes the accept blocked on the receiver's thread (closing the socket would not).
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    thread_.join();
  }
  std::string Url(std::string_view path) const {
    return "https://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) +
           std::string(path);
  }
  size_t Requests() const { return requests_.load(); }
  // Its certificate (for 127.0.0.1 and localhost), PEM, in a file: to trust it as a CA.
  std::string CertFile() const {
    const std::string path = ::testing::TempDir() + "receiver-" +
                             std::to_string(acceptor_.local_endpoint().port()) + ".pem";
    std::ofstream(path) << cert_.cert_pem;
    return path;
  }

 private:
  void Serve() {
    namespace http = boost::beast::http;
    for (;;) {
      boost::system::error_code ec;
      boost::asio::ip::tcp::socket socket(io_);
      acceptor_.accept(socket, ec);
      if (ec) {
        return;
      }
      boost::asio::ssl::stream<boost::asio::ip::tcp::socket&> stream(socket, tls_);
      stream.handshake(boost::asio::ssl::stream_base::server, ec);
      boost::beast::flat_buffer buffer;
      while (!ec) {
        http::request<http::string_body> request;
        http::read(stream, buffer, request, ec);
        if (ec) {
          break;
        }
        ++requests_;
        http::response<http::string_body> response(http::status::ok, 11);
        response.body() = "tls " + std::string(request.target());
        response.prepare_payload();
        http::write(stream, response, ec);
      }
    }
  }

  const testing::TestCertificate cert_;
  boost::asio::io_context io_;
  boost::asio::ssl::context tls_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::atomic<size_t> requests_{0};
  std::thread thread_;
};

// The egress policy judges the address the client is about to connect to: loopback is refused by
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
  // The PUT may reuse the POST's connection: nothing of the POST's request may stay with it.
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

TEST(HttpClientTest, SpeaksTlsAndRefusesAnUntrustedCertificate) {
  TlsReceiver receiver;
  HttpClient::Options options = LoopbackOptions();
  options.verify_tls = false;
  auto unverified = StartClient(options);
  Results results;
  for (int i = 0; i < 2; ++i) {
    unverified->Submit(Post(receiver.Url("/secure?n=1")), results.Add("unverified"));
    ASSERT_TRUE(results.WaitFor(i + 1));
  }
  unverified->Stop();             // closes its connection: the receiver serves one at a time
  auto verified = StartClient();  // the system's trust store: the self-signed one is not in it
  verified->Submit(Post(receiver.Url("/secure")), results.Add("verified"));
  ASSERT_TRUE(results.WaitFor(3));
  const auto items = results.Items();
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(items[i].result.status, 200) << items[i].result.error;
    EXPECT_EQ(items[i].result.body, "tls /secure?n=1");
  }
  EXPECT_EQ(items[2].result.status, 0);
  EXPECT_EQ(items[2].result.error.rfind("TLS handshake failed: ", 0), 0u) << items[2].result.error;
  EXPECT_EQ(receiver.Requests(), 2u);
}

// With the receiver's certificate trusted (an internal CA), the host name decides: the address it
// was issued for passes, the same server reached by another spelling of it does not.
TEST(HttpClientTest, TrustsItsCaFileAndChecksTheHostName) {
  TlsReceiver receiver;
  HttpClient::Options options = LoopbackOptions();
  options.ca_file = receiver.CertFile();
  auto client = StartClient(options);
  Results results;
  client->Submit(Post(receiver.Url("/named")), results.Add("named"));
  ASSERT_TRUE(results.WaitFor(1));
  client->Stop();  // closes its connection: the receiver serves one at a time
  auto other = StartClient(options);
  const std::string port = receiver.Url("").substr(receiver.Url("").rfind(':') + 1);
  other->Submit(Post("https://[::ffff:127.0.0.1]:" + port + "/mapped"), results.Add("mapped"));
  ASSERT_TRUE(results.WaitFor(2));
  const auto items = results.Items();
  EXPECT_EQ(items[0].result.status, 200) << items[0].result.error;
  EXPECT_EQ(items[1].result.status, 0);
  EXPECT_EQ(items[1].result.error.rfind("TLS handshake failed: ", 0), 0u) << items[1].result.error;
  EXPECT_EQ(receiver.Requests(), 1u);

  HttpClient::Options missing = LoopbackOptions();
  missing.ca_file = ::testing::TempDir() + "no-such-ca.pem";
  std::string error;
  EXPECT_EQ(HttpClient::Start(missing, &error), nullptr);
  EXPECT_NE(error.find("no-such-ca.pem: cannot read it: No such file or directory"),
            std::string::npos)
      << error;
  const std::string not_pem = ::testing::TempDir() + "not-a-ca.pem";
  std::ofstream(not_pem) << "not a certificate\n";
  missing.ca_file = not_pem;
  EXPECT_EQ(HttpClient::Start(missing, &error), nullptr);
  EXPECT_NE(error.find("not-a-ca.pem: cannot use them: no PEM certificate in it"),
            std::string::npos)
      << error;
}

// A receiver may close a kept-alive connection while it waits: the next request goes out on a
// new one instead of failing, whether the client finds out by writing to it (used within the last
// second) or by looking first (idle longer).
TEST(HttpClientTest, AConnectionTheServerClosedIsNotAFailure) {
  auto receiver = HttpReceiver::Start();
  auto client = StartClient();
  Results results;
  client->Submit(Post(receiver->Url("/1")), results.Add());
  ASSERT_TRUE(results.WaitFor(1));
  receiver->Down();
  receiver->Up();
  client->Submit(Post(receiver->Url("/2")), results.Add());
  ASSERT_TRUE(results.WaitFor(2));
  receiver->Down();
  receiver->Up();
  std::this_thread::sleep_for(milliseconds(1100));
  client->Submit(Post(receiver->Url("/3")), results.Add());
  ASSERT_TRUE(results.WaitFor(3));
  for (const auto& item : results.Items()) {
    EXPECT_EQ(item.result.status, 200) << item.result.error;
  }
  const auto requests = receiver->Requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_NE(requests[0].connection, requests[1].connection);
  EXPECT_NE(requests[1].connection, requests[2].connection);
}

// Nothing a caller puts in a header or a URL can end the request line or a header early, or
// contradict the framing; such requests are not sent.
TEST(HttpClientTest, RefusesHeadersThatWouldInjectOrReframe) {
  auto receiver = HttpReceiver::Start();
  auto client = StartClient();
  Results results;
  const std::vector<std::pair<std::string, std::string>> bad = {{"X-A", "1\r\nX-Injected: 1"},
                                                                {"X-A", "1\nX-Injected: 1"},
                                                                {"X A", "1"},
                                                                {"X-A:", "1"},
                                                                {"", "1"},
                                                                {"Content-Length", "0"},
                                                                {"Transfer-Encoding", "chunked"},
                                                                {"Connection", "close"},
                                                                {"Host", "elsewhere"}};
  for (const auto& header : bad) {
    HttpRequest r = Post(receiver->Url("/h"));
    r.headers.push_back(header);
    client->Submit(r, results.Add(header.first));
  }
  client->Submit(Post(receiver->Url("/a b")), results.Add("space"));
  client->Submit(Post(receiver->Url("/a\r\nX-Injected: 1")), results.Add("crlf"));
  ASSERT_TRUE(results.WaitFor(bad.size() + 2));
  for (const auto& item : results.Items()) {
    EXPECT_EQ(item.result.error,
              item.tag == "space" || item.tag == "crlf" ? "bad url" : "bad header")
        << item.tag;
  }
  EXPECT_EQ(receiver->Count(), 0u);
}

// Credentials written in the URL become Basic auth (unless the request has its own), and the
// fragment stays with the client.
TEST(HttpClientTest, UrlCredentialsAndFragment) {
  auto receiver = HttpReceiver::Start();
  auto client = StartClient();
  Results results;
  const std::string port = std::to_string(receiver->port());
  client->Submit(Post("http://us%65r:p%40ss@127.0.0.1:" + port + "/c?x=1#frag"), results.Add());
  HttpRequest own = Post("http://user:pass@127.0.0.1:" + port + "/own");
  own.headers.emplace_back("Authorization", "Bearer t");
  client->Submit(own, results.Add());
  ASSERT_TRUE(results.WaitFor(2));
  const auto requests = receiver->Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].target, "/c?x=1");
  EXPECT_EQ(requests[0].Header("authorization"), "Basic dXNlcjpwQHNz");  // user:p@ss
  EXPECT_EQ(requests[0].Header("host"), "127.0.0.1:" + port);
  EXPECT_EQ(requests[1].Header("authorization"), "Bearer t");
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
