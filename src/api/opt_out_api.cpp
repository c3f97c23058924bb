#include "api/opt_out_api.h"

#include "api/async_bridge.h"
#include "api/ext_requests.h"
#include "api/opt_out_requests.h"
#include "api/responses.h"

namespace smsgw::api {

OptOutApi::OptOutApi(store::OptOutStore& opt_outs, asio::thread_pool& store_pool,
                     const core::Clock& clock)
    : opt_outs_(opt_outs), store_pool_(store_pool), clock_(clock) {}

asio::awaitable<Response> OptOutApi::Handle(const Route& route, const Request& request,
                                            std::string_view query) {
  if (request.method() == http::verb::post) {
    rapidjson::Document fields;
    if (auto parsed = ParseBody(request, query, fields); !parsed) {
      co_return std::move(parsed.error());
    }
    auto opt_out = ValidateOptOut(fields, route.sid, "api", clock_.Now());
    if (!opt_out) {
      co_return ErrorResponse(opt_out.error());
    }
    auto added = co_await RunBlocking(store_pool_, [&] { return opt_outs_.AddOptOut(*opt_out); });
    if (!added) {
      co_return StoreFailure(added.error(), ApiError::kOptOutNotFound, "opt-out add");
    }
    co_return JsonResponse(201, OptOutJson(*opt_out));
  }
  auto q = ParseOptOutQuery(query);
  if (!q) {
    co_return ErrorResponse(q.error());
  }
  if (request.method() == http::verb::delete_) {
    if (q->recipient.empty()) {
      co_return ErrorResponse(
          MakeFieldError(ApiError::kRecipientFilterInvalid, "recipient is required.", "recipient"));
    }
    auto removed = co_await RunBlocking(store_pool_, [&] {
      return opt_outs_.RemoveOptOut(route.sid, q->recipient, q->sender.value_or(""));
    });
    if (!removed) {
      co_return StoreFailure(removed.error(), ApiError::kOptOutNotFound, "opt-out remove");
    }
    co_return NoContentResponse();
  }
  auto page = co_await RunBlocking(store_pool_, [&] {
    return opt_outs_.ListOptOuts(route.sid, q->recipient, q->cursor, q->limit);
  });
  if (!page) {
    co_return StoreFailure(page.error(), ApiError::kOptOutNotFound, "opt-out list");
  }
  co_return JsonResponse(200, OptOutPageJson(*page, q->limit));
}

}  // namespace smsgw::api
