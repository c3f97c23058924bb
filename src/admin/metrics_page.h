#pragma once
// The /metrics page: every counter and gauge of a serving node, written in the Prometheus text
// format (metrics/exposition.h) from a snapshot the caller gathered. Names follow Prometheus
// conventions: the `smsgw_` prefix, `_total` counters, base units (`_seconds`, `_bytes`), and
// labels with bounded values only (routes, status codes, types, connectors from the config):
// never a message id, recipient or account. docs/operations.md lists them. Pure.

#include <optional>
#include <string>
#include <vector>

#include "api/api_stats.h"
#include "api/http_server.h"
#include "core/time.h"
#include "delivery/bind_keeper.h"
#include "delivery/dispatcher.h"
#include "delivery/inbound.h"
#include "delivery/recorder.h"
#include "smpp/session_stats.h"
#include "store/operations_store.h"
#include "webhook/sender.h"

namespace smsgw::admin {

struct ConnectorSnapshot {
  std::string name;
  std::vector<smpp::SessionStatsSnapshot> sessions;  // in config order
};

struct DeliverySnapshot {
  std::vector<ConnectorSnapshot> connectors;
  delivery::DispatcherStats dispatcher;
  delivery::RecorderStats recorder;
  delivery::InboundStats inbound;
  delivery::BindKeeperStats cluster;
};

struct WebhookSnapshot {
  webhook::Sender::Counters counters;
  metrics::HistogramSnapshot latency;
};

struct MetricsSnapshot {
  core::TimePoint now;
  core::TimePoint started;
  const api::ApiStats* api = nullptr;
  api::HttpServer::Counters http;
  std::optional<store::StoreGauges> gauges;  // nullopt: the store could not be read
  store::StoreCounters store;
  std::optional<DeliverySnapshot> delivery;  // nullopt: no delivery runs in this process
  std::optional<WebhookSnapshot> webhooks;   // nullopt: [webhooks] enabled = false
};

std::string RenderMetrics(const MetricsSnapshot& snapshot);

}  // namespace smsgw::admin
