#include "app/webhook_runtime.h"

#include <spdlog/spdlog.h>

#include "app/owner_name.h"

namespace smsgw::app {

core::Result<std::unique_ptr<webhook::Sender>> StartWebhooks(const config::WebhooksConfig& config,
                                                             store::WebhookStore& webhooks,
                                                             store::CallbackProfileStore& profiles,
                                                             const core::Clock& clock,
                                                             bool single_node) {
  if (!config.enabled) {
    spdlog::info("webhooks: disabled ([webhooks] enabled = false); they wait in the store");
    return std::unique_ptr<webhook::Sender>();
  }
  webhook::Sender::Options options;
  options.owner = OwnerName();
  options.claim_lease = config.claim_lease;
  options.max_held = static_cast<size_t>(config.max_held);
  options.per_host_held = static_cast<size_t>(config.per_host_held);
  options.http.connect_timeout = config.connect_timeout;
  options.http.request_timeout = config.request_timeout;
  options.http.per_host_connections = static_cast<size_t>(config.per_host_connections);
  if (single_node) {
    auto released = webhooks.ReleaseWebhookClaims(options.owner, clock.Now());
    if (!released) {
      return std::unexpected(released.error());
    }
    if (*released > 0) {
      spdlog::info("webhooks: {} claimed by an earlier process handed back", *released);
    }
  }
  return webhook::Sender::Start(webhooks, profiles, clock, std::move(options));
}

}  // namespace smsgw::app
