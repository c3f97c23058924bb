#pragma once
// What `smsgw serve` runs to send webhooks: the webhook::Sender over the store's outbox, set up
// from [webhooks].

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/callback_tester.h"
#include "config/config.h"
#include "core/egress.h"
#include "core/result.h"
#include "core/time.h"
#include "store/callback_profile_store.h"
#include "store/webhook_store.h"
#include "webhook/sender.h"

namespace smsgw::app {

// A listening socket of this node: its address as bound ("127.0.0.1", "0.0.0.0", "::1") and port.
struct Listener {
  std::string address;
  uint16_t port = 0;
};

// Where webhook requests may connect: [webhooks] allow_targets and deny_targets over the default
// denies, and never this node's own listeners. A listener on an unspecified address (0.0.0.0, ::)
// stands for every address of the host's interfaces (getifaddrs) and loopback.
core::EgressPolicy WebhookEgressPolicy(const config::WebhooksConfig& config,
                                       const std::vector<Listener>& listeners);

// The policy as the CLI validates callback URLs with it: the config's lists, and the configured
// [server] listen as this node's own.
core::EgressPolicy ConfiguredEgressPolicy(const config::Config& config);

// Starts the sender, or returns nullptr when [webhooks] enabled is false. The webhooks claimed by
// this node's earlier lives (`node_id`, app/owner_name.h) are handed back first; other nodes'
// wait out their lease. Errors: the store cannot release claims, the HTTP client's TLS context
// cannot be set up.
core::Result<std::unique_ptr<webhook::Sender>> StartWebhooks(const config::WebhooksConfig& config,
                                                             const core::EgressPolicy& egress,
                                                             store::WebhookStore& webhooks,
                                                             store::CallbackProfileStore& profiles,
                                                             const core::Clock& clock,
                                                             std::string_view node_id);

// The API's test webhooks (POST .../callback-profiles/{id}/test) through the running sender.
class SenderCallbackTester final : public api::CallbackTester {
 public:
  explicit SenderCallbackTester(webhook::Sender& sender) : sender_(sender) {}
  bool Test(std::string_view sid, const store::CallbackProfile& profile, std::string_view secret,
            std::function<void(api::CallbackTestResult)> done) override;

 private:
  webhook::Sender& sender_;
};

}  // namespace smsgw::app
