#include "admin/metrics_page.h"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

namespace smsgw::admin {
namespace {

// Each family's HELP and TYPE once, every sample after its TYPE and named after its family.
void ExpectWellFormed(const std::string& text) {
  std::istringstream in(text);
  std::string line, family;
  std::set<std::string> families;
  while (std::getline(in, line)) {
    ASSERT_FALSE(line.empty());
    if (line.starts_with("# HELP ")) {
      continue;
    }
    if (line.starts_with("# TYPE ")) {
      family = line.substr(7, line.find(' ', 7) - 7);
      EXPECT_TRUE(families.insert(family).second) << family << " twice";
      continue;
    }
    ASSERT_FALSE(family.empty()) << line;
    EXPECT_TRUE(line.starts_with(family)) << line << " is not in " << family;
  }
}

MetricsSnapshot Snapshot(const api::ApiStats& api) {
  MetricsSnapshot s;
  s.now = core::FromUnixMillis(1'000'000);
  s.started = core::FromUnixMillis(500'000);
  s.api = &api;
  return s;
}

TEST(MetricsPageTest, CountsRequestsByRouteAndCodeAndAcceptsByType) {
  api::ApiStats api;
  api.CountRequest(api::Route::kSend, 200, 0.002);
  api.CountRequest(api::Route::kSend, 200, 0.004);
  api.CountRequest(api::Route::kSend, 401, 0.0001);
  api.CountAccepted(core::RouteType::kOtp, 5);
  const std::string text = RenderMetrics(Snapshot(api));
  ExpectWellFormed(text);
  EXPECT_NE(text.find("smsgw_http_requests_total{route=\"send\",code=\"200\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("smsgw_http_requests_total{route=\"send\",code=\"401\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("smsgw_http_request_duration_seconds_count{route=\"send\"} 3\n"),
            std::string::npos);
  EXPECT_EQ(text.find("route=\"status\""), std::string::npos);  // no request, no series
  EXPECT_NE(text.find("smsgw_messages_accepted_total{type=\"OTP\"} 5\n"), std::string::npos);
  EXPECT_NE(text.find("smsgw_messages_accepted_total{type=\"MKT\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("smsgw_start_time_seconds 500\n"), std::string::npos);
  // The store's gauges could not be read: said so, and left out rather than written as 0.
  EXPECT_NE(text.find("smsgw_store_up 0\n"), std::string::npos);
  EXPECT_EQ(text.find("smsgw_queue_messages"), std::string::npos);
}

TEST(MetricsPageTest, WritesQueueAgesAndConnectorsPerSession) {
  api::ApiStats api;
  MetricsSnapshot s = Snapshot(api);
  store::StoreGauges gauges;
  gauges.queue.push_back({0, 3, 1, core::FromUnixMillis(990'000)});
  gauges.queue.push_back({2, 0, 7, std::nullopt});
  gauges.webhooks_due = 4;
  gauges.oldest_pending_webhook = core::FromUnixMillis(940'000);
  s.gauges = gauges;
  s.store.finished[1][4] = 9;  // TXN delivered
  DeliverySnapshot d;
  smpp::SessionStatsSnapshot up, down;
  up.binds_up = 1;
  up.submits_sent = 12;
  up.responses_by_status = {{0, 10}, {0x58, 2}, {0x400, 1}, {0x401, 1}};
  d.connectors.push_back({"carrier \"a\"", {up, down}});
  d.dispatcher.not_sent = 5;
  d.dispatcher.expired = 2;
  d.cluster.nodes = 3;
  d.cluster.slots_open = 1;
  d.cluster.fenced = 1;
  s.delivery = d;
  const std::string text = RenderMetrics(s);
  ExpectWellFormed(text);
  EXPECT_NE(text.find("smsgw_store_up 1\n"), std::string::npos);
  EXPECT_NE(text.find("smsgw_queue_messages{priority=\"otp\",when=\"due\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("smsgw_queue_messages{priority=\"promotional\",when=\"later\"} 7\n"),
            std::string::npos);
  EXPECT_NE(text.find("smsgw_queue_oldest_due_age_seconds{priority=\"otp\"} 10\n"),
            std::string::npos);
  EXPECT_NE(text.find("smsgw_queue_oldest_due_age_seconds{priority=\"promotional\"} 0\n"),
            std::string::npos);
  // A priority with nothing waiting is written as 0, not left out.
  EXPECT_NE(text.find("smsgw_queue_messages{priority=\"transactional\",when=\"due\"} 0\n"),
            std::string::npos);
  EXPECT_NE(text.find("smsgw_webhooks_oldest_pending_age_seconds 60\n"), std::string::npos);
  EXPECT_NE(text.find("smsgw_messages_finished_total{type=\"TXN\",status=\"delivered\"} 9\n"),
            std::string::npos);
  EXPECT_NE(text.find("smsgw_smpp_bound{connector=\"carrier \\\"a\\\"\",session=\"0\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("smsgw_smpp_bound{connector=\"carrier \\\"a\\\"\",session=\"1\"} 0\n"),
            std::string::npos);
  // Two vendor-specific statuses share one name and one series.
  EXPECT_NE(text.find("status=\"ESME_RVENDOR\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("status=\"ESME_RTHROTTLED\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("smsgw_messages_not_sent_total{reason=\"refused\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("smsgw_cluster_nodes 3\n"), std::string::npos);
  EXPECT_NE(text.find("smsgw_bind_slots_open 1\n"), std::string::npos);
  EXPECT_NE(text.find("smsgw_bind_fences_total 1\n"), std::string::npos);
}

}  // namespace
}  // namespace smsgw::admin
