// HTTP behaviour of the server: unknown paths and methods, body limits, malformed bodies,
// keep-alive, slow clients and graceful stop.

#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/socket.h>

#include <cstdio>
#include <memory>

#include "fixture.h"

namespace smsgw::itest {
namespace {

using HttpTest = ServerTest;

constexpr const char* kBody = R"({"to":"+919876543210","sender":"ACMEIN","body":"Hi"})";

TEST_F(HttpTest, UnknownPathIs404Json) {
  EXPECT_TRUE(IsError(gw_.Request("GET", "/", "", account_.api_key), 404, "E440"));
  EXPECT_TRUE(IsError(gw_.Post(Path("v1", "nonsense"), kBody, account_.api_key), 404, "E440"));
  EXPECT_TRUE(IsError(gw_.Request("GET", "/favicon.ico", "", ""), 404, "E440"));
  EXPECT_TRUE(
      IsError(gw_.Post("/v3/" + account_.sid + "/messages", kBody, account_.api_key), 404, "E440"));
}

TEST_F(HttpTest, WrongMethodIs405Json) {
  EXPECT_TRUE(IsError(gw_.Request("DELETE", MessagesPath(), "", account_.api_key), 405, "E441"));
  EXPECT_TRUE(IsError(gw_.Request("PUT", MessagesPath(), kBody, account_.api_key), 405, "E441"));
  EXPECT_TRUE(
      IsError(gw_.Post(Path("v1", "messages/status"), kBody, account_.api_key), 405, "E441"));
}

TEST_F(HttpTest, BodyOverLimitIs413Json) {
  // 70000 bytes, over the default 64 KiB, of otherwise valid JSON.
  const std::string body = R"({"to":"+919876543210","sender":"ACMEIN","body":"Hi","ref":")" +
                           std::string(70000, 'x') + "\"}";
  EXPECT_TRUE(IsError(Send(body), 413, "E442"));
  // The server is still fine.
  EXPECT_EQ(Send(kBody).status, 200);
}

TEST_F(HttpTest, ContentEncodingIs415) {
  EXPECT_TRUE(IsError(
      gw_.Request("POST", MessagesPath(), kBody, account_.api_key, {{"Content-Encoding", "gzip"}}),
      415, "E443"));
  EXPECT_EQ(gw_.Request("POST", MessagesPath(), kBody, account_.api_key,
                        {{"Content-Encoding", "identity"}})
                .status,
            200);
}

TEST_F(HttpTest, MalformedJsonIs400NotACrash) {
  for (const std::string& bad : {
           std::string("{"),
           std::string(R"({"to": "+919876543210", "sender": )"),
           std::string(R"({"to": , "body": "x"})"),
           std::string(R"({"to": "+919876543210",})"),
           std::string(R"({"body": "\uZZZZ"})"),
           std::string(R"({"to": ["+919876543210"}, "body": "x"})"),
           std::string("{\"body\": \"x\0y\"}", 15),
       }) {
    HttpResponse r = Send(bad);
    EXPECT_TRUE(IsError(r, 400, "E420", "request")) << "for body: " << bad;
  }
  EXPECT_EQ(Send(kBody).status, 200) << "server unusable after malformed bodies";
}

TEST_F(HttpTest, NonObjectJsonIs400) {
  // JSON that is not an object does not start with '{', so by the rule it is read as a form; it
  // lacks every required field.
  EXPECT_EQ(Send("[1,2,3]").status, 400);
  EXPECT_EQ(Send("\"just a string\"").status, 400);
}

// A parser that recurses per nesting level would overflow its stack here.
TEST_F(HttpTest, DeeplyNestedJsonDoesNotCrash) {
  const int depth = 30000;  // 60 KB, under the body limit
  std::string body = R"({"to":)" + std::string(depth, '[') + std::string(depth, ']') + "}";
  HttpResponse r = Send(body);
  EXPECT_EQ(r.status, 400) << r.body.substr(0, 300);
  HttpResponse unclosed = Send(R"({"to":)" + std::string(depth, '['));
  EXPECT_TRUE(IsError(unclosed, 400, "E420"));
  EXPECT_EQ(Send(kBody).status, 200) << "server died on deeply nested JSON";
}

// Requests that are not even HTTP get a JSON error, never HTML, and the server lives on.
TEST_F(HttpTest, MalformedHttpIsJson) {
  for (const std::string& raw : {
           std::string("GARBAGE\r\n\r\n"),
           std::string("GET / HTTP/9.9\r\nHost: x\r\n\r\n"),
           "POST " + MessagesPath() + " HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}",
           "POST " + MessagesPath() +
               " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
       }) {
    HttpConnection conn(gw_.port());
    ASSERT_TRUE(conn.connected());
    ASSERT_TRUE(conn.SendRaw(raw));
    std::string error;
    auto r = conn.ReadResponse(Clock::now() + kHttpTimeout, &error);
    ASSERT_TRUE(r) << error << " for " << raw;
    EXPECT_TRUE(IsError(*r, 400, "E420")) << "for " << raw;
  }
  EXPECT_EQ(Send(kBody).status, 200);
}

// Headers beyond the header limit: a JSON error, not a crash or a hang.
TEST_F(HttpTest, HugeHeaderIsJsonError) {
  HttpResponse r = gw_.Request("POST", MessagesPath(), kBody, account_.api_key,
                               {{"X-Padding", std::string(100000, 'p')}});
  EXPECT_GE(r.status, 400) << r.body;
  EXPECT_TRUE(ParseJson(r.body).ok) << r.body.substr(0, 200);
  EXPECT_EQ(Send(kBody).status, 200);
}

TEST_F(HttpTest, ChunkedRequestBody) {
  HttpConnection conn(gw_.port());
  ASSERT_TRUE(conn.connected());
  const std::string body = kBody;
  std::string raw = "POST " + MessagesPath() +
                    " HTTP/1.1\r\nHost: x\r\napi-key: " + account_.api_key +
                    "\r\nTransfer-Encoding: chunked\r\n\r\n";
  const size_t half = body.size() / 2;
  for (const std::string& part : {body.substr(0, half), body.substr(half)}) {
    char size[16];
    std::snprintf(size, sizeof size, "%zx\r\n", part.size());
    raw += size + part + "\r\n";
  }
  raw += "0\r\n\r\n";
  ASSERT_TRUE(conn.SendRaw(raw));
  std::string error;
  auto r = conn.ReadResponse(Clock::now() + kHttpTimeout, &error);
  ASSERT_TRUE(r) << error;
  EXPECT_EQ(r->status, 200) << r->body;
}

TEST_F(HttpTest, KeepAlive) {
  HttpConnection conn(gw_.port());
  ASSERT_TRUE(conn.connected());
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    std::string error;
    auto r = conn.Request("POST", MessagesPath(), {{"api-key", account_.api_key}}, kBody, &error);
    ASSERT_TRUE(r) << "request " << i << " on the same connection: " << error;
    EXPECT_EQ(r->status, 200) << r->body;
    EXPECT_NE(r->Header("connection"), "close") << "request " << i;
    ids.push_back(MessageIds(*r).at(0));
  }
  // A status lookup on the same connection too.
  std::string joined;
  for (const auto& id : ids) {
    joined += (joined.empty() ? "" : ",") + id;
  }
  std::string error;
  auto status = conn.Request("GET", Path("v1", "messages/status?message_ids=") + UrlEncode(joined),
                             {{"api-key", account_.api_key}}, "", &error);
  ASSERT_TRUE(status) << error;
  EXPECT_EQ(status->status, 200);
  Json json = BodyJson(*status);
  ASSERT_TRUE(json.ok && json.doc.HasMember("data") && json.doc["data"].IsArray()) << status->body;
  EXPECT_EQ(json.doc["data"].Size(), 5u) << status->body;
  // An error response keeps the connection too.
  auto bad = conn.Request("POST", MessagesPath(), {{"api-key", account_.api_key}}, "{", &error);
  ASSERT_TRUE(bad) << error;
  EXPECT_EQ(bad->status, 400);
  auto after = conn.Request("POST", MessagesPath(), {{"api-key", account_.api_key}}, kBody, &error);
  ASSERT_TRUE(after) << "connection closed after a 400: " << error;
  EXPECT_EQ(after->status, 200);
}

TEST_F(HttpTest, PipelinedRequests) {
  HttpConnection conn(gw_.port());
  ASSERT_TRUE(conn.connected());
  const std::string one =
      "POST " + MessagesPath() + " HTTP/1.1\r\nHost: x\r\napi-key: " + account_.api_key +
      "\r\nContent-Length: " + std::to_string(std::strlen(kBody)) + "\r\n\r\n" + kBody;
  ASSERT_TRUE(conn.SendRaw(one + one + one));
  for (int i = 0; i < 3; ++i) {
    std::string error;
    auto r = conn.ReadResponse(Clock::now() + kHttpTimeout, &error);
    ASSERT_TRUE(r) << "response " << i << ": " << error;
    EXPECT_EQ(r->status, 200);
  }
}

// A client trickling one byte per second is cut off (the whole request has a deadline), and the
// server keeps serving others meanwhile.
TEST_F(HttpTest, SlowClientIsDisconnected) {
  HttpConnection slow(gw_.port());
  ASSERT_TRUE(slow.connected());
  const std::string request = "POST " + MessagesPath() +
                              " HTTP/1.1\r\nHost: x\r\napi-key: " + account_.api_key +
                              "\r\nContent-Length: 100000\r\n\r\n" + std::string(100000, ' ');
  const auto start = Clock::now();
  const auto deadline = start + 35s;
  bool closed = false;
  size_t sent = 0;
  int served = 0;
  while (Clock::now() < deadline && sent < request.size()) {
    if (send(slow.fd(), request.data() + sent, 1, MSG_NOSIGNAL) != 1) {
      closed = true;
      break;
    }
    ++sent;
    // Others are served while the slow one trickles.
    if (sent % 3 == 0) {
      HttpResponse other = Send(kBody);
      EXPECT_EQ(other.status, 200) << "at " << sent << " bytes: " << other.body;
      served += other.status == 200;
    }
    // Wait one second, or less if the server closes the connection (readable: EOF, or an error
    // response followed by EOF).
    pollfd p{slow.fd(), POLLIN | POLLRDHUP, 0};
    if (poll(&p, 1, 1000) > 0) {
      closed = slow.WaitForClose(Clock::now() + 5s);
      if (closed) {
        break;
      }
    }
  }
  const auto took = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - start);
  EXPECT_TRUE(closed) << "slow client still connected after " << took.count() << " s (" << sent
                      << " bytes sent)";
  EXPECT_LE(took.count(), 31);
  EXPECT_GE(served, 1);
  EXPECT_EQ(Send(kBody).status, 200);
}

// While SQLite is locked by another process, a send fails with 503 (nothing accepted) within
// the store's busy timeout, and works again as soon as the lock goes.
TEST_F(HttpTest, LockedStoreIs503) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((gw_.data() + "/smsgw.db").c_str(), &db), SQLITE_OK);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> closer(db, sqlite3_close);
  // The server's own writers (dispatcher, webhook sender) may hold the lock for a moment.
  sqlite3_busy_timeout(db, 10'000);
  ASSERT_EQ(sqlite3_exec(db, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  const auto start = Clock::now();
  HttpResponse r = Send(kBody);
  EXPECT_TRUE(IsError(r, 503, "E503"));
  EXPECT_LT(Clock::now() - start, 30s);
  ASSERT_EQ(sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  HttpResponse after = Send(kBody);
  EXPECT_EQ(after.status, 200) << after.body;
}

TEST_F(HttpTest, SigtermStopsWithExitZero) {
  ASSERT_EQ(Send(kBody).status, 200);
  // An idle keep-alive connection must not hold up the stop.
  HttpConnection idle(gw_.port());
  ASSERT_TRUE(idle.connected());
  std::string error;
  ASSERT_TRUE(idle.Request("GET", Path("v1", "messages/status?message_ids=a:1"),
                           {{"api-key", account_.api_key}}, "", &error))
      << error;
  gw_.server()->Signal(SIGTERM);
  auto code = gw_.server()->WaitForExit(15s);
  ASSERT_TRUE(code) << "still running 15 s after SIGTERM";
  EXPECT_EQ(*code, 0) << "stderr: " << gw_.server()->Stderr();
}

// "Listening" means ready, and that includes handling SIGTERM: a supervisor (or a test) may stop
// the server the moment it has printed the line. Several rounds, since this is a race.
TEST(Sigterm, RightAfterTheListeningLineExitsZero) {
  Smsgw gw;
  gw.CreateAccount("acme");
  for (int round = 0; round < 5; ++round) {
    gw.Start();
    ASSERT_NE(gw.port(), 0);
    gw.server()->Signal(SIGTERM);
    auto code = gw.server()->WaitForExit(15s);
    ASSERT_TRUE(code) << "still running 15 s after SIGTERM";
    EXPECT_EQ(*code, 0) << "round " << round << ": exit code " << *code
                        << (*code == 128 + SIGTERM ? " (killed by SIGTERM: no handler yet)" : "")
                        << "\nstderr: " << gw.server()->Stderr();
  }
}

TEST_F(HttpTest, SigintStopsWithExitZero) {
  ASSERT_EQ(Send(kBody).status, 200);  // serving for sure (see Sigterm.RightAfterTheListeningLine)
  gw_.server()->Signal(SIGINT);
  auto code = gw_.server()->WaitForExit(15s);
  ASSERT_TRUE(code) << "still running 15 s after SIGINT";
  EXPECT_EQ(*code, 0) << "stderr: " << gw_.server()->Stderr();
}

// Messages accepted before SIGTERM are there after a restart.
TEST_F(HttpTest, RestartKeepsMessages) {
  HttpResponse sent = SendSimple();
  ASSERT_EQ(sent.status, 200);
  ASSERT_EQ(gw_.Stop(), 0);
  gw_.Start();
  ASSERT_NE(gw_.port(), 0);
  HttpResponse r = Status(MessageIds(sent).at(0));
  EXPECT_NE(r.body.find("\"Pending\""), std::string::npos) << r.body;
}

}  // namespace
}  // namespace smsgw::itest
