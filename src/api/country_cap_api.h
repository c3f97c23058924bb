#pragma once
// CountryCapApi serves `/ext/v1/{sid}/country-caps[/{country}]` (docs/api/country-caps.md): the
// account lists its per-country daily and monthly caps with what is counted against them (GET),
// sets one (PUT) and removes one (DELETE). The caller has routed the request and authenticated
// it for the route's SID. Store calls run on `store_pool`; a store that fails answers 503 E503.
// Handle may be called concurrently from any io_context thread.

#include <string_view>

#include "api/asio.h"
#include "api/router.h"
#include "core/time.h"
#include "store/country_cap_store.h"

namespace smsgw::api {

class CountryCapApi {
 public:
  CountryCapApi(store::CountryCapStore& caps, asio::thread_pool& store_pool,
                const core::Clock& clock);

  // `route.kind` is kCountryCaps or kCountryCap.
  asio::awaitable<Response> Handle(const Route& route, const Request& request,
                                   std::string_view query);

 private:
  store::CountryCapStore& caps_;
  asio::thread_pool& store_pool_;
  const core::Clock& clock_;
};

}  // namespace smsgw::api
