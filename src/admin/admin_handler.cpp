#include "admin/admin_handler.h"

#include <openssl/crypto.h>

#include "api/async_bridge.h"
#include "api/json_writer.h"
#include "metrics/exposition.h"

namespace smsgw::admin {
namespace {

namespace http = api::http;

api::Response Text(http::status status, std::string_view content_type, std::string body) {
  api::Response res{status, 11};
  res.set(http::field::content_type,
          api::beast::string_view(content_type.data(), content_type.size()));
  res.set(http::field::cache_control, "no-store");
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

// {"status":"ok"} or {"status":"unavailable","reason":"..."}.
api::Response Health(bool ok, std::string_view reason) {
  api::JsonWriter json;
  json.w().StartObject();
  json.Field("status", ok ? "ok" : "unavailable");
  if (!ok) {
    json.Field("reason", reason);
  }
  json.w().EndObject();
  return Text(ok ? http::status::ok : http::status::service_unavailable, "application/json",
              json.Take());
}

// Compared in constant time: the token is a secret.
bool TokenMatches(std::string_view header, const std::string& token) {
  constexpr std::string_view kBearer = "Bearer ";
  if (!header.starts_with(kBearer)) {
    return false;
  }
  const std::string_view given = header.substr(kBearer.size());
  return given.size() == token.size() &&
         CRYPTO_memcmp(given.data(), token.data(), token.size()) == 0;
}

}  // namespace

AdminHandler::AdminHandler(std::string token, Hooks hooks, api::asio::thread_pool& pool)
    : token_(std::move(token)), hooks_(std::move(hooks)), pool_(pool) {}

api::asio::awaitable<api::Response> AdminHandler::Handle(api::Request request) {
  api::Response response = co_await Answer(request);
  if (request.method() == http::verb::head) {
    // The GET's headers, Content-Length included, and no body.
    const size_t length = response.body().size();
    response.body().clear();
    response.content_length(length);
  }
  co_return response;
}

api::asio::awaitable<api::Response> AdminHandler::Answer(const api::Request& request) {
  if (!token_.empty()) {
    const auto header = request[http::field::authorization];
    if (!TokenMatches(std::string_view(header.data(), header.size()), token_)) {
      api::Response res = Text(http::status::unauthorized, "application/json",
                               R"({"status":"unauthorized","reason":"missing or wrong token"})");
      res.set(http::field::www_authenticate, "Bearer");
      co_return res;
    }
  }
  const std::string_view target(request.target().data(), request.target().size());
  const std::string_view path = target.substr(0, target.find('?'));
  if (path != "/metrics" && path != "/healthz" && path != "/readyz") {
    co_return Text(http::status::not_found, "application/json",
                   R"({"status":"not_found","reason":"GET /metrics, /healthz or /readyz"})");
  }
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    api::Response res = Text(http::status::method_not_allowed, "application/json",
                             R"({"status":"method_not_allowed","reason":"GET only"})");
    res.set(http::field::allow, "GET, HEAD");
    co_return res;
  }
  if (path == "/healthz") {
    co_return Health(true, "");
  }
  if (path == "/metrics") {
    std::string text = co_await api::RunBlocking(pool_, [this] { return hooks_.metrics(); });
    co_return Text(http::status::ok, metrics::Exposition::kContentType, std::move(text));
  }
  if (stopping_.load()) {
    co_return Health(false, "stopping");
  }
  if (checking_.exchange(true)) {
    co_return Health(false, "the previous readiness check has not finished (store busy?)");
  }
  core::Result<void> ready = co_await api::RunBlocking(pool_, [this] { return hooks_.ready(); });
  checking_.store(false);
  co_return Health(ready.has_value(), ready ? "" : ready.error().message);
}

}  // namespace smsgw::admin
