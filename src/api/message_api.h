#pragma once
// MessageApi serves smsgw's message log (docs/api/messages.md): one message with its parts,
// status history and webhooks (`GET /ext/v1/{sid}/messages/{id}`), the account's messages newest
// first with filters and cursor paging (`GET /ext/v1/{sid}/messages`), and cancelling a message
// that has not left the queue (`POST /ext/v1/{sid}/messages/{id}/cancel`). The caller has routed
// the request and authenticated it for the route's SID. Parsing and rendering are
// message_requests.h; store calls run on `store_pool`, and a store that fails answers 503 E503.
// Handle may be called concurrently from any io_context thread.

#include <string_view>

#include "api/asio.h"
#include "api/router.h"
#include "core/region.h"
#include "core/time.h"
#include "store/delivery_store.h"
#include "store/message_log.h"
#include "store/webhook_store.h"

namespace smsgw::api {

class MessageApi {
 public:
  MessageApi(core::Region region, store::MessageLog& log, store::DeliveryStore& delivery,
             store::WebhookStore& webhooks, asio::thread_pool& store_pool,
             const core::Clock& clock);

  // `route.kind` is one of kMessages, kMessage, kCancelMessage.
  asio::awaitable<Response> Handle(const Route& route, std::string_view query);

 private:
  asio::awaitable<Response> List(const Route& route, std::string_view query);
  asio::awaitable<Response> Detail(const Route& route);
  asio::awaitable<Response> Cancel(const Route& route);

  const core::Region region_;
  store::MessageLog& log_;
  store::DeliveryStore& delivery_;
  store::WebhookStore& webhooks_;
  asio::thread_pool& store_pool_;
  const core::Clock& clock_;
};

}  // namespace smsgw::api
