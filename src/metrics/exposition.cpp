#include "metrics/exposition.h"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace smsgw::metrics {
namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Go's strconv.FormatFloat(v, 'g', -1, 64) is what Prometheus clients write; the shortest
// round-trip form is the same number.
std::string FormatDouble(double value) {
  if (std::isnan(value)) {
    return "NaN";
  }
  if (std::isinf(value)) {
    return value > 0 ? "+Inf" : "-Inf";
  }
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc() ? std::string(buffer, end) : "NaN";
}

// HELP text escapes backslash and line feed; label values also the double quote.
void AppendEscaped(std::string& out, std::string_view text, bool quote) {
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

std::string_view TypeName(Exposition::Type type) {
  switch (type) {
    case Exposition::Type::kCounter:
      return "counter";
    case Exposition::Type::kHistogram:
      return "histogram";
    case Exposition::Type::kGauge:
      break;
  }
  return "gauge";
}

}  // namespace

bool IsMetricName(std::string_view name) {
  if (name.empty() || !(IsAlpha(name[0]) || name[0] == ':')) {
    return false;
  }
  for (const char c : name) {
    if (!IsAlpha(c) && !IsDigit(c) && c != ':') {
      return false;
    }
  }
  return true;
}

bool IsLabelName(std::string_view name) {
  if (name.empty() || !IsAlpha(name[0]) || name.starts_with("__")) {
    return false;
  }
  for (const char c : name) {
    if (!IsAlpha(c) && !IsDigit(c)) {
      return false;
    }
  }
  return true;
}

void Exposition::Begin(std::string_view name, Type type, std::string_view help) {
  if (!IsMetricName(name)) {
    throw std::logic_error("not a metric name: " + std::string(name));
  }
  if (!started_.emplace(name).second) {
    throw std::logic_error("metric family written twice: " + std::string(name));
  }
  family_ = std::string(name);
  type_ = type;
  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  AppendEscaped(out_, help, false);
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += TypeName(type);
  out_ += '\n';
}

void Exposition::Line(std::string_view suffix, Labels labels, std::string_view extra_name,
                      std::string_view extra_value, std::string_view value) {
  if (family_.empty()) {
    throw std::logic_error("metric sample before its family");
  }
  out_ += family_;
  out_ += suffix;
  const bool any = labels.size() != 0 || !extra_name.empty();
  if (any) {
    out_ += '{';
    bool first = true;
    const auto add = [&](std::string_view label, std::string_view text) {
      if (!IsLabelName(label)) {
        throw std::logic_error("not a label name: " + std::string(label));
      }
      if (!first) {
        out_ += ',';
      }
      first = false;
      out_ += label;
      out_ += "=\"";
      AppendEscaped(out_, text, true);
      out_ += '"';
    };
    for (const auto& [label, text] : labels) {
      add(label, text);
    }
    if (!extra_name.empty()) {
      add(extra_name, extra_value);
    }
    out_ += '}';
  }
  out_ += ' ';
  out_ += value;
  out_ += '\n';
}

void Exposition::Sample(Labels labels, double value) {
  if (type_ == Type::kHistogram) {
    throw std::logic_error("a plain sample in histogram " + family_);
  }
  Line("", labels, "", "", FormatDouble(value));
}

void Exposition::Sample(Labels labels, uint64_t value) {
  if (type_ == Type::kHistogram) {
    throw std::logic_error("a plain sample in histogram " + family_);
  }
  Line("", labels, "", "", std::to_string(value));
}

void Exposition::Sample(Labels labels, const HistogramSnapshot& histogram) {
  if (type_ != Type::kHistogram) {
    throw std::logic_error("a histogram sample in " + family_);
  }
  uint64_t cumulative = 0;
  for (size_t i = 0; i < histogram.counts.size(); ++i) {
    cumulative += histogram.counts[i];
    const std::string bound =
        i < histogram.bounds.size() ? FormatDouble(histogram.bounds[i]) : "+Inf";
    Line("_bucket", labels, "le", bound, std::to_string(cumulative));
  }
  Line("_sum", labels, "", "", FormatDouble(histogram.sum));
  // The count is the +Inf bucket by definition; both come from the same snapshot.
  Line("_count", labels, "", "", std::to_string(cumulative));
}

std::string Exposition::Take() {
  family_.clear();
  started_.clear();
  return std::exchange(out_, {});
}

}  // namespace smsgw::metrics
