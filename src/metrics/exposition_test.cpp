#include "metrics/exposition.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace smsgw::metrics {
namespace {

TEST(ExpositionTest, WritesHelpTypeAndSamples) {
  Exposition e;
  e.Begin("smsgw_messages_accepted_total", Exposition::Type::kCounter, "Messages accepted.");
  e.Sample({{"type", "OTP"}}, uint64_t{3});
  e.Sample({{"type", "TXN"}}, uint64_t{0});
  e.Begin("smsgw_up", Exposition::Type::kGauge, "Always 1.");
  e.Sample({}, 1.0);
  EXPECT_EQ(e.Take(),
            "# HELP smsgw_messages_accepted_total Messages accepted.\n"
            "# TYPE smsgw_messages_accepted_total counter\n"
            "smsgw_messages_accepted_total{type=\"OTP\"} 3\n"
            "smsgw_messages_accepted_total{type=\"TXN\"} 0\n"
            "# HELP smsgw_up Always 1.\n"
            "# TYPE smsgw_up gauge\n"
            "smsgw_up 1\n");
}

TEST(ExpositionTest, EscapesLabelValuesAndHelp) {
  Exposition e;
  e.Begin("m", Exposition::Type::kGauge, "a \\ b\nc \"q\"");
  e.Sample({{"connector", "a\"b\\c\nd"}}, 0.25);
  EXPECT_EQ(e.Take(),
            "# HELP m a \\\\ b\\nc \"q\"\n"
            "# TYPE m gauge\n"
            "m{connector=\"a\\\"b\\\\c\\nd\"} 0.25\n");
}

TEST(ExpositionTest, WritesSpecialValues) {
  Exposition e;
  e.Begin("m", Exposition::Type::kGauge, "h");
  e.Sample({{"k", "a"}}, std::numeric_limits<double>::infinity());
  e.Sample({{"k", "b"}}, std::nan(""));
  e.Sample({{"k", "c"}}, 1e-7);
  EXPECT_EQ(e.Take(),
            "# HELP m h\n# TYPE m gauge\nm{k=\"a\"} +Inf\nm{k=\"b\"} NaN\nm{k=\"c\"} 1e-07\n");
}

TEST(ExpositionTest, WritesCumulativeHistogramBuckets) {
  const double bounds[] = {0.1, 1};
  Histogram h(bounds);
  h.Observe(0.05);
  h.Observe(0.5);
  h.Observe(0.5);
  h.Observe(7);
  Exposition e;
  e.Begin("smsgw_x_seconds", Exposition::Type::kHistogram, "X.");
  e.Sample({{"route", "send"}}, h.Read());
  EXPECT_EQ(e.Take(),
            "# HELP smsgw_x_seconds X.\n"
            "# TYPE smsgw_x_seconds histogram\n"
            "smsgw_x_seconds_bucket{route=\"send\",le=\"0.1\"} 1\n"
            "smsgw_x_seconds_bucket{route=\"send\",le=\"1\"} 3\n"
            "smsgw_x_seconds_bucket{route=\"send\",le=\"+Inf\"} 4\n"
            "smsgw_x_seconds_sum{route=\"send\"} 8.05\n"
            "smsgw_x_seconds_count{route=\"send\"} 4\n");
}

TEST(ExpositionTest, RefusesBadNamesAndRepeatedFamilies) {
  Exposition e;
  EXPECT_THROW(e.Begin("9lives", Exposition::Type::kGauge, ""), std::logic_error);
  EXPECT_THROW(e.Begin("a-b", Exposition::Type::kGauge, ""), std::logic_error);
  EXPECT_THROW(e.Sample({}, 1.0), std::logic_error);  // no family yet
  e.Begin("ok", Exposition::Type::kGauge, "");
  EXPECT_THROW(e.Begin("ok", Exposition::Type::kGauge, ""), std::logic_error);
  EXPECT_THROW(e.Sample({{"__reserved", "x"}}, 1.0), std::logic_error);
  EXPECT_THROW(e.Sample({{"bad-label", "x"}}, 1.0), std::logic_error);
  EXPECT_THROW(e.Sample({}, HistogramSnapshot{}), std::logic_error);
}

TEST(ExpositionTest, NamesFollowTheGrammar) {
  EXPECT_TRUE(IsMetricName("smsgw_http_requests_total"));
  EXPECT_TRUE(IsMetricName("a:b"));
  EXPECT_FALSE(IsMetricName(""));
  EXPECT_TRUE(IsLabelName("le"));
  EXPECT_FALSE(IsLabelName("a:b"));
  EXPECT_FALSE(IsLabelName("1a"));
}

}  // namespace
}  // namespace smsgw::metrics
