#pragma once
// OptOutApi serves `/ext/v1/{sid}/opt-outs` (docs/api/opt-outs.md): the account lists its
// opted-out handsets (GET, paged, one recipient's with ?recipient=), adds one (POST) and removes
// one (DELETE ?recipient=&sender=). The caller has routed the request and authenticated it for
// the route's SID. Validation is opt_out_requests.h; store calls run on `store_pool`; a store
// that fails answers 503 E503. Handle may be called concurrently from any io_context thread.

#include <string_view>

#include "api/asio.h"
#include "api/router.h"
#include "core/time.h"
#include "store/opt_out_store.h"

namespace smsgw::api {

class OptOutApi {
 public:
  OptOutApi(store::OptOutStore& opt_outs, asio::thread_pool& store_pool, const core::Clock& clock);

  // `route.kind` is kOptOuts.
  asio::awaitable<Response> Handle(const Route& route, const Request& request,
                                   std::string_view query);

 private:
  store::OptOutStore& opt_outs_;
  asio::thread_pool& store_pool_;
  const core::Clock& clock_;
};

}  // namespace smsgw::api
