// ConsoleHandler over a real SQLite store in a temp dir: the page's headers, sign-in through the
// API's authenticator, the session cookie, CSRF refusals, and one account's session never
// reaching another's message. (The browser test, tests/console, runs the same through chromium.)
#include "console/console_handler.h"

#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <regex>

#include "core/ids.h"
#include "fakes/manual_clock.h"
#include "fakes/temp_dir.h"
#include "fakes/test_message.h"
#include "store/sqlite/sqlite_store.h"

namespace smsgw::console {
namespace {

namespace asio = api::asio;
namespace http = api::http;

constexpr char kSidA[] = "HXSG0000000001SG";
constexpr char kSidB[] = "HXSG0000000002SG";

class ConsoleHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::sqlite::SqliteStore::Open(dir_.File("smsgw.db"));
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    for (const auto& [sid, key] : {std::pair{kSidA, key_a_}, std::pair{kSidB, key_b_}}) {
      ASSERT_TRUE(store_->CreateAccount(store::Account{sid, sid, clock_.Now(), 0}));
      ASSERT_TRUE(store_->AddKey(sid, core::Sha256Hex(key), clock_.Now()));
    }
    message_id_ = core::NewUuid() + ":1";
    const core::Message message = fakes::MakeMessage(message_id_, kSidA);
    ASSERT_TRUE(store_->Enqueue(std::span(&message, 1)));
    auth_.emplace(*store_);
    messages_.emplace(core::Region::kSg, *store_, *store_, *store_, pool_, clock_);
    registries_.emplace(core::Region::kSg, *store_, *store_, pool_, clock_);
    webhooks_.emplace(core::Region::kSg, egress_, *store_, *store_, *store_, *store_, pool_,
                      clock_);
    keys_.emplace(*store_, pool_, clock_);
    committer_.emplace(*store_);
    registry_cache_.emplace(*store_, *store_, *store_);
    api_.emplace(api::ApiOptions{}, *auth_, *registry_cache_, *committer_,
                 api::ApiStores{*store_, *store_, *store_, *store_, *store_, *store_, *store_,
                                *store_, *store_, *store_, *store_, *store_},
                 pool_, clock_);
    sends_.emplace(*api_, /*smart_encoding=*/false);
    delivery_.emplace(
        *store_,
        [this](core::TimePoint now) {
          ++live_reads_;
          LiveStatus live;
          live.connectors.push_back({"smsc-a", 1, 1});
          live.queue_due = 3;
          live.oldest_due = now - std::chrono::seconds(7);
          return live;
        },
        pool_, clock_);
    passwords_.emplace(*store_, *store_, pool_);
    handler_.emplace(ConsoleOptions{}, sessions_, *auth_, Apis(), pool_);
  }
  void TearDown() override { pool_.join(); }

  ConsoleApis Apis() {
    return {*messages_, *registries_, *webhooks_,  *keys_,
            *sends_,    *delivery_,   *passwords_, limiter_};
  }

  api::Response Run(api::Request request) {
    request.version(11);
    asio::io_context io;
    auto guard = asio::make_work_guard(io);
    std::optional<api::Response> out;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          out = co_await handler_->Handle(request);
          guard.reset();
        },
        asio::detached);
    io.run();
    return std::move(*out);
  }

  // A change as the page sends it: JSON, the session's cookie and CSRF token.
  static api::Request Change(http::verb method, std::string target, const std::string& body,
                             const std::string& cookie, const std::string& csrf) {
    api::Request request{method, target, 11};
    request.set(http::field::cookie, cookie);
    if (!csrf.empty()) {
      request.set("X-CSRF-Token", csrf);
    }
    request.set(http::field::content_type, "application/json");
    request.body() = body;
    request.prepare_payload();
    return request;
  }

  static api::Request Get(std::string target, std::string cookie = "") {
    api::Request request{http::verb::get, target, 11};
    if (!cookie.empty()) {
      request.set(http::field::cookie, cookie);
    }
    return request;
  }

  // The value of cookie `name` that `response` sets.
  static std::string SetCookie(const api::Response& response, const std::string& name) {
    for (const auto& field : response) {
      const std::string value(field.value());
      if (field.name() == http::field::set_cookie && value.starts_with(name + "=")) {
        return value;
      }
    }
    return "";
  }

  struct Signed {
    std::string cookie;  // "smsgw_console=<token>"
    std::string csrf;
  };
  // Signs in as a browser does: the pre-session token first, then POST with it.
  std::optional<Signed> SignIn(const std::string& sid, const std::string& key, int* status) {
    return SignInWith("{\"sid\":\"" + sid + "\",\"api_key\":\"" + key + "\"}", status);
  }
  std::optional<Signed> SignInWithPassword(const std::string& sid, const std::string& password,
                                           int* status) {
    return SignInWith("{\"sid\":\"" + sid + "\",\"password\":\"" + password + "\"}", status);
  }
  std::optional<Signed> SignInWith(const std::string& json, int* status) {
    const api::Response state = Run(Get("/console/api/session"));
    const std::string pre = SetCookie(state, "smsgw_console_csrf");
    const std::string pre_value = pre.substr(0, pre.find(';'));
    const std::string csrf = pre_value.substr(pre_value.find('=') + 1);
    api::Request post{http::verb::post, "/console/api/session", 11};
    post.set(http::field::cookie, pre_value);
    post.set("X-CSRF-Token", csrf);
    post.set(http::field::content_type, "application/json");
    post.body() = json;
    post.prepare_payload();
    const api::Response res = Run(post);
    *status = res.result_int();
    const std::string session = SetCookie(res, "smsgw_console");
    std::smatch m;
    const std::string body = res.body();
    if (res.result_int() != 200 ||
        !std::regex_search(body, m, std::regex("\"csrf\":\"([0-9a-f]{64})\""))) {
      return std::nullopt;
    }
    return Signed{session.substr(0, session.find(';')), m[1]};
  }

  fakes::TempDir dir_;
  fakes::ManualClock clock_;
  asio::thread_pool pool_{1};
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  const std::string key_a_ = core::NewApiKey();
  const std::string key_b_ = core::NewApiKey();
  std::string message_id_;
  Sessions sessions_{{}, clock_};
  std::optional<api::Authenticator> auth_;
  std::optional<api::MessageApi> messages_;
  core::EgressPolicy egress_;
  std::optional<api::RegistryApi> registries_;
  std::optional<api::WebhookApi> webhooks_;
  std::optional<KeyEndpoints> keys_;
  std::optional<store::GroupCommitter> committer_;
  std::optional<api::RegistryCache> registry_cache_;
  std::optional<api::ApiHandler> api_;
  std::optional<SendEndpoints> sends_;
  std::optional<DeliveryEndpoints> delivery_;
  std::atomic<int> live_reads_{0};
  std::optional<PasswordSignIn> passwords_;
  SignInLimiter limiter_{{}, clock_};
  std::optional<ConsoleHandler> handler_;
};

TEST_F(ConsoleHandlerTest, PageAndBundleCarryTheSecurityHeaders) {
  const api::Response page = Run(Get("/console/"));
  EXPECT_EQ(page.result_int(), 200);
  EXPECT_EQ(page[http::field::content_type], "text/html; charset=utf-8");
  EXPECT_TRUE(page["Content-Security-Policy"].starts_with("default-src 'none'; script-src 'self'"));
  EXPECT_EQ(page["X-Content-Type-Options"], "nosniff");
  EXPECT_NE(page.body().find("app.js"), std::string::npos);
  const api::Response script = Run(Get("/console/app.js"));
  EXPECT_EQ(script.result_int(), 200);
  EXPECT_EQ(script[http::field::content_type], "text/javascript; charset=utf-8");
  EXPECT_EQ(script[http::field::cache_control], "no-cache");
  api::Request again = Get("/console/app.js");
  again.set(http::field::if_none_match, script[http::field::etag]);
  EXPECT_EQ(Run(again).result_int(), 304);
  EXPECT_EQ(Run(Get("/console")).result_int(), 308);
  EXPECT_EQ(Run(Get("/console/nothing.js")).result_int(), 404);
  EXPECT_EQ(Run(Get("/console/api/messages")).result_int(), 401);
  EXPECT_EQ(Run(Get("/console/api/messages"))[http::field::cache_control], "no-store");
}

TEST_F(ConsoleHandlerTest, SignInSetsAStrictCookieAndReadsOnlyItsAccount) {
  int status = 0;
  auto a = SignIn(kSidA, key_a_, &status);
  ASSERT_TRUE(a) << status;
  const api::Response log = Run(Get("/console/api/messages", a->cookie));
  EXPECT_EQ(log.result_int(), 200);
  EXPECT_NE(log.body().find(message_id_), std::string::npos);
  EXPECT_EQ(Run(Get("/console/api/messages/" + message_id_, a->cookie)).result_int(), 200);

  auto b = SignIn(kSidB, key_b_, &status);
  ASSERT_TRUE(b) << status;
  EXPECT_EQ(Run(Get("/console/api/messages/" + message_id_, b->cookie)).result_int(), 404);
  EXPECT_EQ(Run(Get("/console/api/messages", b->cookie)).body().find(message_id_),
            std::string::npos);
}

TEST_F(ConsoleHandlerTest, SessionCookieFlags) {
  const api::Response state = Run(Get("/console/api/session"));
  const std::string pre = SetCookie(state, "smsgw_console_csrf");
  const std::string pre_value = pre.substr(0, pre.find(';'));
  api::Request post{http::verb::post, "/console/api/session", 11};
  post.set(http::field::cookie, pre_value);
  post.set("X-CSRF-Token", pre_value.substr(pre_value.find('=') + 1));
  post.set(http::field::content_type, "application/json");
  post.body() = std::string("{\"sid\":\"") + kSidA + "\",\"api_key\":\"" + key_a_ + "\"}";
  const api::Response res = Run(post);
  ASSERT_EQ(res.result_int(), 200);
  const std::string cookie = SetCookie(res, "smsgw_console");
  EXPECT_NE(cookie.find("; Path=/console; HttpOnly; SameSite=Strict; Max-Age=43200"),
            std::string::npos)
      << cookie;
  EXPECT_EQ(res.body().find(key_a_), std::string::npos);  // the key is never echoed
}

TEST_F(ConsoleHandlerTest, CookiesAreSecureOnATlsListener) {
  handler_.emplace(ConsoleOptions{true, std::chrono::hours(1)}, sessions_, *auth_, Apis(), pool_);
  int status = 0;
  auto a = SignIn(kSidA, key_a_, &status);
  ASSERT_TRUE(a) << status;
  const std::string pre = SetCookie(Run(Get("/console/api/session")), "smsgw_console_csrf");
  EXPECT_TRUE(pre.ends_with("; HttpOnly; SameSite=Strict; Secure")) << pre;
  api::Request sign_out{http::verb::delete_, "/console/api/session", 11};
  sign_out.set(http::field::cookie, a->cookie);
  sign_out.set("X-CSRF-Token", a->csrf);
  const std::string cleared = SetCookie(Run(sign_out), "smsgw_console");
  EXPECT_EQ(cleared, "smsgw_console=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0; Secure");
}

TEST_F(ConsoleHandlerTest, WrongCredentialsAreOneAnswer) {
  int status = 0;
  EXPECT_FALSE(SignIn(kSidA, key_b_, &status));  // another account's key
  EXPECT_EQ(status, 401);
  EXPECT_FALSE(SignIn(kSidA, core::NewApiKey(), &status));  // no account's key
  EXPECT_EQ(status, 401);
  EXPECT_FALSE(SignIn(kSidA, "not-a-key", &status));
  EXPECT_EQ(status, 401);
  EXPECT_EQ(sessions_.SizeForTest(), 0u);
}

TEST_F(ConsoleHandlerTest, ChangesWithoutTheCsrfTokenAre403) {
  // Sign-in without the pre-session token.
  api::Request post{http::verb::post, "/console/api/session", 11};
  post.set(http::field::content_type, "application/json");
  post.body() = std::string("{\"sid\":\"") + kSidA + "\",\"api_key\":\"" + key_a_ + "\"}";
  EXPECT_EQ(Run(post).result_int(), 403);

  int status = 0;
  auto a = SignIn(kSidA, key_a_, &status);
  ASSERT_TRUE(a) << status;
  for (const char* token :
       {"", "0000000000000000000000000000000000000000000000000000000000000000"}) {
    api::Request cancel{http::verb::post, "/console/api/messages/" + message_id_ + "/cancel", 11};
    cancel.set(http::field::cookie, a->cookie);
    if (*token != '\0') {
      cancel.set("X-CSRF-Token", token);
    }
    EXPECT_EQ(Run(cancel).result_int(), 403) << token;
    api::Request sign_out{http::verb::delete_, "/console/api/session", 11};
    sign_out.set(http::field::cookie, a->cookie);
    if (*token != '\0') {
      sign_out.set("X-CSRF-Token", token);
    }
    EXPECT_EQ(Run(sign_out).result_int(), 403) << token;
    // The registries' edits: PATCH and PUT are changes too.
    for (http::verb verb : {http::verb::patch, http::verb::put}) {
      api::Request edit{verb, "/console/api/templates/tpl-1", 11};
      edit.set(http::field::cookie, a->cookie);
      edit.set(http::field::content_type, "application/json");
      edit.body() = "{}";
      if (*token != '\0') {
        edit.set("X-CSRF-Token", token);
      }
      EXPECT_EQ(Run(edit).result_int(), 403) << token << " " << edit.method_string();
    }
  }
  // With it: the queued message is cancelled, and sign-out ends the session.
  api::Request cancel{http::verb::post, "/console/api/messages/" + message_id_ + "/cancel", 11};
  cancel.set(http::field::cookie, a->cookie);
  cancel.set("X-CSRF-Token", a->csrf);
  EXPECT_EQ(Run(cancel).result_int(), 200);
  api::Request sign_out{http::verb::delete_, "/console/api/session", 11};
  sign_out.set(http::field::cookie, a->cookie);
  sign_out.set("X-CSRF-Token", a->csrf);
  EXPECT_EQ(Run(sign_out).result_int(), 204);
  EXPECT_EQ(Run(Get("/console/api/messages", a->cookie)).result_int(), 401);
}

TEST_F(ConsoleHandlerTest, RegistriesAreTheApisWithItsValidationForTheSessionsAccountOnly) {
  int status = 0;
  auto a = SignIn(kSidA, key_a_, &status);
  ASSERT_TRUE(a) << status;
  // The API's validation and error shape: every bad field named.
  const api::Response bad = Run(Change(http::verb::post, "/console/api/templates",
                                       R"({"template_id":"12","text":""})", a->cookie, a->csrf));
  EXPECT_EQ(bad.result_int(), 400);
  EXPECT_NE(bad.body().find("\"template_id\":"), std::string::npos) << bad.body();
  EXPECT_NE(bad.body().find("\"text\":"), std::string::npos) << bad.body();
  const std::string body = R"({"template_id":"1107161234567890123","text":"Your OTP is {#var#}"})";
  EXPECT_EQ(
      Run(Change(http::verb::post, "/console/api/templates", body, a->cookie, "")).result_int(),
      403);
  EXPECT_EQ(Run(Change(http::verb::post, "/console/api/templates", body, a->cookie, a->csrf))
                .result_int(),
            201);
  EXPECT_NE(Run(Get("/console/api/templates", a->cookie)).body().find("1107161234567890123"),
            std::string::npos);
  EXPECT_EQ(Run(Change(http::verb::post, "/console/api/senders",
                       R"({"data":[{"sender":"ACMEIN"}]})", a->cookie, a->csrf))
                .result_int(),
            200);
  EXPECT_NE(Run(Get("/console/api/senders", a->cookie)).body().find("ACMEIN"), std::string::npos);

  // Another account sees none of it, and cannot delete it.
  auto b = SignIn(kSidB, key_b_, &status);
  ASSERT_TRUE(b) << status;
  EXPECT_EQ(Run(Get("/console/api/templates", b->cookie)).body().find("1107161234567890123"),
            std::string::npos);
  EXPECT_EQ(Run(Get("/console/api/templates/1107161234567890123", b->cookie)).result_int(), 404);
  EXPECT_EQ(Run(Change(http::verb::delete_, "/console/api/senders/ACMEIN", "", b->cookie, b->csrf))
                .result_int(),
            404);
  EXPECT_EQ(Run(Get("/console/api/senders/ACMEIN", a->cookie)).result_int(), 200);

  // The router's methods; the /ext/v1 endpoints without a page are not reachable.
  EXPECT_EQ(
      Run(Change(http::verb::patch, "/console/api/inbound-numbers/x", "{}", a->cookie, a->csrf))
          .result_int(),
      405);
  EXPECT_EQ(Run(Get("/console/api/webhooks", a->cookie)).result_int(), 404);
  EXPECT_EQ(Run(Get("/console/api/opt-outs", a->cookie)).result_int(), 404);
  EXPECT_EQ(Run(Get("/console/api/callback-profiles", a->cookie)).result_int(), 200);
  EXPECT_EQ(Run(Get("/console/api/inbound-numbers", a->cookie)).result_int(), 200);
}

TEST_F(ConsoleHandlerTest, ATestWebhookIsTheApisOwnForTheSessionsAccountOnly) {
  int status = 0;
  auto a = SignIn(kSidA, key_a_, &status);
  ASSERT_TRUE(a) << status;
  const api::Response created =
      Run(Change(http::verb::post, "/console/api/callback-profiles",
                 R"({"url":"https://crm.example.com/status"})", a->cookie, a->csrf));
  ASSERT_EQ(created.result_int(), 201) << created.body();
  std::smatch m;
  const std::string body = created.body();
  ASSERT_TRUE(std::regex_search(body, m, std::regex("\"id\":\"(SG_[0-9a-f-]+)\""))) << body;
  const std::string test = "/console/api/callback-profiles/" + std::string(m[1]) + "/test";
  EXPECT_EQ(Run(Change(http::verb::post, test, "", a->cookie, "")).result_int(), 403);
  // This handler's WebhookApi has no tester, as with [webhooks] enabled = false: the API's 503.
  const api::Response tested = Run(Change(http::verb::post, test, "", a->cookie, a->csrf));
  EXPECT_EQ(tested.result_int(), 503);
  EXPECT_NE(tested.body().find("Webhooks are disabled"), std::string::npos) << tested.body();
  auto b = SignIn(kSidB, key_b_, &status);
  ASSERT_TRUE(b) << status;
  EXPECT_EQ(Run(Change(http::verb::post, test, "", b->cookie, b->csrf)).result_int(), 404);
  EXPECT_EQ(Run(Get(test, a->cookie)).result_int(), 405);
}

TEST_F(ConsoleHandlerTest, KeysAreListedByHashCreatedOnceAndRevokingTheSessionsKeyEndsIt) {
  int status = 0;
  auto a = SignIn(kSidA, key_a_, &status);
  ASSERT_TRUE(a) << status;
  EXPECT_EQ(Run(Change(http::verb::post, "/console/api/keys", "", a->cookie, "")).result_int(),
            403);
  const api::Response created =
      Run(Change(http::verb::post, "/console/api/keys", "", a->cookie, a->csrf));
  ASSERT_EQ(created.result_int(), 201) << created.body();
  std::smatch m;
  const std::string body = created.body();
  ASSERT_TRUE(std::regex_search(body, m, std::regex("\"api_key\":\"(A[0-9a-f]{32})\""))) << body;
  const std::string new_key = m[1];
  EXPECT_NE(body.find(core::Sha256Hex(new_key)), std::string::npos);

  // The list: both keys by their hash, the session's marked; never a key.
  const std::string list = Run(Get("/console/api/keys", a->cookie)).body();
  EXPECT_EQ(list.find(key_a_), std::string::npos) << list;
  EXPECT_EQ(list.find(new_key), std::string::npos) << list;
  EXPECT_NE(list.find("{\"id\":\"" + core::Sha256Hex(key_a_) + "\",\"created_at\":"),
            std::string::npos)
      << list;
  EXPECT_NE(list.find("\"current\":true"), std::string::npos) << list;
  EXPECT_NE(list.find("\"id\":\"" + core::Sha256Hex(new_key) + "\""), std::string::npos);

  // Another account cannot revoke it, nor see it.
  auto b = SignIn(kSidB, key_b_, &status);
  ASSERT_TRUE(b) << status;
  const std::string new_id = "/console/api/keys/" + core::Sha256Hex(new_key);
  EXPECT_EQ(Run(Change(http::verb::delete_, new_id, "", b->cookie, b->csrf)).result_int(), 404);
  EXPECT_EQ(Run(Get("/console/api/keys", b->cookie)).body().find(core::Sha256Hex(new_key)),
            std::string::npos);

  // The new key signs in; revoking the key a session signed in with ends that session.
  auto c = SignIn(kSidA, new_key, &status);
  ASSERT_TRUE(c) << status;
  EXPECT_EQ(Run(Change(http::verb::delete_, new_id, "", a->cookie, a->csrf)).result_int(), 204);
  EXPECT_EQ(Run(Get("/console/api/templates", c->cookie)).result_int(), 401);
  EXPECT_NE(Run(Get("/console/api/session", c->cookie)).body().find("\"signed_in\":false"),
            std::string::npos);
  EXPECT_FALSE(SignIn(kSidA, new_key, &status));
  EXPECT_EQ(status, 401);
  EXPECT_EQ(Run(Get("/console/api/templates", a->cookie)).result_int(), 200);
  EXPECT_EQ(Run(Change(http::verb::delete_, new_id, "", a->cookie, a->csrf)).result_int(), 404);
}

TEST_F(ConsoleHandlerTest, TextInfoCountsWithSrcTextAndSendIsTheSendApis) {
  int status = 0;
  auto a = SignIn(kSidA, key_a_, &status);
  ASSERT_TRUE(a) << status;
  auto info = [&](const std::string& body) {
    return Run(Change(http::verb::post, "/console/api/text-info", body, a->cookie, a->csrf));
  };
  EXPECT_EQ(info(R"({"body":"Hello"})").body(),
            R"({"encoding":"GSM-7","segments":1,"characters":5,"units":5,"smart_encoding":false})");
  // 161 GSM-7 characters: two parts of 153; one non-GSM character makes it UCS-2 (70 a part).
  const std::string long_gsm(161, 'a');
  EXPECT_NE(info("{\"body\":\"" + long_gsm + "\"}").body().find("\"segments\":2"),
            std::string::npos);
  const api::Response ucs2 = info(R"({"body":"Привет"})");
  EXPECT_NE(ucs2.body().find("\"encoding\":\"UCS-2\",\"segments\":1"), std::string::npos)
      << ucs2.body();
  const api::Response refused = info(R"({"body":"Привет","unicode":"0"})");
  EXPECT_EQ(refused.result_int(), 400);
  EXPECT_NE(refused.body().find("\"unicode\":"), std::string::npos) << refused.body();
  EXPECT_EQ(
      Run(Change(http::verb::post, "/console/api/text-info", R"({"body":"x"})", a->cookie, ""))
          .result_int(),
      403);

  // The send API's validation, then its answer once committed.
  const api::Response bad =
      Run(Change(http::verb::post, "/console/api/send",
                 R"({"to":"12","sender":"ACMEIN","body":"Hi"})", a->cookie, a->csrf));
  EXPECT_EQ(bad.result_int(), 400);
  EXPECT_NE(bad.body().find("\"to\":"), std::string::npos) << bad.body();
  const api::Response sent =
      Run(Change(http::verb::post, "/console/api/send",
                 R"({"to":"+6591234567","sender":"ACMEIN","body":"Hi"})", a->cookie, a->csrf));
  ASSERT_EQ(sent.result_int(), 200) << sent.body();
  std::smatch m;
  const std::string body = sent.body();
  ASSERT_TRUE(std::regex_search(body, m, std::regex("\"message_id\":\"([^\"]+)\"")));
  EXPECT_EQ(Run(Get("/console/api/messages/" + std::string(m[1]), a->cookie)).result_int(), 200);
  EXPECT_EQ(Run(Get("/console/api/send", a->cookie)).result_int(), 405);
}

TEST(ConsoleOwns, OnlyTheConsolePrefix) {
  EXPECT_TRUE(ConsoleHandler::Owns("/console"));
  EXPECT_TRUE(ConsoleHandler::Owns("/console/"));
  EXPECT_TRUE(ConsoleHandler::Owns("/console/api/session"));
  EXPECT_FALSE(ConsoleHandler::Owns("/consoles"));
  EXPECT_FALSE(ConsoleHandler::Owns("/ext/v1/console"));
  EXPECT_FALSE(ConsoleHandler::Owns("/"));
}

}  // namespace
}  // namespace smsgw::console

namespace smsgw::console {
namespace {

TEST(DelayQuantileTest, InterpolatesWithinTheBuckets) {
  std::array<uint64_t, store::kDelayBuckets> h{};
  EXPECT_FALSE(DelayQuantile(h, 0.5));
  h[0] = 10;  // (0, 1] s
  EXPECT_DOUBLE_EQ(*DelayQuantile(h, 0.5), 0.5);
  EXPECT_DOUBLE_EQ(*DelayQuantile(h, 1.0), 1.0);
  h[2] = 10;  // (2, 5] s
  EXPECT_DOUBLE_EQ(*DelayQuantile(h, 0.75), 3.5);
  h[store::kDelayBuckets - 1] = 1000;  // above the last bound
  EXPECT_DOUBLE_EQ(*DelayQuantile(h, 0.99), 3600.0);
}

TEST_F(ConsoleHandlerTest, DeliveryChartsAreTheSessionsAccountsRollupsOnly) {
  EXPECT_EQ(Run(Get("/console/api/delivery")).result_int(), 401);
  // The message SetUp enqueued was created at fakes::MakeMessage's time; chart the hour after it.
  clock_.Advance(std::chrono::milliseconds(1'700'000'000'000 + 60'000) -
                 std::chrono::milliseconds(core::ToUnixMillis(clock_.Now())));
  int status = 0;
  const auto a = SignIn(kSidA, key_a_, &status);
  ASSERT_TRUE(a) << status;
  const api::Response hour = Run(Get("/console/api/delivery?range=hour", a->cookie));
  ASSERT_EQ(hour.result_int(), 200) << hour.body();
  const std::string body = hour.body();
  EXPECT_NE(body.find("\"totals\":{\"accepted\":1,"), std::string::npos) << body;
  EXPECT_NE(body.find("\"step_seconds\":60"), std::string::npos) << body;
  EXPECT_NE(body.find("\"by_type\":[{\"type\":\"DEFAULT\""), std::string::npos) << body;
  EXPECT_NE(body.find("\"queue\":{\"due\":3,\"later\":0,\"oldest_age_seconds\":7"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("\"connectors\":[{\"name\":\"smsc-a\",\"binds_up\":1"), std::string::npos)
      << body;
  // The node-wide live status is read once for requests close together, whoever asks.
  EXPECT_EQ(Run(Get("/console/api/delivery?range=day", a->cookie)).result_int(), 200);
  EXPECT_EQ(live_reads_.load(), 1);
  const api::Response week = Run(Get("/console/api/delivery?range=week", a->cookie));
  EXPECT_EQ(week.result_int(), 200);
  EXPECT_NE(week.body().find("\"step_seconds\":3600"), std::string::npos);
  // Per type and per connector: the series and totals of those rows only, the tables of all.
  const std::string otp = Run(Get("/console/api/delivery?range=hour&type=otp", a->cookie)).body();
  EXPECT_NE(otp.find("\"type\":\"OTP\""), std::string::npos) << otp;
  EXPECT_NE(otp.find("\"totals\":{\"accepted\":0,"), std::string::npos) << otp;
  EXPECT_NE(otp.find("\"by_type\":[{\"type\":\"DEFAULT\",\"accepted\":1"), std::string::npos)
      << otp;
  const std::string dflt =
      Run(Get("/console/api/delivery?range=hour&type=DEFAULT&connector=", a->cookie)).body();
  EXPECT_NE(dflt.find("\"totals\":{\"accepted\":1,"), std::string::npos) << dflt;
  const std::string smsc =
      Run(Get("/console/api/delivery?range=hour&connector=smsc-a", a->cookie)).body();
  EXPECT_NE(smsc.find("\"connector\":\"smsc-a\""), std::string::npos) << smsc;
  EXPECT_NE(smsc.find("\"totals\":{\"accepted\":0,"), std::string::npos) << smsc;
  EXPECT_EQ(Run(Get("/console/api/delivery?type=SPAM", a->cookie)).result_int(), 400);
  EXPECT_EQ(
      Run(Get("/console/api/delivery?connector=" + std::string(200, 'c'), a->cookie)).result_int(),
      400);
  EXPECT_EQ(Run(Get("/console/api/delivery?range=year", a->cookie)).result_int(), 400);
  EXPECT_EQ(Run(Get("/console/api/delivery?range=week&step=minute", a->cookie)).result_int(), 400);

  const auto b = SignIn(kSidB, key_b_, &status);
  ASSERT_TRUE(b) << status;
  const api::Response theirs = Run(Get("/console/api/delivery?range=hour", b->cookie));
  ASSERT_EQ(theirs.result_int(), 200);
  EXPECT_NE(theirs.body().find("\"totals\":{\"accepted\":0,"), std::string::npos) << theirs.body();
}

}  // namespace
}  // namespace smsgw::console

namespace smsgw::console {
namespace {

TEST_F(ConsoleHandlerTest, SignInWithTheConsolePasswordLastsWhileThePasswordStays) {
  const std::string salt = core::NewSalt();
  ASSERT_TRUE(store_->SetConsolePassword(
      kSidA, salt, core::PasswordHashHex(salt, "correct horse battery"), clock_.Now()));
  int status = 0;
  EXPECT_FALSE(SignInWithPassword(kSidA, "wrong horse battery", &status));
  EXPECT_EQ(status, 401);
  EXPECT_FALSE(SignInWithPassword(kSidB, "correct horse battery", &status));  // B has none
  EXPECT_EQ(status, 401);
  const auto a = SignInWithPassword(kSidA, "correct horse battery", &status);
  ASSERT_TRUE(a) << status;
  const api::Response list = Run(Get("/console/api/messages", a->cookie));
  EXPECT_EQ(list.result_int(), 200);
  EXPECT_NE(list.body().find(message_id_), std::string::npos);
  // The session reaches its own account's data only, as a key's does.
  EXPECT_EQ(Run(Get("/console/api/session", a->cookie)).body().find(kSidB), std::string::npos);
  // A new password ends the sessions signed in with the old one.
  const std::string salt2 = core::NewSalt();
  ASSERT_TRUE(store_->SetConsolePassword(
      kSidA, salt2, core::PasswordHashHex(salt2, "another long password"), clock_.Now()));
  EXPECT_EQ(Run(Get("/console/api/messages", a->cookie)).result_int(), 401);
  const auto again = SignInWithPassword(kSidA, "another long password", &status);
  ASSERT_TRUE(again) << status;
  // Removed (`smsgw console-password remove`): its sessions end, and it signs in no more.
  ASSERT_TRUE(store_->RemoveConsolePassword(kSidA));
  EXPECT_EQ(Run(Get("/console/api/messages", again->cookie)).result_int(), 401);
  EXPECT_FALSE(SignInWithPassword(kSidA, "another long password", &status));
  EXPECT_EQ(status, 401);
  EXPECT_EQ(store_->RemoveConsolePassword(kSidA).error().code, core::Errc::kNotFound);
  EXPECT_EQ(store_->RemoveConsolePassword("HXNONE0000000000SG").error().code,
            core::Errc::kNotFound);
  // Not both, not neither.
  EXPECT_FALSE(SignInWith("{\"sid\":\"" + std::string(kSidA) + "\"}", &status));
  EXPECT_EQ(status, 400);
}

TEST_F(ConsoleHandlerTest, FailedSignInsAreLimitedPerSidWithAClearAnswer) {
  int status = 0;
  for (int i = 0; i < SignInLimiter::Options().failures_per_sid; ++i) {
    EXPECT_FALSE(SignIn(kSidA, "A" + std::string(32, '0'), &status));
    EXPECT_EQ(status, 401);
  }
  // The right key too, until the window ends: trying on tells nothing.
  EXPECT_FALSE(SignIn(kSidA, key_a_, &status));
  EXPECT_EQ(status, 429);
  // Another account is not locked out by A's failures.
  EXPECT_TRUE(SignIn(kSidB, key_b_, &status)) << status;
  clock_.Advance(SignInLimiter::Options().window);
  EXPECT_TRUE(SignIn(kSidA, key_a_, &status)) << status;
}

TEST(SignInLimiterTest, CountsPerSourceAndPerSidInAWindowWithBoundedMemory) {
  fakes::ManualClock clock;
  const SignInLimiter::Options options;  // the defaults: 10 a SID, 30 a source, 5 minutes
  SignInLimiter limiter(options, clock);
  EXPECT_FALSE(limiter.Refused("10.0.0.1", "S1"));
  // One source trying many SIDs is stopped by the source's count.
  for (int i = 0; i < options.failures_per_source; ++i) {
    limiter.Failed("10.0.0.1", "S" + std::to_string(i));
  }
  const auto wait = limiter.Refused("10.0.0.1", "fresh");
  ASSERT_TRUE(wait);
  EXPECT_LE(*wait, options.window);
  EXPECT_FALSE(limiter.Refused("10.0.0.2", "fresh"));
  clock.Advance(options.window);
  EXPECT_FALSE(limiter.Refused("10.0.0.1", "fresh"));
  // Full of live entries: a new SID waits rather than growing memory or evicting a count.
  for (size_t i = 0; i < SignInLimiter::kMaxTracked; ++i) {
    limiter.Failed("10.0.1." + std::to_string(i % 200), "T" + std::to_string(i));
  }
  EXPECT_TRUE(limiter.Refused("10.0.9.9", "new-sid"));
  clock.Advance(options.window);
  limiter.Failed("10.0.9.9", "new-sid");  // expired entries are dropped for it
  EXPECT_FALSE(limiter.Refused("10.0.9.8", "other-sid"));
}

TEST(SignInLimiterTest, ThresholdsAndWindowComeFromItsOptions) {
  fakes::ManualClock clock;
  SignInLimiter limiter(
      {.failures_per_sid = 2, .failures_per_source = 3, .window = std::chrono::seconds(60)}, clock);
  limiter.Failed("10.0.0.1", "S1");
  EXPECT_FALSE(limiter.Refused("10.0.0.1", "S1"));
  limiter.Failed("10.0.0.2", "S1");  // the SID's second failure, from another source
  const auto wait = limiter.Refused("10.0.0.3", "S1");
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, std::chrono::seconds(60));
  EXPECT_FALSE(limiter.Refused("10.0.0.1", "S2"));
  limiter.Failed("10.0.0.1", "S2");
  limiter.Failed("10.0.0.1", "S3");  // the source's third
  EXPECT_TRUE(limiter.Refused("10.0.0.1", "S4"));
  clock.Advance(std::chrono::seconds(59));
  EXPECT_EQ(limiter.Refused("10.0.0.1", "S4"), std::chrono::seconds(1));
  clock.Advance(std::chrono::seconds(1));
  EXPECT_FALSE(limiter.Refused("10.0.0.1", "S4"));
  EXPECT_FALSE(limiter.Refused("10.0.0.3", "S1"));
}

}  // namespace
}  // namespace smsgw::console
