#include "admin/metrics_page.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <string_view>

#include "core/message.h"
#include "metrics/exposition.h"
#include "smpp/codec/command_status.h"

namespace smsgw::admin {
namespace {

using metrics::Exposition;
using Type = Exposition::Type;

constexpr std::string_view kPriorityNames[] = {"otp", "transactional", "promotional"};

std::string_view PriorityName(int priority) {
  return priority >= 0 && priority < static_cast<int>(std::size(kPriorityNames))
             ? kPriorityNames[priority]
             : "other";
}

std::string_view FinalName(core::MessageState state) {
  switch (state) {
    case core::MessageState::kDelivered:
      return "delivered";
    case core::MessageState::kUndelivered:
      return "undelivered";
    case core::MessageState::kNotSent:
      return "not_sent";
    default:
      return "";
  }
}

double Seconds(core::TimePoint later, core::TimePoint earlier) {
  return std::chrono::duration<double>(later - earlier).count();
}

void Api(Exposition& e, const api::ApiStats& api, const api::HttpServer::Counters& http) {
  e.Begin("smsgw_http_requests_total", Type::kCounter,
          "API requests answered, by route and HTTP status code.");
  for (size_t r = 0; r < api::ApiStats::kRoutes; ++r) {
    const auto route = static_cast<api::Route::Kind>(r);
    for (unsigned code = api::ApiStats::kMinStatus; code <= api::ApiStats::kMaxStatus; ++code) {
      if (const uint64_t n = api.requests(route, code)) {
        const std::string code_text = std::to_string(code);
        e.Sample({{"route", api::RouteName(route)}, {"code", code_text}}, n);
      }
    }
  }
  e.Begin("smsgw_http_request_duration_seconds", Type::kHistogram,
          "API request latency by route, from the request read to the response ready.");
  for (size_t r = 0; r < api::ApiStats::kRoutes; ++r) {
    const auto route = static_cast<api::Route::Kind>(r);
    const metrics::HistogramSnapshot latency = api.latency(route);
    if (latency.count != 0) {
      e.Sample({{"route", api::RouteName(route)}}, latency);
    }
  }
  e.Begin("smsgw_http_connections_evicted_total", Type::kCounter,
          "Idle API connections closed to make room for a new one at a connection cap.");
  e.Sample({}, http.evicted);
  e.Begin("smsgw_http_connections_refused_total", Type::kCounter,
          "New API connections closed at a connection cap with no idle one to evict.");
  e.Sample({}, http.refused);
  e.Begin("smsgw_messages_accepted_total", Type::kCounter,
          "Messages accepted by the API (durably stored), by route type.");
  for (size_t t = 0; t < api::ApiStats::kRouteTypes; ++t) {
    const auto type = static_cast<core::RouteType>(t);
    e.Sample({{"type", core::ToString(type)}}, api.accepted(type));
  }
}

void Store(Exposition& e, const std::optional<store::StoreGauges>& gauges,
           const store::StoreCounters& counters, core::TimePoint now) {
  e.Begin("smsgw_messages_finished_total", Type::kCounter,
          "Messages that reached a final status, by route type and status.");
  for (size_t t = 0; t < store::kRouteTypes; ++t) {
    for (const auto state : {core::MessageState::kDelivered, core::MessageState::kUndelivered,
                             core::MessageState::kNotSent}) {
      e.Sample(
          {{"type", core::ToString(static_cast<core::RouteType>(t))}, {"status", FinalName(state)}},
          counters.finished[t][static_cast<size_t>(state)]);
    }
  }
  e.Begin("smsgw_store_write_duration_seconds", Type::kHistogram,
          "One store write (a group commit shared by its callers), begin to commit.");
  e.Sample({}, counters.write_seconds);
  e.Begin("smsgw_store_write_group_size", Type::kHistogram, "Callers sharing one store write.");
  e.Sample({}, counters.write_size);
  e.Begin("smsgw_receipt_delay_seconds", Type::kHistogram,
          "From a part's submit to its final delivery receipt.");
  e.Sample({}, counters.receipt_delay);
  e.Begin(
      "smsgw_store_up", Type::kGauge,
      "1 when the store's gauges could be read at this scrape, else 0 (and they are left out).");
  e.Sample({}, gauges ? 1.0 : 0.0);
  if (!gauges) {
    return;
  }
  e.Begin("smsgw_queue_messages", Type::kGauge,
          "Messages waiting for delivery by priority: due now, or later (scheduled, backing off, "
          "or claimed by a dispatcher).");
  // Every priority, waiting or not: a series that comes and goes breaks rate() and alerts.
  std::vector<store::StoreGauges::Queue> queue;
  for (int p = 0; p < static_cast<int>(std::size(kPriorityNames)); ++p) {
    const auto found = std::ranges::find(gauges->queue, p, &store::StoreGauges::Queue::priority);
    store::StoreGauges::Queue none;
    none.priority = p;
    queue.push_back(found != gauges->queue.end() ? *found : none);
  }
  for (const store::StoreGauges::Queue& q : queue) {
    e.Sample({{"priority", PriorityName(q.priority)}, {"when", "due"}}, q.due);
    e.Sample({{"priority", PriorityName(q.priority)}, {"when", "later"}}, q.later);
  }
  e.Begin("smsgw_queue_oldest_due_age_seconds", Type::kGauge,
          "How long the longest-waiting due message has been due, by priority; 0 with none due.");
  for (const store::StoreGauges::Queue& q : queue) {
    e.Sample({{"priority", PriorityName(q.priority)}},
             q.oldest_due ? std::max(0.0, Seconds(now, *q.oldest_due)) : 0.0);
  }
  e.Begin("smsgw_webhooks_pending", Type::kGauge,
          "Webhooks not yet delivered nor given up: due now, or later (retrying or in flight).");
  e.Sample({{"when", "due"}}, gauges->webhooks_due);
  e.Sample({{"when", "later"}}, gauges->webhooks_later);
  e.Begin("smsgw_webhooks_oldest_pending_age_seconds", Type::kGauge,
          "Age of the oldest pending webhook; 0 with none.");
  e.Sample({}, gauges->oldest_pending_webhook
                   ? std::max(0.0, Seconds(now, *gauges->oldest_pending_webhook))
                   : 0.0);
  e.Begin("smsgw_receipts_held", Type::kGauge,
          "Delivery receipts that arrived before their part was recorded, or matched none.");
  e.Sample({}, gauges->held_receipts);
  e.Begin("smsgw_mo_unmatched", Type::kGauge,
          "Inbound messages stored that matched no account's number.");
  e.Sample({}, gauges->unmatched_inbound);
  e.Begin("smsgw_store_database_bytes", Type::kGauge, "The database's files on disk.");
  e.Sample({}, gauges->database_bytes);
}

// One family over every session of every connector.
template <class Value>
void PerSession(Exposition& e, const DeliverySnapshot& d, std::string_view name, Type type,
                std::string_view help, Value value) {
  e.Begin(name, type, help);
  for (const ConnectorSnapshot& c : d.connectors) {
    for (size_t i = 0; i < c.sessions.size(); ++i) {
      const std::string session = std::to_string(i);
      e.Sample({{"connector", c.name}, {"session", session}}, value(c.sessions[i]));
    }
  }
}

void Delivery(Exposition& e, const DeliverySnapshot& d) {
  using S = smpp::SessionStatsSnapshot;
  PerSession(e, d, "smsgw_smpp_bound", Type::kGauge,
             "Links of the session bound now (0, 1, or 2 with a separate receiver).",
             [](const S& s) { return static_cast<uint64_t>(s.binds_up); });
  PerSession(e, d, "smsgw_smpp_window_in_use", Type::kGauge, "submit_sm sent and not yet answered.",
             [](const S& s) { return s.window_in_use; });
  PerSession(e, d, "smsgw_smpp_queued", Type::kGauge, "submit_sm waiting for window.",
             [](const S& s) { return s.queued; });
  PerSession(e, d, "smsgw_smpp_submits_total", Type::kCounter, "submit_sm sent.",
             [](const S& s) { return s.submits_sent; });
  PerSession(e, d, "smsgw_smpp_submits_accepted_total", Type::kCounter,
             "submit_sm answered ESME_ROK.", [](const S& s) { return s.submits_accepted; });
  PerSession(e, d, "smsgw_smpp_throttled_total", Type::kCounter,
             "submit_sm answered ESME_RTHROTTLED or ESME_RMSGQFUL (each pauses the session).",
             [](const S& s) { return s.throttled; });
  PerSession(e, d, "smsgw_smpp_response_timeouts_total", Type::kCounter,
             "Requests that got no response in time.",
             [](const S& s) { return s.response_timeouts; });
  PerSession(e, d, "smsgw_smpp_connects_total", Type::kCounter, "TCP connections made.",
             [](const S& s) { return s.connects; });
  PerSession(e, d, "smsgw_smpp_reconnects_total", Type::kCounter,
             "Connection attempts after a link was lost or refused.",
             [](const S& s) { return s.reconnects; });
  PerSession(e, d, "smsgw_smpp_bind_failures_total", Type::kCounter,
             "Binds refused or not answered.", [](const S& s) { return s.bind_failures; });
  PerSession(e, d, "smsgw_smpp_link_failures_total", Type::kCounter,
             "Requests failed because their link went down.",
             [](const S& s) { return s.link_failures; });
  PerSession(e, d, "smsgw_smpp_inbound_total", Type::kCounter,
             "deliver_sm and data_sm received (receipts and MO).",
             [](const S& s) { return s.inbound; });
  e.Begin("smsgw_smpp_responses_total", Type::kCounter, "submit_sm responses by command_status.");
  for (const ConnectorSnapshot& c : d.connectors) {
    for (size_t i = 0; i < c.sessions.size(); ++i) {
      // Several raw values share a name (vendor-specific ones): one sample per name.
      std::map<std::string_view, uint64_t> by_name;
      for (const auto& [status, n] : c.sessions[i].responses_by_status) {
        by_name[smpp::codec::EsmeName(status)] += n;
      }
      const std::string session = std::to_string(i);
      for (const auto& [status, n] : by_name) {
        e.Sample({{"connector", c.name}, {"session", session}, {"status", status}}, n);
      }
    }
  }
  e.Begin("smsgw_smpp_response_duration_seconds", Type::kHistogram,
          "From a submit_sm to its response.");
  for (const ConnectorSnapshot& c : d.connectors) {
    for (size_t i = 0; i < c.sessions.size(); ++i) {
      const std::string session = std::to_string(i);
      e.Sample({{"connector", c.name}, {"session", session}}, c.sessions[i].response_seconds);
    }
  }

  const delivery::DispatcherStats& ds = d.dispatcher;
  e.Begin("smsgw_messages_claimed_total", Type::kCounter, "Messages claimed for delivery.");
  e.Sample({}, ds.claimed);
  e.Begin("smsgw_parts_submitted_total", Type::kCounter, "Message parts accepted by an SMSC.");
  e.Sample({}, ds.parts_submitted);
  e.Begin("smsgw_submit_retries_total", Type::kCounter,
          "Delivery attempts that ended in a temporary failure (tried again later).");
  e.Sample({}, ds.retries);
  e.Begin("smsgw_messages_not_sent_total", Type::kCounter,
          "Messages the dispatcher ended without delivery, by reason.");
  const uint64_t named = ds.no_route + ds.expired + ds.opted_out;
  e.Sample({{"reason", "no_route"}}, ds.no_route);
  e.Sample({{"reason", "expired"}}, ds.expired);
  e.Sample({{"reason", "opted_out"}}, ds.opted_out);
  e.Sample({{"reason", "refused"}}, ds.not_sent > named ? ds.not_sent - named : 0);
  e.Begin("smsgw_messages_in_flight", Type::kGauge, "Messages claimed and not finished now.");
  e.Sample({}, static_cast<uint64_t>(ds.held));

  const delivery::BindKeeperStats& ks = d.cluster;
  e.Begin("smsgw_cluster_nodes", Type::kGauge,
          "Nodes alive on this store at this node's last beat, itself included.");
  e.Sample({}, static_cast<uint64_t>(ks.nodes));
  e.Begin("smsgw_bind_slots_open", Type::kGauge,
          "Carrier bind slots this node holds a lease on and has open, over all connectors.");
  e.Sample({}, static_cast<uint64_t>(ks.slots_open));
  e.Begin("smsgw_cluster_rounds_failed_total", Type::kCounter,
          "Rounds of beats and bind lease renewals that failed in the store.");
  e.Sample({}, ks.failed_rounds);
  e.Begin("smsgw_bind_fences_total", Type::kCounter,
          "Times this node closed every bind because the store was out of reach for half a "
          "lease.");
  e.Sample({}, ks.fenced);

  const delivery::RecorderStats& rs = d.recorder;
  e.Begin("smsgw_receipts_total", Type::kCounter, "Delivery receipts recorded, by outcome.");
  e.Sample({{"outcome", "applied"}}, rs.receipts_applied);
  e.Sample({{"outcome", "held"}}, rs.receipts_held);
  e.Sample({{"outcome", "duplicate"}}, rs.receipts_duplicate);
  e.Begin("smsgw_recorder_store_errors_total", Type::kCounter,
          "Batches of submit results or receipts whose write had to be tried again.");
  e.Sample({}, rs.store_errors);

  const delivery::InboundStats& in = d.inbound;
  e.Begin("smsgw_mo_parts_total", Type::kCounter, "Inbound (MO) message parts stored.");
  e.Sample({}, in.parts);
  e.Begin("smsgw_mo_messages_total", Type::kCounter,
          "Inbound messages stored: whole, or with parts missing after the reassembly timeout.");
  e.Sample({{"complete", "true"}}, in.messages);
  e.Sample({{"complete", "false"}}, in.incomplete);
  e.Begin("smsgw_mo_refused_total", Type::kCounter,
          "Inbound PDUs refused: unreadable (ESME_RX_P_APPN) or not stored (ESME_RX_T_APPN).");
  e.Sample({{"reason", "unreadable"}}, in.unreadable);
  e.Sample({{"reason", "store_error"}}, in.store_errors);
}

void Webhooks(Exposition& e, const WebhookSnapshot& w) {
  e.Begin("smsgw_webhook_attempts_total", Type::kCounter,
          "Webhook attempts by outcome: delivered (2xx) or failed (retried later or given up).");
  e.Sample({{"outcome", "delivered"}}, w.counters.delivered);
  e.Sample({{"outcome", "failed"}}, w.counters.failed);
  e.Begin("smsgw_webhooks_exhausted_total", Type::kCounter,
          "Webhooks given up: retry policy exhausted, profile deleted, or target refused.");
  e.Sample({}, w.counters.exhausted);
  e.Begin("smsgw_webhooks_deferred_total", Type::kCounter,
          "Webhooks given back unsent (their host at its share of connections, or stopping).");
  e.Sample({}, w.counters.deferred);
  e.Begin("smsgw_webhook_request_duration_seconds", Type::kHistogram,
          "Webhook request latency, until the answer or the error.");
  e.Sample({}, w.latency);
}

}  // namespace

std::string RenderMetrics(const MetricsSnapshot& s) {
  Exposition e;
  e.Begin("smsgw_start_time_seconds", Type::kGauge, "When this process started (Unix time).");
  e.Sample({}, std::chrono::duration<double>(s.started.time_since_epoch()).count());
  if (s.api != nullptr) {
    Api(e, *s.api, s.http);
  }
  Store(e, s.gauges, s.store, s.now);
  if (s.delivery) {
    Delivery(e, *s.delivery);
  }
  if (s.webhooks) {
    Webhooks(e, *s.webhooks);
  }
  return e.Take();
}

}  // namespace smsgw::admin
