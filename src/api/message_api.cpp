#include "api/message_api.h"

#include <spdlog/spdlog.h>

#include <vector>

#include "api/async_bridge.h"
#include "api/message_requests.h"
#include "api/responses.h"

namespace smsgw::api {
namespace {

// Message ids are "<uuid>:<n>"; anything much longer cannot be one, and is not worth a read.
constexpr size_t kMaxMessageIdLength = 64;

Response StoreUnavailable(const core::Error& error, std::string_view what) {
  SPDLOG_ERROR("{} failed: {}", what, error.message);
  return ErrorResponse(MakeFieldError(ApiError::kStoreUnavailable));
}

}  // namespace

MessageApi::MessageApi(core::Region region, store::MessageLog& log, store::DeliveryStore& delivery,
                       store::WebhookStore& webhooks, asio::thread_pool& store_pool,
                       const core::Clock& clock)
    : region_(region),
      log_(log),
      delivery_(delivery),
      webhooks_(webhooks),
      store_pool_(store_pool),
      clock_(clock) {}

asio::awaitable<Response> MessageApi::Handle(const Route& route, std::string_view query) {
  switch (route.kind) {
    case Route::kMessages:
      co_return co_await List(route, query);
    case Route::kMessage:
      co_return co_await Detail(route);
    case Route::kCancelMessage:
      co_return co_await Cancel(route);
    default:
      co_return ErrorResponse(MakeFieldError(ApiError::kNotFound));
  }
}

asio::awaitable<Response> MessageApi::List(const Route& route, std::string_view query) {
  auto parsed = ParseMessageListQuery(query, region_);
  if (!parsed) {
    co_return ErrorResponse(parsed.error());
  }
  const MessageListQuery& q = *parsed;
  auto page = co_await RunBlocking(
      store_pool_, [&] { return log_.List(route.sid, q.filter, q.cursor, q.limit); });
  if (!page) {
    if (page.error().code == core::Errc::kInvalidArgument) {
      co_return ErrorResponse(MakeFieldError(
          ApiError::kPagingInvalid, "cursor is not a next_cursor of an earlier page.", "cursor"));
    }
    co_return StoreUnavailable(page.error(), "message list");
  }
  if (q.states.size() > 1) {
    // The store filters by one state; a set (Pending) is applied to its page here. The page may
    // get shorter, which the contract allows: next_cursor still continues after everything the
    // store read.
    std::erase_if(page->messages,
                  [&](const core::Message& m) { return !MatchesStates(m, q.states); });
  }
  co_return JsonResponse(200, MessageListJson(page->messages, page->next_cursor));
}

asio::awaitable<Response> MessageApi::Detail(const Route& route) {
  const std::string& id = route.resource;
  if (id.size() > kMaxMessageIdLength) {
    co_return ErrorResponse(MakeFieldError(ApiError::kMessageNotFound));
  }
  auto detail = co_await RunBlocking(store_pool_, [&] { return log_.GetDetail(route.sid, id); });
  if (!detail) {
    if (detail.error().code == core::Errc::kNotFound) {
      co_return ErrorResponse(MakeFieldError(ApiError::kMessageNotFound));
    }
    co_return StoreUnavailable(detail.error(), "message read");
  }
  auto webhooks =
      co_await RunBlocking(store_pool_, [&] { return webhooks_.WebhooksOf(route.sid, id); });
  if (!webhooks) {
    co_return StoreUnavailable(webhooks.error(), "message webhooks read");
  }
  co_return JsonResponse(200, MessageDetailJson(*detail, *webhooks));
}

asio::awaitable<Response> MessageApi::Cancel(const Route& route) {
  const std::string& id = route.resource;
  if (id.size() > kMaxMessageIdLength) {
    co_return ErrorResponse(MakeFieldError(ApiError::kMessageNotFound));
  }
  const core::TimePoint now = clock_.Now();
  auto cancelled =
      co_await RunBlocking(store_pool_, [&] { return delivery_.Cancel(route.sid, id, now); });
  if (!cancelled) {
    const core::Error& error = cancelled.error();
    if (error.code == core::Errc::kNotFound) {
      co_return ErrorResponse(MakeFieldError(ApiError::kMessageNotFound));
    }
    if (error.code == core::Errc::kConflict) {
      // The store names the message's current Kaleyra status; a Pending one is being submitted.
      const bool in_flight = error.message == core::KaleyraStatus(core::MessageState::kSubmitting);
      co_return ErrorResponse(
          MakeFieldError(ApiError::kMessageNotCancellable,
                         "The message can no longer be cancelled: " +
                             (in_flight ? std::string("it is being submitted to a carrier.")
                                        : "its status is " + error.message + ".")));
    }
    co_return StoreUnavailable(error, "message cancel");
  }
  co_return JsonResponse(200, CancelledJson(id));
}

}  // namespace smsgw::api
