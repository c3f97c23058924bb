// contrib/grafana/smsgw.json against a real scrape: the dashboard is importable JSON with what
// Grafana needs (title, uid, panels, templating, the DS_PROMETHEUS input), every panel queries
// that datasource, and every metric a query or a template variable names is one the real
// `smsgw serve` exposes (for a histogram only its _bucket, _sum and _count series), with the
// labels the query selects, groups by and puts in its legend.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "harness.h"

namespace smsgw::itest {
namespace {

// Labels Prometheus adds to every series of a target; never in the scrape itself.
const std::set<std::string> kTargetLabels = {"job", "instance"};
// Variables Grafana defines itself.
const std::set<std::string> kGrafanaVariables = {"__rate_interval", "__interval", "__range",
                                                 "__interval_ms", "__range_s"};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}
bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }

// What a /metrics page exposes: each family's type (# TYPE lines) and, per series name
// (a histogram's name_bucket, name_sum, name_count), the label names its samples carry.
struct Scrape {
  std::map<std::string, std::string> types;
  std::map<std::string, std::set<std::string>> labels;

  static Scrape Parse(const std::string& page) {
    Scrape s;
    std::istringstream in(page);
    std::string line;
    while (std::getline(in, line)) {
      if (line.starts_with("# TYPE ")) {
        std::istringstream words(line.substr(7));
        std::string name;
        std::string type;
        words >> name >> type;
        s.types[name] = type;
        continue;
      }
      if (line.empty() || line[0] == '#') {
        continue;
      }
      size_t i = 0;
      while (i < line.size() && IsIdentChar(line[i])) {
        ++i;
      }
      std::set<std::string>& names = s.labels[line.substr(0, i)];
      if (i < line.size() && line[i] == '{') {
        ++i;
        while (i < line.size() && line[i] != '}') {
          const size_t start = i;
          while (i < line.size() && line[i] != '=') {
            ++i;
          }
          names.insert(line.substr(start, i - start));
          i += 2;  // ="
          while (i < line.size() && line[i] != '"') {
            i += line[i] == '\\' ? 2 : 1;
          }
          ++i;  // closing quote
          if (i < line.size() && line[i] == ',') {
            ++i;
          }
        }
      }
    }
    return s;
  }

  // Whether `series` selects anything: a counter's or gauge's name, or a histogram's
  // name_bucket, name_sum or name_count (a histogram's bare name is no series).
  bool Has(const std::string& series) const {
    if (const auto t = types.find(series); t != types.end()) {
      return t->second != "histogram";
    }
    for (const std::string suffix : {"_bucket", "_sum", "_count"}) {
      if (series.ends_with(suffix)) {
        const auto t = types.find(series.substr(0, series.size() - suffix.size()));
        if (t != types.end() && t->second == "histogram") {
          return true;
        }
      }
    }
    return false;
  }
};

// The names a PromQL expression uses: smsgw_ series with the labels of their selectors, the
// labels of by/without/on/ignoring/group_left/group_right lists, and $variables.
struct Uses {
  std::map<std::string, std::set<std::string>> selectors;  // series -> selector labels
  std::set<std::string> grouping;
  std::set<std::string> variables;
};

Uses Scan(const std::string& expr) {
  Uses u;
  static const std::regex kVariable(R"(\$\{?(\w+))");
  for (std::sregex_iterator m(expr.begin(), expr.end(), kVariable), end; m != end; ++m) {
    u.variables.insert((*m)[1]);
  }
  static const std::set<std::string> kGroupingWords = {"by",       "without",    "on",
                                                       "ignoring", "group_left", "group_right"};
  const size_t n = expr.size();
  auto skip_spaces = [&](size_t& i) {
    while (i < n && (expr[i] == ' ' || expr[i] == '\n' || expr[i] == '\t')) {
      ++i;
    }
  };
  auto skip_string = [&](size_t& i) {  // at the opening quote
    const char quote = expr[i++];
    while (i < n && expr[i] != quote) {
      i += expr[i] == '\\' ? 2 : 1;
    }
    ++i;
  };
  auto ident = [&](size_t& i) {
    const size_t start = i;
    while (i < n && IsIdentChar(expr[i])) {
      ++i;
    }
    return expr.substr(start, i - start);
  };
  size_t i = 0;
  while (i < n) {
    const char c = expr[i];
    if (c == '"' || c == '\'' || c == '`') {
      skip_string(i);
    } else if (c == '$') {
      ++i;
      ident(i);
    } else if (c >= '0' && c <= '9') {
      while (i < n && (IsIdentChar(expr[i]) || expr[i] == '.')) {  // 0.99, 5m, 1e3
        ++i;
      }
    } else if (IsIdentStart(c)) {
      const std::string word = ident(i);
      size_t j = i;
      skip_spaces(j);
      if (word.starts_with("smsgw_")) {
        std::set<std::string>& labels = u.selectors[word];
        if (j < n && expr[j] == '{') {
          i = j + 1;
          while (i < n && expr[i] != '}') {
            skip_spaces(i);
            const std::string label = ident(i);
            if (label.empty()) {
              ADD_FAILURE() << "cannot read the selector at " << i << " in: " << expr;
              break;
            }
            labels.insert(label);
            skip_spaces(i);
            while (i < n && (expr[i] == '=' || expr[i] == '!' || expr[i] == '~')) {
              ++i;
            }
            skip_spaces(i);
            if (i < n && (expr[i] == '"' || expr[i] == '\'' || expr[i] == '`')) {
              skip_string(i);
            }
            skip_spaces(i);
            if (i < n && expr[i] == ',') {
              ++i;
            }
          }
          ++i;
        }
      } else if (kGroupingWords.contains(word) && j < n && expr[j] == '(') {
        i = j + 1;
        while (i < n && expr[i] != ')') {
          skip_spaces(i);
          const std::string label = ident(i);
          if (!label.empty()) {
            u.grouping.insert(label);
          }
          skip_spaces(i);
          if (i < n && expr[i] == ',') {
            ++i;
          } else if (i < n && expr[i] != ')') {
            ADD_FAILURE() << "cannot read the label list at " << i << " in: " << expr;
            break;
          }
        }
        ++i;
      }
    } else {
      ++i;
    }
  }
  return u;
}

// Checks every name `expr` uses against the scrape and the dashboard's variables; `legend` is
// the target's legendFormat ({{label}} must be a label the expression groups by).
void CheckExpr(const Scrape& scrape, const std::set<std::string>& variables,
               const std::string& where, const std::string& expr, const std::string& legend) {
  SCOPED_TRACE(where + ": " + expr);
  const Uses u = Scan(expr);
  EXPECT_FALSE(u.selectors.empty()) << "no smsgw_ metric";
  std::set<std::string> all_labels = kTargetLabels;
  for (const auto& [series, selected] : u.selectors) {
    EXPECT_TRUE(scrape.Has(series)) << series << " is not in the scrape";
    const auto seen = scrape.labels.find(series);
    if (seen == scrape.labels.end()) {
      continue;  // no sample of it in this scrape: its labels cannot be checked
    }
    all_labels.insert(seen->second.begin(), seen->second.end());
    for (const std::string& label : selected) {
      EXPECT_TRUE(seen->second.contains(label) || kTargetLabels.contains(label))
          << series << " has no label " << label;
    }
  }
  for (const std::string& label : u.grouping) {
    EXPECT_TRUE(all_labels.contains(label)) << "grouped by " << label << ", on no series used";
  }
  for (const std::string& v : u.variables) {
    EXPECT_TRUE(variables.contains(v) || kGrafanaVariables.contains(v)) << "no variable $" << v;
  }
  static const std::regex kLegendLabel(R"(\{\{\s*(\w+)\s*\}\})");
  for (std::sregex_iterator m(legend.begin(), legend.end(), kLegendLabel), end; m != end; ++m) {
    EXPECT_TRUE(u.grouping.contains((*m)[1]))
        << "legend {{" << (*m)[1] << "}} is not a label the expression keeps (by ...)";
  }
}

// The panels of the dashboard, including those nested in collapsed rows.
void CollectPanels(const rapidjson::Value& list, std::vector<const rapidjson::Value*>& out) {
  for (const rapidjson::Value& p : list.GetArray()) {
    ASSERT_TRUE(p.IsObject());
    out.push_back(&p);
    if (p.HasMember("panels") && p["panels"].IsArray()) {
      CollectPanels(p["panels"], out);
    }
  }
}

// A real scrape with data in the histograms: a serve whose built-in simulator has delivered a
// couple of messages.
std::string ScrapeAfterDeliveries() {
  Smsgw gw;
  const Account account = gw.CreateAccount("grafana");
  gw.Start();
  if (gw.admin_port() == 0) {
    ADD_FAILURE() << "no admin listener: " << gw.server()->Stdout();
    return "";
  }
  for (const char* type : {"OTP", "DEFAULT"}) {
    const HttpResponse r =
        gw.Post("/v1/" + account.sid + "/messages",
                std::string(R"({"to":"+919876543210","sender":"ACMEIN","body":"Hi","type":")") +
                    type + R"("})",
                account.api_key);
    EXPECT_EQ(r.status, 200) << r.body;
  }
  // Both finished (delivered, with their receipts recorded).
  static const std::regex kDelivered(R"(\nsmsgw_receipt_delay_seconds_count (\d+))");
  const auto deadline = Clock::now() + 30s;
  std::string page;
  for (;;) {
    page = gw.AdminGet("/metrics").body;
    std::smatch m;
    const std::string text = "\n" + page;
    if (std::regex_search(text, m, kDelivered) && std::stoi(m[1]) >= 2) {
      break;
    }
    if (Clock::now() > deadline) {
      ADD_FAILURE() << "messages not delivered in time:\n" << page;
      break;
    }
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(gw.Stop(), 0);
  return page;
}

TEST(GrafanaDashboardTest, EveryQueryNamesMetricsAndLabelsOfARealScrape) {
  const std::string text = ReadFile(SMSGW_GRAFANA_DASHBOARD);
  ASSERT_FALSE(text.empty()) << "cannot read " << SMSGW_GRAFANA_DASHBOARD;
  const Json json = ParseJson(text);
  ASSERT_TRUE(json.ok) << json.error;
  const rapidjson::Value& d = json.doc;
  ASSERT_TRUE(d.IsObject());

  // What Grafana's import needs.
  EXPECT_FALSE(Str(d, "title").empty());
  EXPECT_FALSE(Str(d, "uid").empty());
  ASSERT_TRUE(d.HasMember("schemaVersion") && d["schemaVersion"].IsInt());
  EXPECT_GE(d["schemaVersion"].GetInt(), 36);
  ASSERT_TRUE(d.HasMember("__inputs") && d["__inputs"].IsArray());
  bool ds_input = false;
  for (const rapidjson::Value& input : d["__inputs"].GetArray()) {
    ds_input |= Str(input, "name") == "DS_PROMETHEUS" && Str(input, "type") == "datasource" &&
                Str(input, "pluginId") == "prometheus";
  }
  EXPECT_TRUE(ds_input) << "no DS_PROMETHEUS datasource input";
  ASSERT_TRUE(d.HasMember("panels") && d["panels"].IsArray());
  ASSERT_TRUE(d.HasMember("templating") && d["templating"].IsObject() &&
              d["templating"].HasMember("list") && d["templating"]["list"].IsArray());

  const Scrape scrape = Scrape::Parse(ScrapeAfterDeliveries());
  ASSERT_FALSE(scrape.types.empty());

  // Template variables: label_values(<selector>, <label>) over a real series and label.
  std::set<std::string> variables;
  for (const rapidjson::Value& v : d["templating"]["list"].GetArray()) {
    variables.insert(Str(v, "name"));
  }
  static const std::regex kLabelValues(R"(^\s*label_values\((.+),\s*(\w+)\s*\)\s*$)");
  for (const rapidjson::Value& v : d["templating"]["list"].GetArray()) {
    if (Str(v, "type") != "query") {
      continue;
    }
    const std::string name = Str(v, "name");
    ASSERT_TRUE(v.HasMember("query"));
    const std::string query =
        v["query"].IsString() ? v["query"].GetString() : Str(v["query"], "query");
    EXPECT_EQ(Str(v, "definition"), query) << name;
    EXPECT_EQ(Str(v["datasource"], "uid"), "${DS_PROMETHEUS}") << name;
    std::smatch m;
    ASSERT_TRUE(std::regex_match(query, m, kLabelValues)) << name << ": " << query;
    const std::string selector = m[1];
    const std::string label = m[2];
    CheckExpr(scrape, variables, "variable " + name, selector, "");
    for (const auto& [series, selected] : Scan(selector).selectors) {
      EXPECT_TRUE(kTargetLabels.contains(label) ||
                  (scrape.labels.contains(series) && scrape.labels.at(series).contains(label)))
          << "variable " << name << ": " << series << " has no label " << label;
    }
  }
  for (const char* needed : {"instance", "connector"}) {
    EXPECT_TRUE(variables.contains(needed)) << "no variable " << needed;
  }

  std::vector<const rapidjson::Value*> panels;
  CollectPanels(d["panels"], panels);
  std::set<int> ids;
  int queried = 0;
  for (const rapidjson::Value* p : panels) {
    const rapidjson::Value& panel = *p;
    const std::string title = Str(panel, "title");
    SCOPED_TRACE("panel \"" + title + "\"");
    EXPECT_FALSE(title.empty());
    ASSERT_TRUE(panel.HasMember("id") && panel["id"].IsInt());
    EXPECT_TRUE(ids.insert(panel["id"].GetInt()).second) << "id used twice";
    EXPECT_TRUE(panel.HasMember("gridPos") && panel["gridPos"].IsObject());
    if (Str(panel, "type") == "row") {
      continue;
    }
    ASSERT_TRUE(panel.HasMember("datasource") && panel["datasource"].IsObject());
    EXPECT_EQ(Str(panel["datasource"], "uid"), "${DS_PROMETHEUS}");
    ASSERT_TRUE(panel.HasMember("fieldConfig") && panel["fieldConfig"].HasMember("defaults"));
    EXPECT_FALSE(Str(panel["fieldConfig"]["defaults"], "unit").empty()) << "no unit";
    ASSERT_TRUE(panel.HasMember("targets") && panel["targets"].IsArray());
    EXPECT_FALSE(panel["targets"].GetArray().Empty()) << "no query";
    for (const rapidjson::Value& target : panel["targets"].GetArray()) {
      const std::string expr = Str(target, "expr");
      EXPECT_FALSE(expr.empty()) << "empty expr";
      CheckExpr(scrape, variables, title, expr, Str(target, "legendFormat"));
      ++queried;
    }
  }
  EXPECT_GT(queried, 0);
}

}  // namespace
}  // namespace smsgw::itest
