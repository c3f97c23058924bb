#pragma once
// Exposition writes metrics in the Prometheus text exposition format, version 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/): each family once, its `# HELP`
// and `# TYPE` lines first, then its samples. The caller reads its sources (counters, snapshots,
// store queries) and writes them here at scrape time; nothing is kept between scrapes.
//
// Names and label names are checked against the format's grammar and a family may be started
// only once: a violation is a programming error and throws std::logic_error. Label values and
// help text are escaped, so any string is safe as a value. Not thread-safe: one per scrape.

#include <cstdint>
#include <initializer_list>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "metrics/histogram.h"

namespace smsgw::metrics {

using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

class Exposition {
 public:
  enum class Type { kCounter, kGauge, kHistogram };

  // Starts the family `name`; the samples after it, up to the next Begin, are its.
  void Begin(std::string_view name, Type type, std::string_view help);
  // A counter or gauge sample of the current family.
  void Sample(Labels labels, double value);
  void Sample(Labels labels, uint64_t value);
  // A histogram sample of the current family: its _bucket, _sum and _count lines.
  void Sample(Labels labels, const HistogramSnapshot& histogram);

  // The text so far; the Exposition is empty afterwards.
  std::string Take();

  // The media type of the text.
  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  void Line(std::string_view suffix, Labels labels, std::string_view extra_name,
            std::string_view extra_value, std::string_view value);

  std::string out_;
  std::string family_;
  Type type_ = Type::kGauge;
  std::set<std::string, std::less<>> started_;
};

// Whether `name` is a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*) / a label name
// ([a-zA-Z_][a-zA-Z0-9_]*, not starting with "__", which Prometheus reserves).
bool IsMetricName(std::string_view name);
bool IsLabelName(std::string_view name);

}  // namespace smsgw::metrics
