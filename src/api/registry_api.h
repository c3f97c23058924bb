#pragma once
// RegistryApi serves the template and sender registries over HTTP: Kaleyra's sender registration
// (`POST /v1/{sid}/sms/sender`, `/messages/sender`) and smsgw's `/ext/v1/{sid}/templates` and
// `/ext/v1/{sid}/senders` endpoints (docs/api/registry.md). The caller has routed the request and
// authenticated it for the route's SID. Validation is registry_requests.h; store calls run on
// `store_pool`, and a store that fails answers 503 E503 (nothing changed). Changes reach the send
// path's RegistryCache through the store's registry version. Handle may be called concurrently
// from any io_context thread.

#include <string_view>

#include "api/asio.h"
#include "api/router.h"
#include "core/region.h"
#include "core/time.h"
#include "store/sender_store.h"
#include "store/template_store.h"

namespace smsgw::api {

class RegistryApi {
 public:
  RegistryApi(core::Region region, store::TemplateStore& templates, store::SenderStore& senders,
              asio::thread_pool& store_pool, const core::Clock& clock);

  // `route.kind` is one of kRegisterSenders, kTemplates, kTemplate, kSenders, kSender.
  asio::awaitable<Response> Handle(const Route& route, const Request& request,
                                   std::string_view query);

 private:
  asio::awaitable<Response> RegisterSenders(const Route& route, const Request& request,
                                            std::string_view query);
  asio::awaitable<Response> Templates(const Route& route, const Request& request,
                                      std::string_view query);
  asio::awaitable<Response> OneTemplate(const Route& route, const Request& request,
                                        std::string_view query);
  asio::awaitable<Response> Senders(const Route& route);
  asio::awaitable<Response> OneSender(const Route& route, const Request& request,
                                      std::string_view query);

  const core::Region region_;
  store::TemplateStore& templates_;
  store::SenderStore& senders_;
  asio::thread_pool& store_pool_;
  const core::Clock& clock_;
};

}  // namespace smsgw::api
