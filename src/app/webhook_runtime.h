#pragma once
// What `smsgw serve` runs to send webhooks: the webhook::Sender over the store's outbox, set up
// from [webhooks].

#include <memory>

#include "config/config.h"
#include "core/result.h"
#include "core/time.h"
#include "store/callback_profile_store.h"
#include "store/webhook_store.h"
#include "webhook/sender.h"

namespace smsgw::app {

// Starts the sender, or returns nullptr when [webhooks] enabled is false. `single_node`: the
// store is this process's alone, so every webhook claimed in it belongs to a dead process and is
// handed back first. Errors: the store cannot release claims, libcurl cannot be set up.
core::Result<std::unique_ptr<webhook::Sender>> StartWebhooks(const config::WebhooksConfig& config,
                                                             store::WebhookStore& webhooks,
                                                             store::CallbackProfileStore& profiles,
                                                             const core::Clock& clock,
                                                             bool single_node);

}  // namespace smsgw::app
