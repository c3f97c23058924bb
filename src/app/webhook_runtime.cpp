#include "app/webhook_runtime.h"

#include <ifaddrs.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "app/owner_name.h"

namespace smsgw::app {

core::EgressPolicy WebhookEgressPolicy(const config::WebhooksConfig& config,
                                       const std::vector<Listener>& listeners) {
  std::vector<core::EgressPolicy::Endpoint> own;
  for (const Listener& listener : listeners) {
    const std::optional<core::IpAddress> address = core::ParseIpLiteral(listener.address);
    if (!address) {
      continue;
    }
    const bool unspecified =
        *address == *core::ParseIpLiteral("0.0.0.0") || *address == *core::ParseIpLiteral("::");
    if (!unspecified) {
      own.push_back({*address, listener.port});
      continue;
    }
    own.push_back({*core::ParseIpLiteral("127.0.0.1"), listener.port});
    own.push_back({*core::ParseIpLiteral("::1"), listener.port});
    ifaddrs* interfaces = nullptr;
    if (getifaddrs(&interfaces) != 0) {
      SPDLOG_WARN(
          "webhooks: cannot list the host's addresses ({}); only loopback is known as "
          "this node's own",
          std::strerror(errno));
      continue;
    }
    for (const ifaddrs* i = interfaces; i != nullptr; i = i->ifa_next) {
      if (i->ifa_addr == nullptr) {
        continue;
      }
      if (auto local = core::IpAddressOf(i->ifa_addr)) {
        own.push_back({*local, listener.port});
      }
    }
    freeifaddrs(interfaces);
  }
  return core::EgressPolicy(config.allow_targets, config.deny_targets, std::move(own));
}

bool SenderCallbackTester::Test(std::string_view sid, const store::CallbackProfile& profile,
                                std::string_view secret,
                                std::function<void(api::CallbackTestResult)> done) {
  return sender_.SendTest(
      sid, webhook::TargetFromProfile(profile), secret,
      [done = std::move(done)](webhook::Sender::TestResult r) {
        done({std::move(r.event_id), r.http_status, std::move(r.error), r.latency, r.is_signed});
      });
}

core::EgressPolicy ConfiguredEgressPolicy(const config::Config& config) {
  return WebhookEgressPolicy(config.webhooks,
                             {{config.server.listen.host, config.server.listen.port}});
}

core::Result<std::unique_ptr<webhook::Sender>> StartWebhooks(const config::WebhooksConfig& config,
                                                             const core::EgressPolicy& egress,
                                                             store::WebhookStore& webhooks,
                                                             store::CallbackProfileStore& profiles,
                                                             const core::Clock& clock,
                                                             std::string_view node_id) {
  if (!config.enabled) {
    SPDLOG_INFO("webhooks: disabled ([webhooks] enabled = false); they wait in the store");
    return std::unique_ptr<webhook::Sender>();
  }
  webhook::Sender::Options options;
  options.owner = OwnerName(node_id);
  options.claim_lease = config.claim_lease;
  options.max_held = static_cast<size_t>(config.max_held);
  options.per_host_held = static_cast<size_t>(config.per_host_held);
  options.http.connect_timeout = config.connect_timeout;
  options.http.request_timeout = config.request_timeout;
  options.http.per_host_connections = static_cast<size_t>(config.per_host_connections);
  options.http.egress = egress;
  options.http.ca_file = config.tls_ca_file;
  auto released = webhooks.ReleaseWebhookClaims(options.owner, clock.Now());
  if (!released) {
    return std::unexpected(released.error());
  }
  if (*released > 0) {
    SPDLOG_INFO("webhooks: {} claimed by an earlier process handed back", *released);
  }
  return webhook::Sender::Start(webhooks, profiles, clock, std::move(options));
}

}  // namespace smsgw::app
