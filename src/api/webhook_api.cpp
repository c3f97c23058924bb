#include "api/webhook_api.h"

#include <rapidjson/document.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <optional>
#include <utility>

#include "api/async_bridge.h"
#include "api/callback_profile_requests.h"
#include "api/ext_requests.h"
#include "api/inbound_number_requests.h"
#include "api/request_body.h"
#include "api/responses.h"
#include "api/webhook_requests.h"
#include "core/ids.h"

namespace smsgw::api {
namespace {

// Ids and event ids are at most "<REGION>_<uuid>"; anything much longer is not worth a read.
constexpr size_t kMaxIdLength = 64;

}  // namespace

WebhookApi::WebhookApi(core::Region region, const core::EgressPolicy& egress,
                       store::CallbackProfileStore& profiles, store::InboundNumberStore& numbers,
                       store::WebhookStore& webhooks, store::AccountStore& accounts,
                       asio::thread_pool& store_pool, const core::Clock& clock,
                       CallbackTester* tester)
    : region_(region),
      egress_(egress),
      profiles_(profiles),
      numbers_(numbers),
      webhooks_(webhooks),
      accounts_(accounts),
      store_pool_(store_pool),
      clock_(clock),
      tester_(tester) {}

asio::awaitable<Response> WebhookApi::Handle(const Route& route, const Request& request,
                                             std::string_view query) {
  switch (route.kind) {
    case Route::kCallbackProfiles:
      co_return co_await Profiles(route, request, query);
    case Route::kCallbackProfile:
      co_return co_await OneProfile(route, request, query);
    case Route::kCallbackTest:
      co_return co_await TestProfile(route);
    case Route::kInboundNumbers:
      co_return co_await Numbers(route, request, query);
    case Route::kInboundNumber:
      co_return co_await OneNumber(route, request);
    case Route::kWebhooks:
      co_return co_await Webhooks(route, query);
    case Route::kReplayWebhook:
      co_return co_await Replay(route);
    case Route::kWebhookSecret:
      co_return co_await Secret(route, request, query);
    default:
      co_return ErrorResponse(MakeFieldError(ApiError::kNotFound));
  }
}

asio::awaitable<Response> WebhookApi::Profiles(const Route& route, const Request& request,
                                               std::string_view query) {
  if (request.method() == http::verb::get) {
    auto listed = co_await RunBlocking(store_pool_,
                                       [&] { return profiles_.ListCallbackProfiles(route.sid); });
    if (!listed) {
      co_return StoreFailure(listed.error(), ApiError::kCallbackProfileNotFound,
                             "callback profile list");
    }
    co_return JsonResponse(200, CallbackProfileListJson(*listed));
  }
  rapidjson::Document fields;
  if (auto parsed = ParseBody(request, query, fields); !parsed) {
    co_return std::move(parsed.error());
  }
  auto profile = ValidateCallbackProfile(fields, route.sid, NewCallbackProfileId(region_),
                                         clock_.Now(), egress_);
  if (!profile) {
    co_return ErrorResponse(profile.error());
  }
  auto created =
      co_await RunBlocking(store_pool_, [&] { return profiles_.CreateCallbackProfile(*profile); });
  if (!created) {
    co_return StoreFailure(created.error(), ApiError::kCallbackProfileNotFound,
                           "callback profile create");
  }
  co_return JsonResponse(201, CallbackProfileJson(*profile));
}

asio::awaitable<Response> WebhookApi::OneProfile(const Route& route, const Request& request,
                                                 std::string_view query) {
  const std::string& id = route.resource;
  if (!IsCallbackProfileId(id, region_)) {
    co_return ErrorResponse(MakeFieldError(ApiError::kCallbackProfileNotFound));
  }
  if (request.method() == http::verb::delete_) {
    auto deleted = co_await RunBlocking(
        store_pool_, [&] { return profiles_.DeleteCallbackProfile(route.sid, id); });
    if (!deleted) {
      co_return StoreFailure(deleted.error(), ApiError::kCallbackProfileNotFound,
                             "callback profile delete");
    }
    co_return NoContentResponse();
  }
  auto stored = co_await RunBlocking(store_pool_,
                                     [&] { return profiles_.GetCallbackProfile(route.sid, id); });
  if (!stored) {
    co_return StoreFailure(stored.error(), ApiError::kCallbackProfileNotFound,
                           "callback profile read");
  }
  if (request.method() == http::verb::get) {
    co_return JsonResponse(200, CallbackProfileJson(*stored));
  }
  // PUT: the whole profile.
  rapidjson::Document fields;
  if (auto parsed = ParseBody(request, query, fields); !parsed) {
    co_return std::move(parsed.error());
  }
  auto profile = ValidateCallbackProfile(fields, route.sid, id, clock_.Now(), egress_);
  if (!profile) {
    co_return ErrorResponse(profile.error());
  }
  KeepStoredSecrets(*profile, *stored);
  auto updated =
      co_await RunBlocking(store_pool_, [&] { return profiles_.UpdateCallbackProfile(*profile); });
  if (!updated) {
    co_return StoreFailure(updated.error(), ApiError::kCallbackProfileNotFound,
                           "callback profile update");
  }
  co_return JsonResponse(200, CallbackProfileJson(*profile));
}

asio::awaitable<Response> WebhookApi::TestProfile(const Route& route) {
  const std::string& id = route.resource;
  if (!IsCallbackProfileId(id, region_)) {
    co_return ErrorResponse(MakeFieldError(ApiError::kCallbackProfileNotFound));
  }
  auto profile = co_await RunBlocking(store_pool_,
                                      [&] { return profiles_.GetCallbackProfile(route.sid, id); });
  if (!profile) {
    co_return StoreFailure(profile.error(), ApiError::kCallbackProfileNotFound,
                           "callback profile read");
  }
  if (tester_ == nullptr) {
    co_return ErrorResponse(MakeFieldError(
        ApiError::kStoreUnavailable,
        "Webhooks are disabled on this server ([webhooks] enabled = false); nothing was sent."));
  }
  auto secret =
      co_await RunBlocking(store_pool_, [&] { return accounts_.GetWebhookSecret(route.sid); });
  if (!secret) {
    co_return StoreFailure(secret.error(), ApiError::kCallbackProfileNotFound, "webhook secret");
  }
  // The tester answers on the webhook client's thread (or at once): back to this coroutine's.
  std::optional<CallbackTestResult> result =
      co_await asio::async_initiate<decltype(asio::use_awaitable),
                                    void(std::optional<CallbackTestResult>)>(
          [&](auto handler) {
            auto shared = std::make_shared<decltype(handler)>(std::move(handler));
            auto resume = [shared](std::optional<CallbackTestResult> r) {
              auto ex = asio::get_associated_executor(*shared);
              asio::post(ex, [shared, r = std::move(r)]() mutable { (*shared)(std::move(r)); });
            };
            if (!tester_->Test(route.sid, *profile, *secret,
                               [resume](CallbackTestResult r) { resume(std::move(r)); })) {
              resume(std::nullopt);
            }
          },
          asio::use_awaitable);
  if (!result) {
    co_return ErrorResponse(MakeFieldError(
        ApiError::kRateLimited,
        "A test webhook of this account is still waiting for its answer; try again after it."));
  }
  co_return JsonResponse(200, CallbackTestJson(*profile, *result));
}

asio::awaitable<Response> WebhookApi::Numbers(const Route& route, const Request& request,
                                              std::string_view query) {
  if (request.method() == http::verb::get) {
    auto listed =
        co_await RunBlocking(store_pool_, [&] { return numbers_.ListInboundNumbers(route.sid); });
    if (!listed) {
      co_return StoreFailure(listed.error(), ApiError::kInboundNumberNotFound,
                             "inbound number list");
    }
    co_return JsonResponse(200, InboundNumberListJson(*listed));
  }
  rapidjson::Document fields;
  if (auto parsed = ParseBody(request, query, fields); !parsed) {
    co_return std::move(parsed.error());
  }
  auto entry =
      ValidateInboundNumber(fields, route.sid, core::NewUuid(), region_, clock_.Now(), egress_);
  if (!entry) {
    co_return ErrorResponse(entry.error());
  }
  if (!entry->callback_profile_id.empty()) {
    auto profile = co_await RunBlocking(store_pool_, [&] {
      return profiles_.GetCallbackProfile(route.sid, entry->callback_profile_id);
    });
    if (!profile) {
      if (profile.error().code == core::Errc::kNotFound) {
        co_return ErrorResponse(UnknownCallbackProfile(entry->callback_profile_id));
      }
      co_return StoreFailure(profile.error(), ApiError::kCallbackProfileNotFound,
                             "callback profile read");
    }
  }
  auto created =
      co_await RunBlocking(store_pool_, [&] { return numbers_.CreateInboundNumber(*entry); });
  if (!created) {
    if (created.error().code == core::Errc::kConflict) {
      co_return ErrorResponse(InboundNumberTaken(*entry));
    }
    co_return StoreFailure(created.error(), ApiError::kInboundNumberNotFound,
                           "inbound number create");
  }
  co_return JsonResponse(201, InboundNumberJson(*entry));
}

asio::awaitable<Response> WebhookApi::OneNumber(const Route& route, const Request& request) {
  const std::string& id = route.resource;
  if (id.size() > kMaxIdLength) {
    co_return ErrorResponse(MakeFieldError(ApiError::kInboundNumberNotFound));
  }
  if (request.method() == http::verb::delete_) {
    auto deleted = co_await RunBlocking(
        store_pool_, [&] { return numbers_.DeleteInboundNumber(route.sid, id); });
    if (!deleted) {
      co_return StoreFailure(deleted.error(), ApiError::kInboundNumberNotFound,
                             "inbound number delete");
    }
    co_return NoContentResponse();
  }
  auto got =
      co_await RunBlocking(store_pool_, [&] { return numbers_.GetInboundNumber(route.sid, id); });
  if (!got) {
    co_return StoreFailure(got.error(), ApiError::kInboundNumberNotFound, "inbound number read");
  }
  co_return JsonResponse(200, InboundNumberJson(*got));
}

asio::awaitable<Response> WebhookApi::Webhooks(const Route& route, std::string_view query) {
  auto parsed = ParseWebhookListQuery(query);
  if (!parsed) {
    co_return ErrorResponse(parsed.error());
  }
  const WebhookListQuery& q = *parsed;
  auto page = co_await RunBlocking(
      store_pool_, [&] { return webhooks_.ListWebhooks(route.sid, q.state, q.cursor, q.limit); });
  if (!page) {
    if (page.error().code == core::Errc::kInvalidArgument) {
      co_return ErrorResponse(MakeFieldError(
          ApiError::kPagingInvalid, "cursor is not a next_cursor of an earlier page.", "cursor"));
    }
    co_return StoreFailure(page.error(), ApiError::kWebhookNotFound, "webhook list");
  }
  co_return JsonResponse(200, WebhookPageJson(*page));
}

asio::awaitable<Response> WebhookApi::Replay(const Route& route) {
  const std::string& event_id = route.resource;
  if (event_id.size() > kMaxIdLength) {
    co_return ErrorResponse(MakeFieldError(ApiError::kWebhookNotFound));
  }
  const core::TimePoint now = clock_.Now();
  auto replayed = co_await RunBlocking(
      store_pool_, [&] { return webhooks_.ReplayWebhook(route.sid, event_id, now); });
  if (!replayed) {
    co_return StoreFailure(replayed.error(), ApiError::kWebhookNotFound, "webhook replay");
  }
  co_return JsonResponse(202, ReplayedJson(event_id));
}

asio::awaitable<Response> WebhookApi::Secret(const Route& route, const Request& request,
                                             std::string_view query) {
  std::optional<std::string> secret;
  if (request.method() == http::verb::put) {
    rapidjson::Document fields;
    if (auto parsed = ParseBody(request, query, fields); !parsed) {
      co_return std::move(parsed.error());
    }
    auto valid = ValidateWebhookSecret(fields);
    if (!valid) {
      co_return ErrorResponse(valid.error());
    }
    secret = std::move(*valid);
  }
  auto set = co_await RunBlocking(store_pool_, [&] {
    return accounts_.SetWebhookSecret(
        route.sid, secret ? std::optional<std::string_view>(*secret) : std::nullopt);
  });
  if (!set) {
    // The account exists (its key was just accepted): any failure is the store's.
    co_return StoreFailure(set.error(), ApiError::kStoreUnavailable, "webhook secret change");
  }
  co_return NoContentResponse();
}

}  // namespace smsgw::api
