#include "api/api_handler.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <unordered_map>

#include "api/async_bridge.h"
#include "api/key_auth.h"
#include "api/openapi_document.h"
#include "api/request_body.h"
#include "api/responses.h"
#include "api/router.h"
#include "api/send_request.h"
#include "core/callback_header.h"
#include "core/ids.h"
#include "core/strings.h"
#include "log/fields.h"

namespace smsgw::api {
namespace {

constexpr size_t kMaxStatusIds = 100;

std::string StatusBody(const std::vector<std::string>& ids,
                       const std::vector<store::StatusRecord>& records) {
  std::unordered_map<std::string_view, const store::StatusRecord*> by_id;
  for (const auto& r : records) {
    by_id.emplace(r.id, &r);
  }
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  auto str = [&w](std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  };
  w.StartObject();
  w.Key("data");
  w.StartArray();
  for (const std::string& id : ids) {
    auto it = by_id.find(id);
    w.StartObject();
    w.Key("campaign_id");
    str(id);
    w.Key("status");
    str(it == by_id.end() ? "NotFound" : core::KaleyraStatus(it->second->state));
    w.Key("status_details");
    str(it == by_id.end() ? "" : it->second->status_details);
    w.EndObject();
  }
  w.EndArray();
  w.Key("error");
  w.StartObject();
  w.EndObject();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

// RFC 9110 field-value characters a key may use: visible ASCII, as the IETF draft's examples.
bool IsIdempotencyKey(std::string_view key) {
  return !key.empty() && key.size() <= 255 &&
         std::all_of(key.begin(), key.end(), [](char c) { return c > 0x20 && c < 0x7F; });
}

// What "the same request" means for a retry: method, target (a GET send carries its fields
// there) and body.
std::string Fingerprint(const Request& request) {
  std::string text(request.method_string().data(), request.method_string().size());
  text += ' ';
  text.append(request.target().data(), request.target().size());
  text += '\n';
  text += request.body();
  return core::Sha256Hex(text);
}

// 429 E429 with Retry-After (RFC 9110 §10.2.3: delay-seconds).
Response RateLimited(std::chrono::seconds wait, std::string reason) {
  Response response = ErrorResponse(MakeFieldError(ApiError::kRateLimited, std::move(reason)));
  response.set(http::field::retry_after, std::to_string(wait.count()));
  return response;
}

}  // namespace

SendRules SendRulesOf(const ApiOptions& options) {
  return {options.region, options.schedule_min_ahead, options.schedule_max_ahead,
          options.smart_encoding, options.egress};
}

ApiHandler::ApiHandler(ApiOptions options, Authenticator& auth, RegistryCache& registry,
                       store::GroupCommitter& committer, ApiStores stores,
                       asio::thread_pool& store_pool, const core::Clock& clock)
    : options_(options),
      auth_(auth),
      committer_(committer),
      messages_(stores.messages),
      store_pool_(store_pool),
      clock_(clock),
      send_validator_(SendRulesOf(options), registry, store_pool, clock),
      registry_api_(options.region, stores.templates, stores.senders, store_pool, clock),
      message_api_(options.region, stores.log, stores.delivery, stores.webhooks, store_pool, clock),
      webhook_api_(options.region, options_.egress, stores.callback_profiles,
                   stores.inbound_numbers, stores.webhooks, stores.accounts, store_pool, clock,
                   stores.callback_tester),
      opt_out_api_(stores.opt_outs, store_pool, clock),
      country_cap_api_(stores.country_caps, store_pool, clock),
      smpp_credential_api_(stores.smpp_credentials, store_pool, clock) {}

size_t ApiHandler::BodyLimit(const http::request_header<>& header, size_t configured) const {
  const std::string_view target(header.target().data(), header.target().size());
  const Route route = MatchRoute(header.method(), target.substr(0, target.find('?')));
  return route.kind == Route::kRegisterSenders
             ? std::max(configured, kMaxSenderRegistrationBodyBytes)
             : configured;
}

asio::awaitable<Response> ApiHandler::Handle(Request request) {
  const auto start = std::chrono::steady_clock::now();
  const std::string_view target(request.target().data(), request.target().size());
  const size_t qmark = target.find('?');
  const std::string_view path = target.substr(0, qmark);
  const std::string_view query =
      qmark == std::string_view::npos ? std::string_view() : target.substr(qmark + 1);
  const Route route = MatchRoute(request.method(), path);
  Response response = co_await Answer(request, route, query);
  stats_.CountRequest(
      route.kind, response.result_int(),
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  co_return response;
}

asio::awaitable<Response> ApiHandler::Answer(const Request& request, const Route& route,
                                             std::string_view query) {
  // A webhook of this node or another smsgw aimed back at an API: answering could loop forever.
  if (request.find(beast::string_view(core::kWebhookMarkerHeader.data(),
                                      core::kWebhookMarkerHeader.size())) != request.end()) {
    co_return ErrorResponse(MakeFieldError(ApiError::kWebhookLoop));
  }
  if (route.kind == Route::kNotFound) {
    co_return ErrorResponse(MakeFieldError(ApiError::kNotFound));
  }
  if (route.kind == Route::kMethodNotAllowed) {
    Response res = ErrorResponse(MakeFieldError(ApiError::kMethodNotAllowed));
    res.set(http::field::allow, beast::string_view(route.allow.data(), route.allow.size()));
    co_return res;
  }
  // The API's description is public: it holds no secrets and no account data.
  if (route.kind == Route::kOpenApi) {
    co_return JsonResponse(200, std::string(OpenApiDocument()));
  }

  // Authenticate before looking at the body: an unauthenticated caller learns nothing, not even
  // whether the SID exists (403 for a valid key on any other SID).
  std::string key(HeaderValue(request, "api-key"));
  if (key.empty() && route.kind == Route::kSend && request.method() == http::verb::get) {
    key = QueryParam(query, "api-key");  // send by GET carries everything in the URL
  }
  if (key.empty()) {
    co_return ErrorResponse(MakeFieldError(ApiError::kApiKeyMissing));
  }
  auto identity = co_await IdentifyKey(auth_, store_pool_, key);
  if (!identity) {
    SPDLOG_ERROR("key lookup failed: {}", identity.error().message);
    co_return ErrorResponse(MakeFieldError(ApiError::kStoreUnavailable));
  }
  if (!*identity) {
    co_return ErrorResponse(MakeFieldError(ApiError::kApiKeyInvalid));
  }
  const Authenticator::Identity& account = **identity;
  if (account.sid != route.sid) {
    co_return ErrorResponse(MakeFieldError(ApiError::kForbidden));
  }

  switch (route.kind) {
    case Route::kRateLimits:
      co_return JsonResponse(200, RateLimitsJson(LimitsOf(account)));
    case Route::kSend:
      co_return co_await Send(request, route.sid, query, account);
    case Route::kStatus:
      co_return co_await Status(route.sid, query);
    case Route::kMessages:
    case Route::kMessage:
    case Route::kCancelMessage:
      co_return co_await message_api_.Handle(route, query);
    case Route::kCallbackProfiles:
    case Route::kCallbackProfile:
    case Route::kCallbackTest:
    case Route::kInboundNumbers:
    case Route::kInboundNumber:
    case Route::kWebhooks:
    case Route::kReplayWebhook:
    case Route::kWebhookSecret:
      co_return co_await webhook_api_.Handle(route, request, query);
    case Route::kOptOuts:
      co_return co_await opt_out_api_.Handle(route, request, query);
    case Route::kCountryCaps:
    case Route::kCountryCap:
      co_return co_await country_cap_api_.Handle(route, request, query);
    case Route::kSmppCredentials:
    case Route::kSmppCredential:
      co_return co_await smpp_credential_api_.Handle(route, request, query);
    default:
      co_return co_await registry_api_.Handle(route, request, query);
  }
}

asio::awaitable<Response> ApiHandler::SendAs(const Request& request,
                                             const Authenticator::Identity& identity) {
  co_return co_await Send(request, identity.sid, {}, identity);
}

AccountRateLimits ApiHandler::LimitsOf(const Authenticator::Identity& identity) const {
  return {
      identity.settings.sends_per_second.value_or(options_.rate_limits.sends_per_second),
      identity.settings.recipients_per_second.value_or(options_.rate_limits.recipients_per_second)};
}

asio::awaitable<Response> ApiHandler::Send(const Request& request, const std::string& sid,
                                           std::string_view query,
                                           const Authenticator::Identity& identity) {
  const AccountRateLimits limits = LimitsOf(identity);
  if (auto wait = rate_limiter_.TakeSend(sid, limits, RateLimiter::Clock::now())) {
    co_return RateLimited(*wait, "Too many requests: this account may send " +
                                     std::to_string(limits.sends_per_second) +
                                     " requests a second.");
  }
  // Idempotency-Key: a retry of a request already answered gets that answer and creates nothing.
  std::optional<store::IdempotencyRecord> key;
  if (auto header = request.find("Idempotency-Key"); header != request.end()) {
    const std::string_view value(header->value().data(), header->value().size());
    if (!IsIdempotencyKey(value)) {
      co_return ErrorResponse(MakeFieldError(ApiError::kIdempotencyKeyInvalid));
    }
    key = store::IdempotencyRecord{sid, std::string(value), Fingerprint(request), "", clock_.Now()};
    if (auto answered = co_await Replay(*key)) {
      co_return std::move(*answered);
    }
  }
  rapidjson::Document fields;
  auto parsed =
      ParseRequestFields(HeaderValue(request, "content-encoding"),
                         request.method() == http::verb::get, query, request.body(), fields);
  if (!parsed) {
    co_return ErrorResponse(parsed.error());
  }

  auto validated = co_await send_validator_.Validate(sid, identity.settings, fields);
  if (!validated) {
    co_return ErrorResponse(validated.error());
  }
  const SendRequest* send = &validated->request;
  if (auto wait = rate_limiter_.TakeRecipients(sid, limits, send->recipients.size(),
                                               RateLimiter::Clock::now())) {
    co_return RateLimited(*wait, "Too many recipients: this account may send to " +
                                     std::to_string(limits.recipients_per_second) +
                                     " recipients a second.");
  }
  const std::string request_id = core::NewUuid();
  std::vector<core::Message> messages = BuildMessages(*send, sid, request_id, validated->now);
  std::string body = SendResponseBody(*send, messages, request_id, validated->now);
  if (key) {
    key->response = body;
  }

  std::array<uint64_t, ApiStats::kRouteTypes> by_type{};
  for (const core::Message& message : messages) {
    ++by_type[static_cast<size_t>(message.type)];
  }
  auto committed = co_await AsyncEnqueue(committer_, std::move(messages), key);
  if (!committed && key && committed.error().code == core::Errc::kConflict) {
    // The same key was committed meanwhile (a retry racing its first request): answer as it.
    if (auto answered = co_await Replay(*key)) {
      co_return std::move(*answered);
    }
  }
  if (!committed) {
    SMSGW_LOG_ERROR({{"sid", sid}, {"request_id", request_id}}, "enqueue of request {} failed: {}",
                    request_id, committed.error().message);
    co_return ErrorResponse(MakeFieldError(ApiError::kStoreUnavailable));
  }
  for (size_t type = 0; type < by_type.size(); ++type) {
    if (by_type[type] != 0) {
      stats_.CountAccepted(static_cast<core::RouteType>(type), by_type[type]);
    }
  }
  co_return JsonResponse(200, std::move(body));
}

asio::awaitable<std::optional<Response>> ApiHandler::Replay(const store::IdempotencyRecord& key) {
  auto found = co_await RunBlocking(store_pool_, [this, &key] {
    return messages_.FindIdempotencyKey(key.sid, key.key,
                                        key.created_at - store::kIdempotencyWindow);
  });
  if (!found) {
    SPDLOG_ERROR("idempotency key lookup failed: {}", found.error().message);
    co_return ErrorResponse(MakeFieldError(ApiError::kStoreUnavailable));
  }
  if (!*found) {
    co_return std::nullopt;
  }
  if ((*found)->fingerprint != key.fingerprint) {
    co_return ErrorResponse(MakeFieldError(ApiError::kIdempotencyKeyReused));
  }
  Response replayed = JsonResponse(200, std::move((*found)->response));
  replayed.set("Idempotent-Replayed", "true");
  co_return replayed;
}

asio::awaitable<Response> ApiHandler::Status(const std::string& sid, std::string_view query) {
  std::vector<std::string> ids;
  const std::string decoded = QueryParam(query, "message_ids");
  std::string_view list = decoded;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    std::string_view id = core::TrimAscii(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (!id.empty()) {
      ids.emplace_back(id);
    }
  }
  if (ids.empty() || ids.size() > kMaxStatusIds) {
    co_return ErrorResponse(MakeFieldError(ApiError::kMessageIdsInvalid));
  }
  auto records = co_await RunBlocking(
      store_pool_, [this, &sid, &ids] { return messages_.GetStatuses(sid, ids); });
  if (!records) {
    SPDLOG_ERROR("status lookup failed: {}", records.error().message);
    co_return ErrorResponse(MakeFieldError(ApiError::kStoreUnavailable));
  }
  co_return JsonResponse(200, StatusBody(ids, *records));
}

}  // namespace smsgw::api
