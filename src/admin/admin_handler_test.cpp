#include "admin/admin_handler.h"

#include <gtest/gtest.h>

#include <optional>

namespace smsgw::admin {
namespace {

namespace asio = api::asio;
namespace http = api::http;

class AdminHandlerTest : public ::testing::Test {
 protected:
  api::Response Get(AdminHandler& handler, std::string_view target, std::string_view token = "",
                    http::verb method = http::verb::get) {
    api::Request request{method, std::string(target), 11};
    if (!token.empty()) {
      request.set(http::field::authorization, "Bearer " + std::string(token));
    }
    asio::io_context io;
    std::optional<api::Response> response;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> { response = co_await handler.Handle(std::move(request)); },
        asio::detached);
    io.run();
    return std::move(*response);
  }

  AdminHandler::Hooks Hooks() {
    return {[] { return std::string("smsgw_up 1\n"); },
            [this]() -> core::Result<void> {
              if (ready_error_.empty()) {
                return {};
              }
              return core::MakeError(core::Errc::kUnavailable, ready_error_);
            }};
  }

  asio::thread_pool pool_{1};
  std::string ready_error_;
};

TEST_F(AdminHandlerTest, ServesMetricsHealthAndReadiness) {
  AdminHandler handler("", Hooks(), pool_);
  api::Response metrics = Get(handler, "/metrics");
  EXPECT_EQ(metrics.result_int(), 200);
  EXPECT_EQ(metrics[http::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(metrics.body(), "smsgw_up 1\n");
  EXPECT_EQ(Get(handler, "/healthz").body(), R"({"status":"ok"})");
  EXPECT_EQ(Get(handler, "/readyz").result_int(), 200);

  ready_error_ = "no SMSC bound (connectors: a)";
  api::Response unready = Get(handler, "/readyz");
  EXPECT_EQ(unready.result_int(), 503);
  EXPECT_EQ(unready.body(),
            R"j({"status":"unavailable","reason":"no SMSC bound (connectors: a)"})j");
  EXPECT_EQ(Get(handler, "/healthz").result_int(), 200);  // alive all the same
}

TEST_F(AdminHandlerTest, HeadGetsTheHeadersWithoutTheBody) {
  AdminHandler handler("", Hooks(), pool_);
  api::Response head = Get(handler, "/metrics", "", http::verb::head);
  EXPECT_EQ(head.result_int(), 200);
  EXPECT_EQ(head.body(), "");
  EXPECT_EQ(head[http::field::content_length], "11");  // "smsgw_up 1\n"
}

TEST_F(AdminHandlerTest, ReadinessFailsOnceStopping) {
  AdminHandler handler("", Hooks(), pool_);
  handler.SetStopping();
  api::Response res = Get(handler, "/readyz");
  EXPECT_EQ(res.result_int(), 503);
  EXPECT_EQ(res.body(), R"({"status":"unavailable","reason":"stopping"})");
}

TEST_F(AdminHandlerTest, RefusesOtherPathsAndMethods) {
  AdminHandler handler("", Hooks(), pool_);
  EXPECT_EQ(Get(handler, "/").result_int(), 404);
  EXPECT_EQ(Get(handler, "/metrics/x").result_int(), 404);
  api::Response post = Get(handler, "/metrics", "", http::verb::post);
  EXPECT_EQ(post.result_int(), 405);
  EXPECT_EQ(post[http::field::allow], "GET, HEAD");
}

TEST_F(AdminHandlerTest, WantsTheTokenWhenOneIsSet) {
  const std::string token = "0123456789abcdef-token";
  AdminHandler handler(token, Hooks(), pool_);
  for (const char* target : {"/metrics", "/healthz", "/readyz", "/nowhere"}) {
    api::Response res = Get(handler, target);
    EXPECT_EQ(res.result_int(), 401) << target;
    EXPECT_EQ(res[http::field::www_authenticate], "Bearer");
    EXPECT_EQ(res.body().find(token), std::string::npos);
  }
  EXPECT_EQ(Get(handler, "/metrics", "0123456789abcdef-tokeX").result_int(), 401);
  EXPECT_EQ(Get(handler, "/metrics", "0123456789abcdef-toke").result_int(), 401);
  EXPECT_EQ(Get(handler, "/metrics", token).result_int(), 200);
}

}  // namespace
}  // namespace smsgw::admin
