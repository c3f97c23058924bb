#pragma once
// WebhookApi serves what an account configures and inspects about webhooks and two-way SMS:
// callback profiles (`/ext/v1/{sid}/callback-profiles`, docs/api/callback-profiles.md; a test
// webhook to one: `POST .../callback-profiles/{id}/test` through a CallbackTester), inbound
// numbers and keywords (`/ext/v1/{sid}/inbound-numbers`, docs/api/inbound-numbers.md), the
// webhook outbox (`GET /ext/v1/{sid}/webhooks`, `POST .../webhooks/{event_id}/replay`) and the
// signing secret (`PUT|DELETE /ext/v1/{sid}/webhook-secret`; docs/api/webhooks-api.md). The
// caller has routed the request and authenticated it for the route's SID. Validation is
// callback_profile_requests.h, inbound_number_requests.h and webhook_requests.h; store calls run
// on `store_pool`, and a store that fails answers 503 E503 (nothing changed). Handle may be
// called concurrently from any io_context thread.

#include <string_view>

#include "api/asio.h"
#include "api/callback_tester.h"
#include "api/router.h"
#include "core/egress.h"
#include "core/region.h"
#include "core/time.h"
#include "store/account_store.h"
#include "store/callback_profile_store.h"
#include "store/inbound_number_store.h"
#include "store/webhook_store.h"

namespace smsgw::api {

class WebhookApi {
 public:
  // `egress` (where callbacks may point) must outlive the object, and `tester` when given;
  // without one (`[webhooks] enabled = false`) a test webhook is answered 503.
  WebhookApi(core::Region region, const core::EgressPolicy& egress,
             store::CallbackProfileStore& profiles, store::InboundNumberStore& numbers,
             store::WebhookStore& webhooks, store::AccountStore& accounts,
             asio::thread_pool& store_pool, const core::Clock& clock,
             CallbackTester* tester = nullptr);

  // `route.kind` is one of kCallbackProfiles, kCallbackProfile, kCallbackTest,
  // kInboundNumbers, kInboundNumber, kWebhooks, kReplayWebhook, kWebhookSecret.
  asio::awaitable<Response> Handle(const Route& route, const Request& request,
                                   std::string_view query);

 private:
  asio::awaitable<Response> Profiles(const Route& route, const Request& request,
                                     std::string_view query);
  asio::awaitable<Response> OneProfile(const Route& route, const Request& request,
                                       std::string_view query);
  asio::awaitable<Response> TestProfile(const Route& route);
  asio::awaitable<Response> Numbers(const Route& route, const Request& request,
                                    std::string_view query);
  asio::awaitable<Response> OneNumber(const Route& route, const Request& request);
  asio::awaitable<Response> Webhooks(const Route& route, std::string_view query);
  asio::awaitable<Response> Replay(const Route& route);
  asio::awaitable<Response> Secret(const Route& route, const Request& request,
                                   std::string_view query);

  const core::Region region_;
  const core::EgressPolicy& egress_;
  store::CallbackProfileStore& profiles_;
  store::InboundNumberStore& numbers_;
  store::WebhookStore& webhooks_;
  store::AccountStore& accounts_;
  asio::thread_pool& store_pool_;
  const core::Clock& clock_;
  CallbackTester* const tester_;
};

}  // namespace smsgw::api
