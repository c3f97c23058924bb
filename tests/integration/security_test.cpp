// Hostile input and hostile tenants (issue 13): each defect a reviewer found, tried against the
// real binary on 127.0.0.1. Only loopback is ever connected to; other targets are checked where
// they are refused without connecting.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <regex>
#include <thread>
#include <vector>

#include "fixture.h"

namespace smsgw::itest {
namespace {

using SecurityTest = ServerTest;

constexpr const char* kBody = R"({"to":"+919876543210","sender":"ACMEIN","body":"Hi"})";

// 200,000 '[' fit the 4 MiB body of sender registration; the recursive parser died on them
// (SIGSEGV, every client dropped).
TEST_F(SecurityTest, DeeplyNestedJsonIs400NotACrash) {
  const std::string registration = "/v1/" + account_.sid + "/sms/sender";
  for (const std::string& body : {
           R"({"data":)" + std::string(200'000, '['),
           R"({"data":)" + std::string(200'000, '[') + std::string(200'000, ']') + "}",
           [] {
             std::string objects = "{";
             for (int i = 0; i < 100'000; ++i) {
               objects += "\"a\":{";
             }
             return objects;
           }(),
       }) {
    HttpResponse r = gw_.Post(registration, body, account_.api_key);
    ASSERT_TRUE(IsError(r, 400, "E420", "request")) << r.body.substr(0, 300);
    EXPECT_NE(r.body.find("deeper than 32"), std::string::npos) << r.body;
  }
  // JSON inside a form field is read by the same parser.
  const std::string nested_callback =
      "to=%2B919876543210&sender=ACMEIN&body=Hi&callback=" + std::string(20'000, '[');
  HttpResponse form = gw_.Request("POST", MessagesPath(), nested_callback, account_.api_key,
                                  {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_TRUE(IsError(form, 400, "E418", "callback")) << form.body;
  EXPECT_EQ(Send(kBody).status, 200) << "server unusable after deeply nested JSON";
}

// A CR/LF in a callback header value smuggled a second request to the receiver; Host,
// Content-Length, Transfer-Encoding and smsgw's own X-Smsgw-* headers could be forged. Every place
// a header is configured now follows the callback profiles' rule.
TEST_F(SecurityTest, CallbackHeadersFollowOneRuleEverywhere) {
  const auto callback = [](const std::string& header) {
    return R"({"url":"https://crm.example.com/h","header":{)" + header + "}}";
  };
  for (const std::string& header : {
           std::string(R"("X-A":"1\r\nContent-Length: 0\r\n\r\nGET /smuggled HTTP/1.1")"),
           std::string(R"("X-A":"1\nX-B: 2")"),
           std::string(R"("Host":"internal.example")"),
           std::string(R"("Content-Length":"0")"),
           std::string(R"("Transfer-Encoding":"chunked")"),
           std::string(R"("X-Smsgw-Signature":"t=1,v1=00")"),
           std::string(R"("x-smsgw-event-id":"forged")"),
           std::string(R"("Bad Name":"1")"),
       }) {
    HttpResponse sent = SendSimple(R"(,"callback":)" + callback(header));
    EXPECT_TRUE(IsError(sent, 400, "E418", "callback")) << header << ": " << sent.body;
    HttpResponse number =
        gw_.Post("/ext/v1/" + account_.sid + "/inbound-numbers",
                 R"({"number":"56767","callback":)" + callback(header) + "}", account_.api_key);
    EXPECT_TRUE(IsError(number, 400, "E418", "callback")) << header << ": " << number.body;
    HttpResponse profile = gw_.Post(
        "/ext/v1/" + account_.sid + "/callback-profiles",
        R"({"url":"https://crm.example.com/h","headers":{)" + header + "}}", account_.api_key);
    EXPECT_TRUE(IsError(profile, 400, "E462", "headers")) << header << ": " << profile.body;
  }
  // Ordinary headers still pass, in all three places.
  const std::string ok = R"("X-Tenant":"acme","Authorization":"Bearer abc")";
  EXPECT_EQ(SendSimple(R"(,"callback":)" + callback(ok)).status, 200);
  EXPECT_EQ(gw_.Post("/ext/v1/" + account_.sid + "/inbound-numbers",
                     R"({"number":"56767","callback":)" + callback(ok) + "}", account_.api_key)
                .status,
            201);
  EXPECT_EQ(
      gw_.Post("/ext/v1/" + account_.sid + "/callback-profiles",
               R"({"url":"https://crm.example.com/h","headers":{)" + ok + "}}", account_.api_key)
          .status,
      201);
}

// A send accepted another account's (or an unknown) callback_profile_id, so one tenant's status
// webhooks could be aimed at another tenant's receiver with its credentials.
TEST_F(SecurityTest, ASendNamesOnlyItsOwnAccountsCallbackProfile) {
  const Account other = gw_.CreateAccount("other");
  const auto create = [&](const Account& account) {
    HttpResponse r = gw_.Post("/ext/v1/" + account.sid + "/callback-profiles",
                              R"({"url":"https://crm.example.com/h"})", account.api_key);
    EXPECT_EQ(r.status, 201) << r.body;
    return Str(BodyJson(r).doc, "id");
  };
  const std::string theirs = create(other);
  const std::string ours = create(account_);
  const std::string unknown = "SG_09b3dfa7-e05d-4d84-ab2d-6ed654272abc";
  for (const std::string& id : {theirs, unknown}) {
    HttpResponse r = SendSimple(R"(,"callback_profile_id":)" + Quote(id));
    EXPECT_TRUE(IsError(r, 400, "E417", "callback_profile_id")) << id << ": " << r.body;
  }
  EXPECT_EQ(SendSimple(R"(,"callback_profile_id":)" + Quote(ours)).status, 200);
  // Deleted, it is refused at once (the send path caches which profiles exist).
  ASSERT_EQ(gw_.Request("DELETE", "/ext/v1/" + account_.sid + "/callback-profiles/" + ours, "",
                        account_.api_key)
                .status,
            204);
  EXPECT_TRUE(IsError(SendSimple(R"(,"callback_profile_id":)" + Quote(ours)), 400, "E417",
                      "callback_profile_id"));
}

// A profile's static headers (Authorization), the password in a callback URL and an inbound
// number's callback headers came back in clear from GET.
TEST_F(SecurityTest, SecretsInCallbacksAreNeverShown) {
  const std::string ext = "/ext/v1/" + account_.sid + "/";
  HttpResponse created = gw_.Post(ext + "callback-profiles",
                                  R"({"url":"https://hook:url-pw-1@crm.example.com/h",
                   "headers":{"Authorization":"Bearer header-tok-2","X-Tenant":"acme"},
                   "auth":{"type":"bearer","token_url":"https://id:token-url-pw-3@auth.example.com/t",
                           "client_id":"c","client_secret":"client-secret-4"}})",
                                  account_.api_key);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = Str(BodyJson(created).doc, "id");
  HttpResponse number = gw_.Post(ext + "inbound-numbers",
                                 R"({"number":"56767","callback":{"url":"https://u:mo-pw-5@h/mo",
                                     "header":{"X-Api-Key":"mo-key-6"}}})",
                                 account_.api_key);
  ASSERT_EQ(number.status, 201) << number.body;
  const std::vector<HttpResponse> shown = {
      created,
      number,
      gw_.Request("GET", ext + "callback-profiles/" + id, "", account_.api_key),
      gw_.Request("GET", ext + "callback-profiles", "", account_.api_key),
      gw_.Request("GET", ext + "inbound-numbers", "", account_.api_key),
  };
  for (const HttpResponse& r : shown) {
    EXPECT_EQ(r.status / 100, 2) << r.body;
    for (const char* secret :
         {"url-pw-1", "header-tok-2", "token-url-pw-3", "client-secret-4", "mo-pw-5", "mo-key-6"}) {
      EXPECT_EQ(r.body.find(secret), std::string::npos) << secret << " shown in " << r.body;
    }
  }
  EXPECT_NE(shown[2].body.find("https://hook:****@crm.example.com/h"), std::string::npos)
      << shown[2].body;
  // A GET's answer sent back as a PUT keeps the stored secrets: the webhook still authenticates.
  HttpResponse put = gw_.Request("PUT", ext + "callback-profiles/" + id, shown[2].body,
                                 account_.api_key, {{"Content-Type", "application/json"}});
  ASSERT_EQ(put.status, 200) << put.body;
  const CommandResult cli =
      gw_.Cli({"callback-profile", "show", "--sid", account_.sid, "--id", id});
  EXPECT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(cli.out.find("header-tok-2"), std::string::npos) << cli.out;
  // Nor are they logged.
  for (const std::string& log : {gw_.server()->Stdout(), gw_.server()->Stderr()}) {
    for (const char* secret : {"url-pw-1", "header-tok-2", "client-secret-4", "mo-key-6"}) {
      EXPECT_EQ(log.find(secret), std::string::npos) << secret << " logged";
    }
  }
}

// Transfer-Encoding whose last coding is not chunked was read as "no body", so the body ran as the
// next request on the connection: one request smuggled inside another. RFC 9112 §6.3: 400, close.
TEST_F(SecurityTest, UnframableRequestsAre400AndClosed) {
  const std::string smuggled =
      "POST " + MessagesPath() + " HTTP/1.1\r\nHost: x\r\napi-key: " + account_.api_key +
      "\r\nContent-Length: " + std::to_string(std::strlen(kBody)) + "\r\n\r\n" + kBody;
  const std::string head = "POST " + MessagesPath() + " HTTP/1.1\r\napi-key: " + account_.api_key;
  for (const std::string& raw : {
           head + "\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n" + smuggled,
           head + "\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n" + smuggled,
           head + "\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n" + smuggled,
           head + "\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: " +
               std::to_string(smuggled.size() + 5) + "\r\n\r\n0\r\n\r\n" + smuggled,
           head + "\r\nContent-Length: 0\r\n\r\n" + smuggled,  // HTTP/1.1 without Host
           head + "\r\nHost: a\r\nHost: b\r\nContent-Length: 0\r\n\r\n" + smuggled,
       }) {
    HttpConnection conn(gw_.port());
    ASSERT_TRUE(conn.connected());
    ASSERT_TRUE(conn.SendRaw(raw));
    std::string error;
    auto first = conn.ReadResponse(Clock::now() + kHttpTimeout, &error);
    ASSERT_TRUE(first) << error << " for " << raw;
    EXPECT_TRUE(IsError(*first, 400, "E420", "request")) << raw << "\n" << first->body;
    EXPECT_EQ(first->Header("connection"), "close");
    auto second = conn.ReadResponse(Clock::now() + 5s, &error);
    EXPECT_FALSE(second) << "the smuggled request was answered: " << second->status << " "
                         << second->body;
  }
  EXPECT_EQ(Send(kBody).status, 200);
}

// A TCP connection to 127.0.0.1:port that sends nothing; -1 on failure.
int IdleSocket(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    return fd;
  }
  if (fd >= 0) {
    ::close(fd);
  }
  return -1;
}

// With `ulimit -n 1024`, 1,100 idle sockets made every other client wait while "Too many open
// files" was logged 20 times a second. Now idle connections make room for new ones.
TEST(ConnectionLimits, IdleSocketsCannotLockOutAClient) {
  constexpr size_t kIdle = 1'100;
  rlimit own{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &own), 0);
  if (own.rlim_max < kIdle + 200) {
    GTEST_SKIP() << "this test needs " << kIdle + 200 << " descriptors; the hard limit is "
                 << own.rlim_max;
  }
  own.rlim_cur = own.rlim_max;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &own), 0);

  Smsgw gw;
  const Account account = gw.CreateAccount("acme");
  gw.set_config(gw.dir().WriteFile("smsgw.toml", kOfflineSmscConfig));
  gw.set_launcher({"/usr/bin/prlimit", "--nofile=1024:1024", "--"});
  gw.Start();
  ASSERT_NE(gw.port(), 0);
  std::vector<int> idle;
  for (size_t i = 0; i < kIdle; ++i) {
    const int fd = IdleSocket(gw.port());
    ASSERT_GE(fd, 0) << "connect " << i << ": " << std::strerror(errno);
    idle.push_back(fd);
  }
  // Well within header_timeout (5 s): it is eviction, not the timeout, that lets them in.
  for (int i = 0; i < 5; ++i) {
    const auto start = Clock::now();
    HttpResponse r = gw.Post("/v1/" + account.sid + "/messages", kBody, account.api_key);
    EXPECT_EQ(r.status, 200) << "request " << i << ": " << r.body;
    EXPECT_LT(Clock::now() - start, 3s) << "request " << i;
  }
  for (int fd : idle) {
    ::close(fd);
  }
  const std::string log = gw.server()->Stderr();
  EXPECT_NE(log.find("at most 768 HTTP connections (descriptor limit 1024"), std::string::npos)
      << log.substr(0, 2000);
  EXPECT_EQ(log.find("Too many open files"), std::string::npos) << log.substr(0, 2000);
  EXPECT_EQ(gw.Stop(), 0);
}

// A connection that never sends a byte is closed after [server] header_timeout, not after the
// 60 s a kept-alive connection may idle.
TEST(ConnectionLimits, SilentConnectionsAreClosedAfterTheHeaderTimeout) {
  Smsgw gw;
  const Account account = gw.CreateAccount("acme");
  gw.set_config(gw.dir().WriteFile(
      "smsgw.toml", std::string(kOfflineSmscConfig) + "[server]\nheader_timeout = \"300ms\"\n"));
  gw.Start();
  ASSERT_NE(gw.port(), 0);
  HttpConnection silent(gw.port());
  ASSERT_TRUE(silent.connected());
  const auto start = Clock::now();
  EXPECT_TRUE(silent.WaitForClose(start + 10s));
  EXPECT_LT(Clock::now() - start, 5s);
  // One that sends its request in time is served, and may then idle between requests.
  HttpConnection prompt(gw.port());
  std::string error;
  auto r = prompt.Request("POST", "/v1/" + account.sid + "/messages",
                          {{"api-key", account.api_key}}, kBody, &error);
  ASSERT_TRUE(r) << error;
  EXPECT_EQ(r->status, 200);
}

// Past max_connections_per_source, one address's oldest idle connection makes room; a source
// whose every connection is mid-request gets no more.
TEST(ConnectionLimits, PerSourceCapEvictsThatSourcesIdleConnections) {
  Smsgw gw;
  const Account account = gw.CreateAccount("acme");
  gw.set_config(gw.dir().WriteFile(
      "smsgw.toml", std::string(kOfflineSmscConfig) +
                        "[server]\nmax_connections = 100\nmax_connections_per_source = 20\n"));
  gw.Start();
  ASSERT_NE(gw.port(), 0);
  std::vector<int> idle;
  for (int i = 0; i < 20; ++i) {
    idle.push_back(IdleSocket(gw.port()));
  }
  // The 21st connection evicts the oldest idle one.
  HttpResponse r = gw.Post("/v1/" + account.sid + "/messages", kBody, account.api_key);
  EXPECT_EQ(r.status, 200) << r.body;
  pollfd first{idle.front(), POLLIN | POLLRDHUP, 0};
  EXPECT_EQ(poll(&first, 1, 5000), 1) << "the oldest idle connection was not closed";
  // Twenty connections each in the middle of a request: the server has read their headers (it
  // answered "100 Continue") and waits for their bodies. None is idle.
  std::vector<std::unique_ptr<HttpConnection>> busy;
  for (int i = 0; i < 20; ++i) {
    busy.push_back(std::make_unique<HttpConnection>(gw.port()));
    ASSERT_TRUE(busy.back()->SendRaw("POST /v1/" + account.sid +
                                     "/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n"
                                     "Expect: 100-continue\r\n\r\n"));
    pollfd p{busy.back()->fd(), POLLIN, 0};
    ASSERT_EQ(poll(&p, 1, 10'000), 1) << "no 100 Continue on busy connection " << i;
    char head[64] = {};
    ASSERT_GT(recv(busy.back()->fd(), head, sizeof head - 1, 0), 0);
    ASSERT_TRUE(std::string_view(head).starts_with("HTTP/1.1 100")) << head;
  }
  HttpConnection refused(gw.port());
  EXPECT_TRUE(refused.WaitForClose(Clock::now() + 5s)) << "a 21st connection was admitted";
  for (int fd : idle) {
    ::close(fd);
  }
}

// Callback URLs could point at loopback in any spelling, link-local (cloud metadata) and the
// server's own API; the attempt log then made smsgw a port scanner. Literal addresses and
// localhost are refused when configured, in every place a URL is configured; names are refused
// at connect (HttpClientTest.RefusesTargetsTheEgressPolicyDenies).
TEST_F(SecurityTest, CallbackUrlsToRefusedAddressesAre400) {
  const std::string ext = "/ext/v1/" + account_.sid + "/";
  const std::string own = "127.0.0.1:" + std::to_string(gw_.port());
  for (const std::string& host :
       {std::string("127.0.0.1"), std::string("localhost"), std::string("127.1"),
        std::string("2130706433"), std::string("0x7f000001"), std::string("[::1]"),
        std::string("0.0.0.0"), std::string("169.254.169.254"), std::string("[fe80::1]"),
        std::string("224.0.0.1"), own}) {
    const std::string url = "http://" + host + "/hook";
    HttpResponse sent = SendSimple(R"(,"callback":{"url":)" + Quote(url) + "}");
    EXPECT_TRUE(IsError(sent, 400, "E418", "callback")) << url << ": " << sent.body;
    HttpResponse profile =
        gw_.Post(ext + "callback-profiles", R"({"url":)" + Quote(url) + "}", account_.api_key);
    EXPECT_TRUE(IsError(profile, 400, "E460", "url")) << url << ": " << profile.body;
    HttpResponse token = gw_.Post(ext + "callback-profiles",
                                  R"({"url":"https://crm.example.com/h","auth":{"type":"bearer",)"
                                  R"("token_url":)" +
                                      Quote(url) + R"(,"client_id":"c","client_secret":"s"}})",
                                  account_.api_key);
    EXPECT_TRUE(IsError(token, 400, "E463", "auth")) << url << ": " << token.body;
    HttpResponse number =
        gw_.Post(ext + "inbound-numbers",
                 R"({"number":"56767","callback":{"url":)" + Quote(url) + "}}", account_.api_key);
    EXPECT_TRUE(IsError(number, 400, "E418", "callback")) << url << ": " << number.body;
  }
  // Private ranges are allowed by default (self-hosted receivers live there); public ones too.
  for (const char* url : {"http://10.1.2.3/hook", "https://crm.example.com/hook"}) {
    EXPECT_EQ(SendSimple(R"(,"callback":{"url":)" + Quote(url) + "}").status, 200) << url;
  }
}

class EgressConfigTest : public ServerTest {
 protected:
  std::string ConfigText() const override {
    return std::string(kOfflineSmscConfig) +
           "[webhooks]\ndeny_targets = [\"10.0.0.0/8\"]\nallow_targets = [\"10.9.0.0/16\", "
           "\"127.0.0.1/32\"]\n[smpp_server]\nlisten = \"127.0.0.1:0\"\n";
  }
};

// The operator's lists: a denied private range is refused, a longer allowed prefix inside it and
// an allowed loopback address pass; the node's own listeners (the API, the admin listener, the
// customers' SMPP server) never do, although loopback is allowed.
TEST_F(EgressConfigTest, OperatorListsDecide) {
  const auto send = [&](const std::string& url) {
    return SendSimple(R"(,"callback":{"url":)" + Quote(url) + "}");
  };
  EXPECT_TRUE(IsError(send("http://10.1.2.3/h"), 400, "E418", "callback"));
  EXPECT_EQ(send("http://10.9.1.1/h").status, 200);
  EXPECT_EQ(send("http://127.0.0.1:9/h").status, 200);
  static const std::regex kSmppServer(R"(SMPP server on 127\.0\.0\.1:(\d+))");
  auto smpp = gw_.server()->WaitForLine(kSmppServer, 10s);
  ASSERT_TRUE(smpp) << gw_.server()->Stdout();
  ASSERT_NE(gw_.admin_port(), 0);
  for (const std::string& port :
       {std::to_string(gw_.port()), std::to_string(gw_.admin_port()), (*smpp)[1]}) {
    HttpResponse own = send("http://127.0.0.1:" + port + "/v1/x/messages");
    EXPECT_TRUE(IsError(own, 400, "E418", "callback")) << port << ": " << own.body;
    EXPECT_NE(own.body.find("own API"), std::string::npos) << own.body;
  }
}

// Every webhook request carries X-Smsgw-Webhook; an smsgw API refuses any request that does, so a
// callback or a body template aimed at an smsgw API (this node behind a proxy, another node)
// cannot multiply one message into thousands.
TEST_F(SecurityTest, RequestsMadeByWebhooksAreRefused) {
  HttpResponse r = gw_.Request("POST", MessagesPath(), kBody, account_.api_key,
                               {{"Content-Type", "application/json"}, {"X-Smsgw-Webhook", "1"}});
  EXPECT_TRUE(IsError(r, 403, "E433", "request")) << r.body;
  EXPECT_EQ(Send(kBody).status, 200);
}

// Two nodes whose callback profiles send to each other's API, as the reviewer's loop did with one
// node: node A's status webhooks reach node B's API and are refused there (403), so B sends
// nothing and nothing comes back.
TEST(WebhookLoop, TwoNodesCallingEachOtherDoNotLoop) {
  const std::string config =
      "[simulator]\nreceipt_delay = \"50ms\"\n[webhooks]\nallow_targets = "
      "[\"127.0.0.1/32\"]\nrequest_timeout = \"1s\"\n";
  Smsgw a, b;
  const Account on_a = a.CreateAccount("a");
  const Account on_b = b.CreateAccount("b");
  a.set_config(a.dir().WriteFile("smsgw.toml", config));
  b.set_config(b.dir().WriteFile("smsgw.toml", config));
  a.Start();
  b.Start();
  ASSERT_TRUE(a.port() != 0 && b.port() != 0);
  // Each account's default profile posts a new send to the other node, in the body template.
  const auto profile_to = [](const Smsgw& to, const Account& there) {
    return R"({"url":)" +
           Quote("http://127.0.0.1:" + std::to_string(to.port()) + "/v1/" + there.sid +
                 "/messages") +
           R"(,"headers":{"api-key":)" + Quote(there.api_key) +
           R"(,"Content-Type":"application/json"},"default":true,)"
           R"("body_template":"{\"to\":\"+919876543210\",\"sender\":\"LOOP\",\"body\":\"<id>\"}",)"
           R"("retry":{"type":"fixed","intervals":[]}})";
  };
  ASSERT_EQ(a.Post("/ext/v1/" + on_a.sid + "/callback-profiles", profile_to(b, on_b), on_a.api_key)
                .status,
            201);
  ASSERT_EQ(b.Post("/ext/v1/" + on_b.sid + "/callback-profiles", profile_to(a, on_a), on_b.api_key)
                .status,
            201);
  ASSERT_EQ(a.Post("/v1/" + on_a.sid + "/messages", kBody, on_a.api_key).status, 200);
  // A's two webhooks (Sent, Delivered) are attempted once each and refused by B.
  const auto deadline = Clock::now() + 60s;
  std::string listed;
  while (Clock::now() < deadline) {
    listed = a.Request("GET", "/ext/v1/" + on_a.sid + "/webhooks?state=exhausted", "", on_a.api_key)
                 .body;
    Json json = ParseJson(listed);
    if (json.ok && json.doc.HasMember("data") && json.doc["data"].IsArray() &&
        json.doc["data"].Size() == 2) {
      break;
    }
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_NE(listed.find("HTTP 403"), std::string::npos) << listed;
  // B accepted nothing: its message log is empty.
  HttpResponse log = b.Request("GET", "/ext/v1/" + on_b.sid + "/messages", "", on_b.api_key);
  Json b_log = ParseJson(log.body);
  ASSERT_TRUE(b_log.ok && b_log.doc.HasMember("data")) << log.body;
  EXPECT_EQ(b_log.doc["data"].Size(), 0u) << log.body;
}

}  // namespace
}  // namespace smsgw::itest
