#include "support/http_receiver.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

namespace smsgw::testing {
namespace {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

struct Reply {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
};

size_t Append(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// One request through `easy` (a fresh handle when null), so tests can reuse a connection.
Reply Fetch(const std::string& url, const std::string& body = "", CURL* easy = nullptr,
            std::vector<std::string> headers = {}) {
  CURL* own = easy ? nullptr : curl_easy_init();
  CURL* h = easy ? easy : own;
  Reply reply;
  curl_slist* list = nullptr;
  for (const auto& header : headers) {
    list = curl_slist_append(list, header.c_str());
  }
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 4000L);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &Append);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &reply.body);
  if (!body.empty()) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  } else {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  }
  reply.code = curl_easy_perform(h);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply.status);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  curl_slist_free_all(list);
  if (own) {
    curl_easy_cleanup(own);
  }
  return reply;
}

// Sends `raw` on a new connection and reads until the receiver closes it.
std::string RawExchange(uint16_t port, const std::string& raw) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::send(fd, raw.data(), raw.size(), 0) == static_cast<ssize_t>(raw.size())) {
    char buf[4096];
    ssize_t n;
    while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) {
      answer.append(buf, static_cast<size_t>(n));
    }
  }
  ::close(fd);
  return answer;
}

TEST(HttpReceiverTest, RecordsMethodPathQueryHeadersAndBody) {
  auto receiver = HttpReceiver::Start();
  const Reply reply =
      Fetch(receiver->Url("/hooks/dlr?id=42&name=J%C3%B6rg+M&empty="), R"({"status":"DELIVRD"})",
            nullptr, {"Content-Type: application/json", "X-Signature: abc"});
  ASSERT_EQ(reply.code, CURLE_OK);
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "ok");

  ASSERT_EQ(receiver->Count(), 1u);
  const ReceivedRequest r = receiver->Requests().at(0);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/hooks/dlr?id=42&name=J%C3%B6rg+M&empty=");
  EXPECT_EQ(r.path, "/hooks/dlr");
  EXPECT_EQ(r.query, "id=42&name=J%C3%B6rg+M&empty=");
  EXPECT_EQ(r.QueryParam("id"), "42");
  EXPECT_EQ(r.QueryParam("name"), "J\xC3\xB6rg M");
  EXPECT_EQ(r.QueryParam("empty"), "");
  EXPECT_EQ(r.QueryParam("missing"), "");
  EXPECT_EQ(r.Header("x-signature"), "abc");
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
  EXPECT_EQ(r.Header("x-absent"), "");
  bool lower_case = true;
  for (const auto& [name, value] : r.headers) {
    lower_case = lower_case && name.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == name.npos;
  }
  EXPECT_TRUE(lower_case);
  EXPECT_EQ(r.body, R"({"status":"DELIVRD"})");
  EXPECT_EQ(r.connection, 1u);
}

TEST(HttpReceiverTest, GetWithoutQuery) {
  auto receiver = HttpReceiver::Start();
  ASSERT_EQ(Fetch(receiver->Url("/plain")).code, CURLE_OK);
  const ReceivedRequest r = receiver->Requests().at(0);
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.path, "/plain");
  EXPECT_EQ(r.query, "");
  EXPECT_EQ(r.body, "");
}

TEST(HttpReceiverTest, AnswersAsTheResponderSays) {
  auto receiver = HttpReceiver::Start();
  receiver->SetResponder([](const ReceivedRequest& r) {
    ReceiverAnswer a;
    a.status = r.path == "/bad" ? 503 : 201;
    a.body = R"({"x":1})";
    a.headers = {{"Content-Type", "application/json"}, {"X-Extra", "yes"}};
    return a;
  });
  const Reply bad = Fetch(receiver->Url("/bad"), "x");
  EXPECT_EQ(bad.status, 503);
  EXPECT_EQ(bad.body, R"({"x":1})");
  EXPECT_EQ(Fetch(receiver->Url("/good")).status, 201);
  EXPECT_EQ(receiver->Count(), 2u);  // answered with an error or not, every request is kept
}

TEST(HttpReceiverTest, KeepsConnectionsAlive) {
  auto receiver = HttpReceiver::Start();
  CURL* easy = curl_easy_init();
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(Fetch(receiver->Url("/k"), "body", easy).status, 200);
  }
  curl_easy_cleanup(easy);
  ASSERT_EQ(Fetch(receiver->Url("/other")).status, 200);
  const auto requests = receiver->Requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[0].connection, requests[1].connection);
  EXPECT_EQ(requests[1].connection, requests[2].connection);
  EXPECT_NE(requests[2].connection, requests[3].connection);
}

TEST(HttpReceiverTest, ReadsChunkedBodies) {
  auto receiver = HttpReceiver::Start();
  const std::string answer = RawExchange(
      receiver->port(),
      "POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
      "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
  ASSERT_EQ(receiver->Count(), 1u);
  EXPECT_EQ(receiver->Requests()[0].body, "hello world");
}

TEST(HttpReceiverTest, DelayDoesNotHoldOtherConnections) {
  auto receiver = HttpReceiver::Start();
  receiver->SetResponder([](const ReceivedRequest& r) {
    ReceiverAnswer a;
    if (r.path == "/slow") {
      a.delay = milliseconds(800);
    }
    return a;
  });
  Reply slow;
  SteadyClock::time_point slow_done;
  std::thread t([&] {
    slow = Fetch(receiver->Url("/slow"));
    slow_done = SteadyClock::now();
  });
  ASSERT_TRUE(receiver->WaitForCount(1, milliseconds(2000)));
  const auto start = SteadyClock::now();
  EXPECT_EQ(Fetch(receiver->Url("/fast")).status, 200);
  const auto fast_took = SteadyClock::now() - start;
  t.join();
  EXPECT_LT(fast_took, milliseconds(400));
  EXPECT_EQ(slow.status, 200);
  EXPECT_GE(slow_done - receiver->Requests()[0].at, milliseconds(780));
}

TEST(HttpReceiverTest, ClosesWithoutAnswer) {
  auto receiver = HttpReceiver::Start();
  receiver->SetResponder([](const ReceivedRequest&) {
    ReceiverAnswer a;
    a.close_without_answer = true;
    return a;
  });
  EXPECT_EQ(Fetch(receiver->Url("/x"), "b").code, CURLE_GOT_NOTHING);
  EXPECT_EQ(receiver->Count(), 1u);
}

TEST(HttpReceiverTest, DownRefusesAndUpListensOnTheSamePort) {
  auto receiver = HttpReceiver::Start();
  const uint16_t port = receiver->port();
  ASSERT_EQ(Fetch(receiver->Url("/1")).status, 200);
  receiver->Down();
  receiver->Down();  // idempotent
  EXPECT_EQ(Fetch(receiver->Url("/2")).code, CURLE_COULDNT_CONNECT);
  receiver->Up();
  receiver->Up();
  EXPECT_EQ(receiver->port(), port);
  EXPECT_EQ(Fetch(receiver->Url("/3")).status, 200);
  const auto requests = receiver->Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].path, "/1");
  EXPECT_EQ(requests[1].path, "/3");
}

TEST(HttpReceiverTest, DownDropsConnectionsWaitingForTheirAnswer) {
  auto receiver = HttpReceiver::Start();
  receiver->SetResponder([](const ReceivedRequest&) {
    ReceiverAnswer a;
    a.delay = milliseconds(3000);
    return a;
  });
  Reply reply;
  std::thread t([&] { reply = Fetch(receiver->Url("/wait")); });
  ASSERT_TRUE(receiver->WaitForCount(1, milliseconds(2000)));
  const auto start = SteadyClock::now();
  receiver->Down();
  t.join();
  EXPECT_LT(SteadyClock::now() - start, milliseconds(1000));
  EXPECT_EQ(reply.code, CURLE_GOT_NOTHING);
}

TEST(HttpReceiverTest, WaitForCountTimesOut) {
  auto receiver = HttpReceiver::Start();
  EXPECT_FALSE(receiver->WaitForCount(1, milliseconds(20)));
}

TEST(HttpReceiverTest, StartOnATakenPortThrows) {
  auto receiver = HttpReceiver::Start();
  EXPECT_THROW(HttpReceiver::Start(receiver->port()), std::runtime_error);
}

}  // namespace
}  // namespace smsgw::testing
