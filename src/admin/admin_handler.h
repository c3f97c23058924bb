#pragma once
// The admin listener's requests ([admin] listen; never the API's port, so that it is not exposed
// by mistake):
//   GET /metrics  the Prometheus text exposition (metrics_page.h)
//   GET /healthz  200 while the process serves at all (liveness)
//   GET /readyz   200 when the node can take traffic, else 503 with a JSON reason (readiness)
// With a token ([admin] token) every request needs `Authorization: Bearer <token>`, else 401.
// Anything else is 404, another method 405. Runs on the HTTP threads; what blocks (the store's
// gauges, the write probe) runs on the store pool.

#include <atomic>
#include <functional>
#include <string>

#include "api/asio.h"
#include "api/http_server.h"
#include "core/result.h"

namespace smsgw::admin {

class AdminHandler final : public api::RequestHandler {
 public:
  struct Hooks {
    // The /metrics text; blocking (runs on the pool).
    std::function<std::string()> metrics;
    // Ok when ready, else the reason; blocking (runs on the pool).
    std::function<core::Result<void>()> ready;
  };

  AdminHandler(std::string token, Hooks hooks, api::asio::thread_pool& pool);

  api::asio::awaitable<api::Response> Handle(api::Request request) override;

  // From now on /readyz answers 503 ("stopping"): the first step of a graceful stop. Any thread.
  void SetStopping() { stopping_.store(true); }

 private:
  // Handle, as for a GET.
  api::asio::awaitable<api::Response> Answer(const api::Request& request);

  const std::string token_;
  const Hooks hooks_;
  api::asio::thread_pool& pool_;
  std::atomic<bool> stopping_{false};
  // One readiness check at a time: a store that hangs must not take every pool thread.
  std::atomic<bool> checking_{false};
};

}  // namespace smsgw::admin
