#include "api/country_cap_api.h"

#include <algorithm>

#include "api/async_bridge.h"
#include "api/country_cap_requests.h"
#include "api/ext_requests.h"
#include "api/responses.h"

namespace smsgw::api {

CountryCapApi::CountryCapApi(store::CountryCapStore& caps, asio::thread_pool& store_pool,
                             const core::Clock& clock)
    : caps_(caps), store_pool_(store_pool), clock_(clock) {}

asio::awaitable<Response> CountryCapApi::Handle(const Route& route, const Request& request,
                                                std::string_view query) {
  const core::TimePoint now = clock_.Now();
  if (route.kind == Route::kCountryCaps) {
    auto listed =
        co_await RunBlocking(store_pool_, [&] { return caps_.ListCountryCaps(route.sid, now); });
    if (!listed) {
      co_return StoreFailure(listed.error(), ApiError::kCountryCapNotFound, "country cap list");
    }
    co_return JsonResponse(200, CountryCapListJson(*listed));
  }
  if (request.method() == http::verb::delete_) {
    const std::optional<std::string> country = CountryCode(route.resource);
    if (!country) {
      co_return ErrorResponse(MakeFieldError(ApiError::kCountryCapNotFound));
    }
    auto removed = co_await RunBlocking(
        store_pool_, [&] { return caps_.RemoveCountryCap(route.sid, *country); });
    if (!removed) {
      co_return StoreFailure(removed.error(), ApiError::kCountryCapNotFound, "country cap remove");
    }
    co_return NoContentResponse();
  }
  rapidjson::Document fields;
  if (auto parsed = ParseBody(request, query, fields); !parsed) {
    co_return std::move(parsed.error());
  }
  auto cap = ValidateCountryCap(fields, route.sid, route.resource);
  if (!cap) {
    co_return ErrorResponse(cap.error());
  }
  auto set = co_await RunBlocking(store_pool_, [&] { return caps_.SetCountryCap(*cap); });
  if (!set) {
    co_return StoreFailure(set.error(), ApiError::kCountryCapNotFound, "country cap set");
  }
  // Answer with the usage counted so far, as a GET of the list would show it.
  auto listed =
      co_await RunBlocking(store_pool_, [&] { return caps_.ListCountryCaps(route.sid, now); });
  if (!listed) {
    co_return StoreFailure(listed.error(), ApiError::kCountryCapNotFound, "country cap list");
  }
  auto it = std::find_if(listed->begin(), listed->end(), [&](const store::CountryCapUsage& u) {
    return u.cap.country == cap->country;
  });
  co_return JsonResponse(200,
                         CountryCapJson(it != listed->end() ? *it : store::CountryCapUsage{*cap}));
}

}  // namespace smsgw::api
