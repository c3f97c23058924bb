#include "config/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <sstream>
#include <tuple>
#include <vector>

namespace smsgw::config {
namespace {

std::string_view TypeName(toml::node_type type) {
  switch (type) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

std::string Join(std::initializer_list<std::string_view> names) {
  std::string out;
  for (std::string_view name : names) {
    out += out.empty() ? "" : ", ";
    out += name;
  }
  return out;
}

// Walks the parsed document and collects every problem with its position; the earliest one in
// the file is reported, so the message does not depend on the order of toml++'s maps.
class Walker {
 public:
  explicit Walker(std::string_view source) : source_(source) {}

  void Fail(const toml::source_region& where, std::string reason) {
    problems_.push_back({where.begin.line, where.begin.column, std::move(reason)});
  }

  bool Ok() const { return problems_.empty(); }

  core::Error FirstError() const {
    const Problem& first = *std::min_element(
        problems_.begin(), problems_.end(), [](const Problem& a, const Problem& b) {
          return std::tie(a.line, a.column) < std::tie(b.line, b.column);
        });
    return core::Error{make_error_code(core::Errc::kInvalidArgument),
                       source_ + ":" + std::to_string(first.line) + ":" +
                           std::to_string(first.column) + ": " + first.reason};
  }

  // Calls `on_key(name, node)` for each key of `table`; `known` lists the keys `on_key` handles,
  // and any other key is reported with the list of known ones. `where` names the table in
  // messages ("" for the top level, "server" for [server]).
  void ForEachKey(const toml::table& table, std::string_view where,
                  std::initializer_list<std::string_view> known,
                  const std::function<void(std::string_view, const toml::node&)>& on_key) {
    for (auto&& [key, node] : table) {
      const std::string_view name = key.str();
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        std::string what = node.is_table() && where.empty()
                               ? "unknown table [" + std::string(name) + "]"
                               : "unknown key \"" + std::string(name) + "\"";
        if (!where.empty()) {
          what += " in [" + std::string(where) + "]";
        }
        Fail(key.source(), what + " (known: " + Join(known) + ")");
        continue;
      }
      on_key(name, node);
    }
  }

  const toml::table* ExpectTable(const toml::node& node, std::string_view name) {
    const toml::table* table = node.as_table();
    if (table == nullptr) {
      Fail(node.source(), "\"" + std::string(name) + "\" must be a table ([" + std::string(name) +
                              "]), not " + std::string(TypeName(node.type())));
    }
    return table;
  }

  const std::string* ExpectString(const toml::node& node, std::string_view name) {
    const toml::value<std::string>* value = node.as_string();
    if (value == nullptr) {
      Fail(node.source(),
           std::string(name) + " must be a string, not " + std::string(TypeName(node.type())));
      return nullptr;
    }
    return &value->get();
  }

 private:
  struct Problem {
    uint32_t line;
    uint32_t column;
    std::string reason;
  };

  std::string source_;
  std::vector<Problem> problems_;
};

void ParseServer(Walker& w, const toml::table& table, ServerConfig& out) {
  w.ForEachKey(table, "server", {"listen"}, [&](std::string_view, const toml::node& node) {
    if (const std::string* text = w.ExpectString(node, "server.listen")) {
      if (auto endpoint = ParseEndpoint(*text)) {
        out.listen = std::move(*endpoint);
      } else {
        w.Fail(node.source(), "server.listen: " + endpoint.error().message);
      }
    }
  });
}

void ParseStore(Walker& w, const toml::table& table, StoreConfig& out) {
  w.ForEachKey(table, "store", {"path"}, [&](std::string_view, const toml::node& node) {
    if (const std::string* text = w.ExpectString(node, "store.path")) {
      if (text->find('\0') != std::string::npos) {
        w.Fail(node.source(), "store.path must not contain a NUL character");
      } else {
        out.path = *text;
      }
    }
  });
}

void ParseLimits(Walker& w, const toml::table& table, LimitsConfig& out) {
  w.ForEachKey(table, "limits", {"max_body_bytes"}, [&](std::string_view, const toml::node& node) {
    const toml::value<int64_t>* value = node.as_integer();
    if (value == nullptr) {
      w.Fail(node.source(),
             "limits.max_body_bytes must be an integer, not " + std::string(TypeName(node.type())));
      return;
    }
    const int64_t bytes = value->get();
    if (bytes < static_cast<int64_t>(kMinBodyBytes) ||
        bytes > static_cast<int64_t>(kMaxBodyBytes)) {
      w.Fail(node.source(),
             "limits.max_body_bytes must be between " + std::to_string(kMinBodyBytes) + " and " +
                 std::to_string(kMaxBodyBytes) + " (16 MiB), not " + std::to_string(bytes));
      return;
    }
    out.max_body_bytes = static_cast<size_t>(bytes);
  });
}

void ParseSchedule(Walker& w, const toml::table& table, ScheduleConfig& out) {
  const toml::node* min_node = nullptr;
  const toml::node* max_node = nullptr;
  bool valid = true;
  w.ForEachKey(table, "schedule", {"min_ahead", "max_ahead"},
               [&](std::string_view name, const toml::node& node) {
                 const std::string full = "schedule." + std::string(name);
                 const std::string* text = w.ExpectString(node, full);
                 if (text == nullptr) {
                   valid = false;
                   return;
                 }
                 auto duration = ParseDuration(*text);
                 if (!duration) {
                   w.Fail(node.source(), full + ": " + duration.error().message);
                   valid = false;
                   return;
                 }
                 if (name == "min_ahead") {
                   out.min_ahead = *duration;
                   min_node = &node;
                 } else {
                   out.max_ahead = *duration;
                   max_node = &node;
                 }
               });
  if (valid && out.max_ahead <= out.min_ahead) {
    const toml::node* blame = max_node != nullptr ? max_node : min_node;
    if (blame != nullptr) {
      w.Fail(blame->source(), "schedule.max_ahead (" + FormatDuration(out.max_ahead) +
                                  ") must be greater than schedule.min_ahead (" +
                                  FormatDuration(out.min_ahead) + ")");
    }
  }
}

void ParseText(Walker& w, const toml::table& table, TextConfig& out) {
  w.ForEachKey(table, "text", {"smart_encoding"}, [&](std::string_view, const toml::node& node) {
    const toml::value<bool>* value = node.as_boolean();
    if (value == nullptr) {
      w.Fail(node.source(), "text.smart_encoding must be true or false, not " +
                                std::string(TypeName(node.type())));
      return;
    }
    out.smart_encoding = value->get();
  });
}

}  // namespace

core::Result<Config> ParseConfig(std::string_view toml_text, std::string_view source_name) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& e) {
    const toml::source_region& where = e.source();
    return core::MakeError(core::Errc::kInvalidArgument,
                           std::string(source_name) + ":" + std::to_string(where.begin.line) + ":" +
                               std::to_string(where.begin.column) + ": " +
                               std::string(e.description()));
  }

  Config config;
  Walker w(source_name);
  w.ForEachKey(root, "", {"region", "server", "store", "limits", "schedule", "text"},
               [&](std::string_view name, const toml::node& node) {
                 if (name == "region") {
                   if (const std::string* text = w.ExpectString(node, "region")) {
                     if (auto region = core::ParseRegion(*text)) {
                       config.region = *region;
                     } else {
                       w.Fail(node.source(),
                              "region must be one of IN, SG, EU, NA, not \"" + *text + "\"");
                     }
                   }
                   return;
                 }
                 const toml::table* table = w.ExpectTable(node, name);
                 if (table == nullptr) {
                   return;
                 }
                 if (name == "server") {
                   ParseServer(w, *table, config.server);
                 } else if (name == "store") {
                   ParseStore(w, *table, config.store);
                 } else if (name == "limits") {
                   ParseLimits(w, *table, config.limits);
                 } else if (name == "schedule") {
                   ParseSchedule(w, *table, config.schedule);
                 } else {
                   ParseText(w, *table, config.text);
                 }
               });
  if (!w.Ok()) {
    return std::unexpected(w.FirstError());
  }
  return config;
}

core::Result<Config> LoadConfigFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return core::MakeError(core::Errc::kInvalidArgument,
                           path + ": cannot read: is a directory, not a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    return core::MakeError(err == ENOENT ? core::Errc::kNotFound : core::Errc::kInvalidArgument,
                           path + ": cannot read: " + std::strerror(err));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return core::MakeError(core::Errc::kInvalidArgument, path + ": cannot read: I/O error");
  }
  return ParseConfig(text.str(), path);
}

}  // namespace smsgw::config
