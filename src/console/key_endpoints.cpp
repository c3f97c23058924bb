#include "console/key_endpoints.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "api/async_bridge.h"
#include "api/json_writer.h"
#include "api/responses.h"
#include "console/errors.h"
#include "core/ids.h"

namespace smsgw::console {
namespace {

namespace http = api::http;

// A key's id is the hex SHA-256 the store keeps: 64 lower-case hex characters.
bool LooksLikeKeyId(std::string_view id) {
  return id.size() == 64 && std::ranges::all_of(id, [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

api::Response StoreUnavailable(const core::Error& error, std::string_view what) {
  SPDLOG_ERROR("console {}: {}", what, error.message);
  return ErrorJson(503, "E503", "The store is unavailable; try again.");
}

}  // namespace

api::asio::awaitable<api::Response> KeyEndpoints::Handle(const api::Request& request,
                                                         std::string_view rest,
                                                         const std::string& sid,
                                                         const std::string& session_key_hash) {
  if (rest == "keys") {
    if (request.method() == http::verb::get) {
      co_return co_await List(sid, session_key_hash);
    }
    if (request.method() == http::verb::post) {
      co_return co_await Create(sid);
    }
    co_return MethodNotAllowed("GET, POST");
  }
  const std::string_view id = rest.substr(std::string_view("keys/").size());
  if (!LooksLikeKeyId(id)) {
    co_return ErrorJson(404, "E404", "No such key.");
  }
  if (request.method() != http::verb::delete_) {
    co_return MethodNotAllowed("DELETE");
  }
  co_return co_await Revoke(sid, id);
}

api::asio::awaitable<api::Response> KeyEndpoints::List(const std::string& sid,
                                                       const std::string& session_key_hash) {
  auto keys = co_await api::RunBlocking(store_pool_, [&] { return accounts_.ListKeys(sid); });
  if (!keys) {
    co_return StoreUnavailable(keys.error(), "key list");
  }
  api::JsonWriter j;
  j.w().StartObject();
  j.Key("data");
  j.w().StartArray();
  for (const store::ApiKeyRecord& key : *keys) {
    j.w().StartObject();
    j.Field("id", key.key_hash);
    j.Field("created_at", core::FormatCreatedDateTime(key.created_at));
    j.Key("current");
    j.w().Bool(key.key_hash == session_key_hash);
    j.w().EndObject();
  }
  j.w().EndArray();
  j.w().EndObject();
  co_return api::JsonResponse(200, j.Take());
}

api::asio::awaitable<api::Response> KeyEndpoints::Create(const std::string& sid) {
  // As `smsgw key create` (app/accounts.cpp): a new key from core, only its hash to the store.
  const std::string key = core::NewApiKey();
  const std::string key_hash = core::Sha256Hex(key);
  const core::TimePoint now = clock_.Now();
  auto added =
      co_await api::RunBlocking(store_pool_, [&] { return accounts_.AddKey(sid, key_hash, now); });
  if (!added) {
    co_return StoreUnavailable(added.error(), "key create");
  }
  SPDLOG_INFO("console: account {} created an API key ({}…)", sid, key_hash.substr(0, 12));
  api::JsonWriter j;
  j.w().StartObject();
  j.Field("id", key_hash);
  j.Field("api_key", key);
  j.Field("created_at", core::FormatCreatedDateTime(now));
  j.w().EndObject();
  co_return api::JsonResponse(201, j.Take());
}

api::asio::awaitable<api::Response> KeyEndpoints::Revoke(const std::string& sid,
                                                         std::string_view id) {
  auto revoked =
      co_await api::RunBlocking(store_pool_, [&] { return accounts_.RevokeKey(sid, id); });
  if (!revoked && revoked.error().code == core::Errc::kNotFound) {
    co_return ErrorJson(404, "E404", "No such key.");
  }
  if (!revoked) {
    co_return StoreUnavailable(revoked.error(), "key revoke");
  }
  SPDLOG_INFO("console: account {} revoked an API key ({}…)", sid, id.substr(0, 12));
  co_return api::NoContentResponse();
}

}  // namespace smsgw::console
