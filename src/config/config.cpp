#include "config/config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <limits>
#include <optional>
#include <sstream>
#include <tuple>
#include <utility>
#include <vector>

namespace smsgw::config {
namespace {

using namespace std::chrono_literals;

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

  // A "host:port" string (config/endpoint.h).
  std::optional<Endpoint> ExpectEndpoint(const toml::node& node, std::string_view name) {
    const std::string* text = ExpectString(node, name);
    if (text == nullptr) {
      return std::nullopt;
    }
    auto endpoint = ParseEndpoint(*text);
    if (!endpoint) {
      Fail(node.source(), std::string(name) + ": " + endpoint.error().message);
      return std::nullopt;
    }
    return std::move(*endpoint);
  }

  std::optional<bool> ExpectBool(const toml::node& node, std::string_view name) {
    const toml::value<bool>* value = node.as_boolean();
    if (value == nullptr) {
      Fail(node.source(),
           std::string(name) + " must be true or false, not " + std::string(TypeName(node.type())));
      return std::nullopt;
    }
    return value->get();
  }

  std::optional<int64_t> ExpectInteger(const toml::node& node, std::string_view name, int64_t min,
                                       int64_t max) {
    const toml::value<int64_t>* value = node.as_integer();
    if (value == nullptr) {
      Fail(node.source(),
           std::string(name) + " must be an integer, not " + std::string(TypeName(node.type())));
      return std::nullopt;
    }
    const int64_t number = value->get();
    if (number < min || number > max) {
      Fail(node.source(), std::string(name) + " must be between " + std::to_string(min) + " and " +
                              std::to_string(max) + ", not " + std::to_string(number));
      return std::nullopt;
    }
    return number;
  }

  // A duration string within [min, max]; "ms" is accepted when the setting has that precision.
  std::optional<std::chrono::milliseconds> ExpectDuration(const toml::node& node,
                                                          std::string_view name,
                                                          std::chrono::milliseconds min,
                                                          std::chrono::milliseconds max,
                                                          bool allow_millis) {
    const std::string* text = ExpectString(node, name);
    if (text == nullptr) {
      return std::nullopt;
    }
    core::Result<std::chrono::milliseconds> duration = std::chrono::milliseconds{0};
    if (allow_millis) {
      duration = ParseDurationMillis(*text);
    } else if (auto seconds = ParseDuration(*text)) {
      duration = *seconds;
    } else {
      duration = std::unexpected(seconds.error());
    }
    if (!duration) {
      Fail(node.source(), std::string(name) + ": " + duration.error().message);
      return std::nullopt;
    }
    if (*duration < min || *duration > max) {
      Fail(node.source(), std::string(name) + " must be between " + FormatDurationMillis(min) +
                              " and " + FormatDurationMillis(max) + ", not " +
                              FormatDurationMillis(*duration));
      return std::nullopt;
    }
    return *duration;
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

void ParseLog(Walker& w, const toml::table& table, LogConfig& out) {
  static constexpr std::array<std::string_view, 5> kLevels = {"trace", "debug", "info", "warn",
                                                              "error"};
  w.ForEachKey(
      table, "log", {"format", "level", "file"},
      [&](std::string_view name, const toml::node& node) {
        const std::string full = "log." + std::string(name);
        const std::string* text = w.ExpectString(node, full);
        if (text == nullptr) {
          return;
        }
        if (name == "format") {
          if (*text == "text" || *text == "json") {
            out.format = *text == "json" ? LogConfig::Format::kJson : LogConfig::Format::kText;
          } else {
            w.Fail(node.source(), full + " must be \"text\" or \"json\", not \"" + *text + "\"");
          }
        } else if (name == "level") {
          const auto found = std::find(kLevels.begin(), kLevels.end(), *text);
          if (found != kLevels.end()) {
            out.level = static_cast<int>(found - kLevels.begin());
          } else {
            w.Fail(node.source(),
                   full + " must be one of trace, debug, info, warn, error, not \"" + *text + "\"");
          }
        } else if (text->empty() || text->find('\0') != std::string::npos) {
          w.Fail(node.source(), full + " must be a file path");
        } else {
          out.file = *text;
        }
      });
}

void ParseAdmin(Walker& w, const toml::table& table, AdminConfig& out) {
  w.ForEachKey(
      table, "admin", {"enabled", "listen", "token", "stop_delay"},
      [&](std::string_view name, const toml::node& node) {
        const std::string full = "admin." + std::string(name);
        if (name == "enabled") {
          if (auto value = w.ExpectBool(node, full)) {
            out.enabled = *value;
          }
        } else if (name == "listen") {
          if (auto endpoint = w.ExpectEndpoint(node, full)) {
            out.listen = std::move(*endpoint);
          }
        } else if (name == "token") {
          if (const std::string* text = w.ExpectString(node, full)) {
            const bool printable =
                std::all_of(text->begin(), text->end(), [](char c) { return c > ' ' && c < 0x7f; });
            if (!text->empty() && (text->size() < 16 || text->size() > 256 || !printable)) {
              // The value itself is a secret: never echoed.
              w.Fail(node.source(),
                     full + " must be 16..256 printable ASCII characters, no spaces");
            } else {
              out.token = *text;
            }
          }
        } else if (auto value = w.ExpectDuration(node, full, 0ms, 1min, true)) {
          out.stop_delay = *value;
        }
      });
}

void ParseConsole(Walker& w, const toml::table& table, ConsoleConfig& out) {
  const toml::node* last_duration = nullptr;  // where to point when the two disagree
  w.ForEachKey(table, "console",
               {"enabled", "idle_timeout", "session_lifetime", "sign_in_failures_per_sid",
                "sign_in_failures_per_source", "sign_in_window"},
               [&](std::string_view name, const toml::node& node) {
                 const std::string full = "console." + std::string(name);
                 if (name == "enabled") {
                   if (auto value = w.ExpectBool(node, full)) {
                     out.enabled = *value;
                   }
                 } else if (name == "sign_in_failures_per_sid") {
                   if (auto value = w.ExpectInteger(node, full, 1, 10'000)) {
                     out.sign_in_failures_per_sid = static_cast<int>(*value);
                   }
                 } else if (name == "sign_in_failures_per_source") {
                   if (auto value = w.ExpectInteger(node, full, 1, 100'000)) {
                     out.sign_in_failures_per_source = static_cast<int>(*value);
                   }
                 } else if (name == "sign_in_window") {
                   if (auto value = w.ExpectDuration(node, full, 10s, 24h, false)) {
                     out.sign_in_window = std::chrono::duration_cast<std::chrono::seconds>(*value);
                   }
                 } else if (name == "idle_timeout") {
                   if (auto value = w.ExpectDuration(node, full, 1min, 24h, false)) {
                     out.idle_timeout = std::chrono::duration_cast<std::chrono::seconds>(*value);
                     last_duration = &node;
                   }
                 } else if (auto value = w.ExpectDuration(node, full, 1min, 24h * 30, false)) {
                   out.session_lifetime = std::chrono::duration_cast<std::chrono::seconds>(*value);
                   last_duration = &node;
                 }
               });
  if (last_duration != nullptr && out.session_lifetime < out.idle_timeout) {
    w.Fail(last_duration->source(),
           "console.session_lifetime must not be shorter than console.idle_timeout");
  }
}

void ParseServer(Walker& w, const toml::table& table, ServerConfig& out) {
  const toml::node* per_source_node = nullptr;
  const toml::node* tls_node = nullptr;
  w.ForEachKey(table, "server",
               {"listen", "max_connections", "max_connections_per_source", "header_timeout",
                "tls_cert", "tls_key"},
               [&](std::string_view name, const toml::node& node) {
                 const std::string full = "server." + std::string(name);
                 if (name == "tls_cert" || name == "tls_key") {
                   if (const std::string* text = w.ExpectString(node, full)) {
                     if (text->empty() || text->find('\0') != std::string::npos) {
                       w.Fail(node.source(), full + " must be a file path");
                     } else {
                       (name == "tls_cert" ? out.tls_cert : out.tls_key) = *text;
                       tls_node = &node;
                     }
                   }
                 } else if (name == "listen") {
                   if (auto endpoint = w.ExpectEndpoint(node, full)) {
                     out.listen = std::move(*endpoint);
                   }
                 } else if (name == "header_timeout") {
                   if (auto value = w.ExpectDuration(node, full, 100ms, 1min, true)) {
                     out.header_timeout = *value;
                   }
                 } else if (name == "max_connections") {
                   if (auto value = w.ExpectInteger(node, full, 16, 1'000'000)) {
                     out.max_connections = static_cast<size_t>(*value);
                   }
                 } else if (auto value = w.ExpectInteger(node, full, 1, 1'000'000)) {
                   out.max_connections_per_source = static_cast<size_t>(*value);
                   per_source_node = &node;
                 }
               });
  if (tls_node != nullptr && out.tls_cert.empty() != out.tls_key.empty()) {
    w.Fail(tls_node->source(), "server.tls_cert and server.tls_key go together: set both");
  }
  if (per_source_node != nullptr && out.max_connections_per_source > out.max_connections) {
    w.Fail(per_source_node->source(), "server.max_connections_per_source (" +
                                          std::to_string(out.max_connections_per_source) +
                                          ") must not be more than server.max_connections (" +
                                          std::to_string(out.max_connections) + ")");
  }
}

void ParseStore(Walker& w, const toml::table& table, StoreConfig& out) {
  const toml::node* url_node = nullptr;
  const toml::node* path_node = nullptr;
  w.ForEachKey(table, "store", {"path", "url", "pool_size", "statement_timeout"},
               [&](std::string_view name, const toml::node& node) {
                 const std::string full = "store." + std::string(name);
                 if (name == "pool_size") {
                   if (auto value = w.ExpectInteger(node, full, 1, 256)) {
                     out.pool_size = static_cast<int>(*value);
                   }
                   return;
                 }
                 if (name == "statement_timeout") {
                   if (auto value = w.ExpectDuration(node, full, 1s, 10min, false)) {
                     out.statement_timeout = *value;
                   }
                   return;
                 }
                 const std::string* text = w.ExpectString(node, full);
                 if (text == nullptr) {
                   return;
                 }
                 if (text->find('\0') != std::string::npos) {
                   // The value is not echoed: a url may hold a password.
                   w.Fail(node.source(), full + " must not contain a NUL character");
                 } else if (name == "url") {
                   out.url = *text;  // "" is unset, as for path
                   url_node = text->empty() ? nullptr : &node;
                 } else {
                   out.path = *text;
                   path_node = text->empty() ? nullptr : &node;
                 }
               });
  if (url_node != nullptr && path_node != nullptr) {
    w.Fail(url_node->source(),
           "store.url (PostgreSQL) and store.path (SQLite) name two stores: set one");
  }
}

void ParseNode(Walker& w, const toml::table& table, NodeConfig& out) {
  w.ForEachKey(
      table, "node", {"id", "bind_lease"}, [&](std::string_view name, const toml::node& node) {
        if (name == "bind_lease") {
          if (const auto value = w.ExpectDuration(node, "node.bind_lease", 3s, 10min, true)) {
            out.bind_lease = *value;
          }
          return;
        }
        const std::string* text = w.ExpectString(node, "node.id");
        if (text == nullptr) {
          return;
        }
        const bool valid = !text->empty() && text->size() <= 64 &&
                           std::all_of(text->begin(), text->end(), [](char c) {
                             return std::isalnum(static_cast<unsigned char>(c)) || c == '.' ||
                                    c == '_' || c == '-';
                           });
        if (valid) {
          out.id = *text;
        } else {
          w.Fail(node.source(), "node.id must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
      });
}

void ParseLimits(Walker& w, const toml::table& table, LimitsConfig& out) {
  w.ForEachKey(
      table, "limits", {"max_body_bytes", "sends_per_second", "recipients_per_second"},
      [&](std::string_view name, const toml::node& node) {
        if (name != "max_body_bytes") {
          if (auto value = w.ExpectInteger(node, "limits." + std::string(name), 0, 1'000'000)) {
            (name == "sends_per_second" ? out.sends_per_second : out.recipients_per_second) =
                *value;
          }
          return;
        }
        const toml::value<int64_t>* value = node.as_integer();
        if (value == nullptr) {
          w.Fail(node.source(), "limits.max_body_bytes must be an integer, not " +
                                    std::string(TypeName(node.type())));
          return;
        }
        const int64_t bytes = value->get();
        if (bytes < static_cast<int64_t>(kMinBodyBytes) ||
            bytes > static_cast<int64_t>(kMaxBodyBytes)) {
          w.Fail(node.source(), "limits.max_body_bytes must be between " +
                                    std::to_string(kMinBodyBytes) + " and " +
                                    std::to_string(kMaxBodyBytes) + " (16 MiB), not " +
                                    std::to_string(bytes));
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
    if (auto value = w.ExpectBool(node, "text.smart_encoding")) {
      out.smart_encoding = *value;
    }
  });
}

// A route type of an [[smsc]] entry, checked against `region` once the whole file is read, so
// the check does not depend on the order in which toml++ visits the keys.
struct TypeUse {
  core::RouteType type;
  toml::source_region where;
};

bool IsConnectorNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

template <class Enum, size_t N>
std::optional<Enum> ParseWord(std::string_view text,
                              const std::array<std::pair<std::string_view, Enum>, N>& words) {
  for (const auto& [word, value] : words) {
    if (word == text) {
      return value;
    }
  }
  return std::nullopt;
}

template <class Enum, size_t N>
std::string Words(const std::array<std::pair<std::string_view, Enum>, N>& words) {
  std::string out;
  for (const auto& [word, value] : words) {
    out += out.empty() ? "\"" : ", \"";
    out += word;
    out += '"';
  }
  return out;
}

constexpr std::array<std::pair<std::string_view, SmscBind>, 4> kBindWords = {{
    {"transmitter", SmscBind::kTransmitter},
    {"receiver", SmscBind::kReceiver},
    {"transceiver", SmscBind::kTransceiver},
    {"pair", SmscBind::kPair},
}};
constexpr std::array<std::pair<std::string_view, DlrIdFormat>, 4> kDlrIdFormatWords = {{
    {"auto", DlrIdFormat::kAuto},
    {"hex", DlrIdFormat::kHex},
    {"decimal", DlrIdFormat::kDecimal},
    {"hex-decimal", DlrIdFormat::kHexDecimal},
}};
constexpr std::array<std::pair<std::string_view, Concatenation>, 4> kConcatenationWords = {{
    {"udh8", Concatenation::kUdh8},
    {"udh16", Concatenation::kUdh16},
    {"sar", Concatenation::kSar},
    {"payload", Concatenation::kPayload},
}};

// A string with a length limit and no NUL (SMPP C-Octet Strings end at the first NUL).
void ParseBoundedString(Walker& w, const toml::node& node, std::string_view name, size_t max_length,
                        bool non_empty, std::string& out) {
  const std::string* text = w.ExpectString(node, name);
  if (text == nullptr) {
    return;
  }
  if (text->find('\0') != std::string::npos) {
    w.Fail(node.source(), std::string(name) + " must not contain a NUL character");
  } else if (non_empty && text->empty()) {
    w.Fail(node.source(), std::string(name) + " must not be empty");
  } else if (text->size() > max_length) {
    w.Fail(node.source(), std::string(name) + " must be at most " + std::to_string(max_length) +
                              " characters, not " + std::to_string(text->size()));
  } else {
    out = *text;
  }
}

template <class Enum, size_t N>
void ParseEnum(Walker& w, const toml::node& node, std::string_view name,
               const std::array<std::pair<std::string_view, Enum>, N>& words, Enum& out) {
  const std::string* text = w.ExpectString(node, name);
  if (text == nullptr) {
    return;
  }
  if (auto value = ParseWord(*text, words)) {
    out = *value;
  } else {
    w.Fail(node.source(),
           std::string(name) + " must be one of " + Words(words) + ", not \"" + *text + "\"");
  }
}

// Each element of a string array, with its node; reports a non-array or a non-string element.
void ForEachString(Walker& w, const toml::node& node, std::string_view name,
                   const std::function<void(const std::string&, const toml::node&)>& on_item) {
  const toml::array* array = node.as_array();
  if (array == nullptr) {
    w.Fail(node.source(), std::string(name) + " must be an array of strings, not " +
                              std::string(TypeName(node.type())));
    return;
  }
  for (const toml::node& item : *array) {
    if (const std::string* text = w.ExpectString(item, std::string(name) + " entries")) {
      on_item(*text, item);
    }
  }
}

void ParseSmscTypes(Walker& w, const toml::node& node, SmscConfig& out,
                    std::vector<TypeUse>& type_uses) {
  ForEachString(w, node, "smsc.types", [&](const std::string& text, const toml::node& item) {
    const std::optional<core::RouteType> type = core::ParseRouteType(text);
    if (!type) {
      w.Fail(item.source(), "smsc.types: unknown route type \"" + text +
                                "\" (known: OTP, TXN, TXND, MKT, DEFAULT)");
      return;
    }
    if (std::find(out.types.begin(), out.types.end(), *type) != out.types.end()) {
      w.Fail(item.source(), "smsc.types: \"" + text + "\" is listed twice");
      return;
    }
    out.types.push_back(*type);
    type_uses.push_back({*type, item.source()});
  });
}

void ParseSmscPrefixes(Walker& w, const toml::node& node, SmscConfig& out) {
  ForEachString(w, node, "smsc.prefixes", [&](const std::string& text, const toml::node& item) {
    const bool digits = !text.empty() && std::all_of(text.begin(), text.end(),
                                                     [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || text.size() > 15) {
      w.Fail(item.source(),
             "smsc.prefixes: \"" + text + "\" is not an E.164 prefix (1 to 15 digits, no '+')");
      return;
    }
    if (std::find(out.prefixes.begin(), out.prefixes.end(), text) != out.prefixes.end()) {
      w.Fail(item.source(), "smsc.prefixes: \"" + text + "\" is listed twice");
      return;
    }
    out.prefixes.push_back(text);
  });
}

void ParseSmscName(Walker& w, const toml::node& node, SmscConfig& out) {
  const std::string* text = w.ExpectString(node, "smsc.name");
  if (text == nullptr) {
    return;
  }
  if (text->empty() || text->size() > 32 ||
      !std::all_of(text->begin(), text->end(), IsConnectorNameChar)) {
    w.Fail(node.source(),
           "smsc.name must be 1 to 32 letters, digits, '_' or '-', not \"" + *text + "\"");
    return;
  }
  out.name = *text;
}

// A host name or an address, IPv6 without brackets (fe80::1%eth0 with its zone).
bool IsHost(const std::string& host) {
  if (host.find(':') == std::string::npos) {
    return ParseEndpoint(host + ":1").has_value();
  }
  const std::string address = host.substr(0, host.find('%'));
  in6_addr parsed{};
  return inet_pton(AF_INET6, address.c_str(), &parsed) == 1 &&
         ParseEndpoint("[" + host + "]:1").has_value();
}

void ParseSmscHost(Walker& w, const toml::node& node, SmscConfig& out) {
  const std::string* text = w.ExpectString(node, "smsc.host");
  if (text == nullptr) {
    return;
  }
  if (!IsHost(*text)) {
    w.Fail(node.source(),
           "smsc.host must be a host name or an IP address (IPv6 without brackets), not \"" +
               *text + "\"");
    return;
  }
  out.host = *text;
}

void ParseSmsc(Walker& w, const toml::table& table, SmscConfig& out,
               std::vector<TypeUse>& type_uses) {
  w.ForEachKey(
      table, "[smsc]", {"name",          "host",         "port",
                        "system_id",     "password",     "system_type",
                        "bind",          "binds",        "window",
                        "tps",           "enquire_link", "dlr_id_format",
                        "concatenation", "source_ton",   "source_npi",
                        "dest_ton",      "dest_npi",     "types",
                        "prefixes",      "priority",     "response_timeout",
                        "tls",           "tls_ca_file",  "tls_cert_file",
                        "tls_key_file"},
      [&](std::string_view name, const toml::node& node) {
        const std::string full = "smsc." + std::string(name);
        auto integer = [&](int64_t min, int64_t max, int& field) {
          if (auto value = w.ExpectInteger(node, full, min, max)) {
            field = static_cast<int>(*value);
          }
        };
        if (name == "name") {
          ParseSmscName(w, node, out);
        } else if (name == "host") {
          ParseSmscHost(w, node, out);
        } else if (name == "port") {
          if (auto value = w.ExpectInteger(node, full, 1, 65535)) {
            out.port = static_cast<uint16_t>(*value);
          }
        } else if (name == "system_id") {
          ParseBoundedString(w, node, full, 15, true, out.system_id);
        } else if (name == "password") {
          ParseBoundedString(w, node, full, 8, false, out.password);
        } else if (name == "system_type") {
          ParseBoundedString(w, node, full, 12, false, out.system_type);
        } else if (name == "bind") {
          ParseEnum(w, node, full, kBindWords, out.bind);
        } else if (name == "binds") {
          integer(1, 16, out.binds);
        } else if (name == "window") {
          integer(1, 1000, out.window);
        } else if (name == "tps") {
          integer(0, 100'000, out.tps);
        } else if (name == "enquire_link") {
          if (auto value = w.ExpectDuration(node, full, 1s, 1h, false)) {
            out.enquire_link = std::chrono::duration_cast<std::chrono::seconds>(*value);
          }
        } else if (name == "response_timeout") {
          if (auto value = w.ExpectDuration(node, full, 1s, 5min, false)) {
            out.response_timeout = std::chrono::duration_cast<std::chrono::seconds>(*value);
          }
        } else if (name == "dlr_id_format") {
          ParseEnum(w, node, full, kDlrIdFormatWords, out.dlr_id_format);
        } else if (name == "concatenation") {
          ParseEnum(w, node, full, kConcatenationWords, out.concatenation);
        } else if (name == "source_ton") {
          integer(0, 255, out.source_ton);
        } else if (name == "source_npi") {
          integer(0, 255, out.source_npi);
        } else if (name == "dest_ton") {
          integer(0, 255, out.dest_ton);
        } else if (name == "dest_npi") {
          integer(0, 255, out.dest_npi);
        } else if (name == "types") {
          ParseSmscTypes(w, node, out, type_uses);
        } else if (name == "prefixes") {
          ParseSmscPrefixes(w, node, out);
        } else if (name == "tls") {
          if (auto value = w.ExpectBool(node, full)) {
            out.tls = *value;
          }
        } else if (name == "tls_ca_file" || name == "tls_cert_file" || name == "tls_key_file") {
          if (const std::string* text = w.ExpectString(node, full)) {
            if (text->empty() || text->find('\0') != std::string::npos) {
              w.Fail(node.source(), full + " must be a file path");
            } else {
              (name == "tls_ca_file"     ? out.tls_ca_file
               : name == "tls_cert_file" ? out.tls_cert_file
                                         : out.tls_key_file) = *text;
            }
          }
        } else {
          integer(std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max(),
                  out.priority);
        }
      });
  for (std::string_view required : {"name", "host", "system_id"}) {
    if (!table.contains(required)) {
      w.Fail(table.source(),
             "[[smsc]] is missing the required key \"" + std::string(required) + "\"");
    }
  }
  if (out.tls_cert_file.empty() != out.tls_key_file.empty()) {
    w.Fail(table.source(), "[[smsc]] tls_cert_file and tls_key_file go together: set both");
  }
  if (!out.tls && (!out.tls_ca_file.empty() || !out.tls_cert_file.empty())) {
    w.Fail(table.source(), "[[smsc]] tls_* files need tls = true");
  }
}

void ParseSmscArray(Walker& w, const toml::node& node, std::vector<SmscConfig>& out,
                    std::vector<TypeUse>& type_uses) {
  const toml::array* array = node.as_array();
  if (array == nullptr) {
    w.Fail(node.source(), "\"smsc\" must be an array of tables ([[smsc]]), not " +
                              std::string(TypeName(node.type())));
    return;
  }
  struct Named {
    std::string name;
    const toml::node* where;
  };
  std::vector<Named> seen;
  for (const toml::node& item : *array) {
    const toml::table* table = item.as_table();
    if (table == nullptr) {
      w.Fail(item.source(),
             "smsc entries must be tables ([[smsc]]), not " + std::string(TypeName(item.type())));
      continue;
    }
    SmscConfig smsc;
    ParseSmsc(w, *table, smsc, type_uses);
    if (!smsc.name.empty()) {
      const toml::node* name_node = table->get("name");
      auto earlier = std::find_if(seen.begin(), seen.end(),
                                  [&](const Named& n) { return n.name == smsc.name; });
      if (earlier != seen.end()) {
        w.Fail(name_node->source(), "smsc.name \"" + smsc.name +
                                        "\" is used twice (first on line " +
                                        std::to_string(earlier->where->source().begin.line) + ")");
      } else {
        seen.push_back({smsc.name, name_node});
      }
    }
    out.push_back(std::move(smsc));
  }
}

void ParseSimulator(Walker& w, const toml::table& table, SimulatorSection& out) {
  w.ForEachKey(
      table, "simulator", {"enabled", "listen", "receipt_delay"},
      [&](std::string_view name, const toml::node& node) {
        if (name == "enabled") {
          if (auto value = w.ExpectBool(node, "simulator.enabled")) {
            out.enabled = *value;
          }
        } else if (name == "listen") {
          if (auto endpoint = w.ExpectEndpoint(node, "simulator.listen")) {
            out.listen = std::move(*endpoint);
          }
        } else if (auto value = w.ExpectDuration(node, "simulator.receipt_delay", 0ms, 1h, true)) {
          out.receipt_delay = *value;
        }
      });
}

void ParseSmppServer(Walker& w, const toml::table& table, SmppServerConfig& out) {
  const toml::node* inactivity_node = nullptr;
  w.ForEachKey(table, "smpp_server",
               {"listen", "max_binds_per_account", "max_connections", "window", "bind_timeout",
                "enquire_link", "inactivity", "max_rate", "deliver_timeout", "reassembly_timeout",
                "reassembly_max_sets"},
               [&](std::string_view name, const toml::node& node) {
                 const std::string full = "smpp_server." + std::string(name);
                 if (name == "listen") {
                   if (auto endpoint = w.ExpectEndpoint(node, full)) {
                     out.listen = std::move(*endpoint);
                   }
                 } else if (name == "max_connections") {
                   if (auto value = w.ExpectInteger(node, full, 1, 100'000)) {
                     out.max_connections = static_cast<int>(*value);
                   }
                 } else if (name == "max_rate") {
                   if (auto value = w.ExpectInteger(node, full, 0, 100'000)) {
                     out.max_rate = *value;
                   }
                 } else if (name == "max_binds_per_account" || name == "window") {
                   if (auto value = w.ExpectInteger(node, full, 1, 1000)) {
                     (name == "window" ? out.window : out.max_binds_per_account) =
                         static_cast<int>(*value);
                   }
                 } else if (name == "bind_timeout") {
                   if (auto value = w.ExpectDuration(node, full, 1s, 5min, true)) {
                     out.bind_timeout = *value;
                   }
                 } else if (name == "enquire_link") {
                   if (auto value = w.ExpectDuration(node, full, 1s, 1h, true)) {
                     out.enquire_link = *value;
                   }
                 } else if (name == "deliver_timeout") {
                   if (auto value = w.ExpectDuration(node, full, 1s, 10min, true)) {
                     out.deliver_timeout = *value;
                   }
                 } else if (name == "reassembly_timeout") {
                   if (auto value = w.ExpectDuration(node, full, 10s, 24h, true)) {
                     out.reassembly_timeout = *value;
                   }
                 } else if (name == "reassembly_max_sets") {
                   if (auto value = w.ExpectInteger(node, full, 1, 100'000)) {
                     out.reassembly_max_sets = static_cast<int>(*value);
                   }
                 } else if (auto value = w.ExpectDuration(node, full, 2s, 2h, true)) {
                   out.inactivity = *value;
                   inactivity_node = &node;
                 }
               });
  if (out.inactivity <= out.enquire_link) {
    // Otherwise a quiet but healthy customer is cut off before it is ever probed.
    w.Fail(inactivity_node != nullptr ? inactivity_node->source() : table.source(),
           "smpp_server.inactivity must be longer than smpp_server.enquire_link");
  }
}

void ParseDelivery(Walker& w, const toml::table& table, DeliveryConfig& out) {
  const toml::node* retry_min_node = nullptr;
  const toml::node* retry_max_node = nullptr;
  bool retry_valid = true;
  w.ForEachKey(table, "delivery",
               {"validity", "claim_lease", "retry_min", "retry_max", "mo_reassembly_timeout",
                "receipt_timeout"},
               [&](std::string_view name, const toml::node& node) {
                 const std::string full = "delivery." + std::string(name);
                 if (name == "receipt_timeout") {
                   if (const auto value = w.ExpectDuration(node, full, 1s, 30 * 24h, false)) {
                     out.receipt_timeout = std::chrono::duration_cast<std::chrono::seconds>(*value);
                   }
                   return;
                 }
                 if (name == "mo_reassembly_timeout") {
                   if (const auto value = w.ExpectDuration(node, full, 10s, 24h, false)) {
                     out.mo_reassembly_timeout =
                         std::chrono::duration_cast<std::chrono::seconds>(*value);
                   }
                   return;
                 }
                 if (name == "validity" || name == "claim_lease") {
                   const bool validity = name == "validity";
                   const auto value = validity ? w.ExpectDuration(node, full, 1min, 7 * 24h, false)
                                               : w.ExpectDuration(node, full, 5s, 1h, false);
                   if (value) {
                     (validity ? out.validity : out.claim_lease) =
                         std::chrono::duration_cast<std::chrono::seconds>(*value);
                   }
                   return;
                 }
                 const bool is_min = name == "retry_min";
                 const auto value = is_min ? w.ExpectDuration(node, full, 100ms, 1h, true)
                                           : w.ExpectDuration(node, full, 100ms, 24h, true);
                 if (!value) {
                   retry_valid = false;
                   return;
                 }
                 (is_min ? out.retry_min : out.retry_max) = *value;
                 (is_min ? retry_min_node : retry_max_node) = &node;
               });
  if (retry_valid && out.retry_min > out.retry_max) {
    const toml::node* blame = retry_max_node != nullptr ? retry_max_node : retry_min_node;
    if (blame != nullptr) {
      w.Fail(blame->source(), "delivery.retry_max (" + FormatDurationMillis(out.retry_max) +
                                  ") must not be less than delivery.retry_min (" +
                                  FormatDurationMillis(out.retry_min) + ")");
    }
  }
}

void ParseWebhooks(Walker& w, const toml::table& table, WebhooksConfig& out) {
  const toml::node* held_node = nullptr;
  w.ForEachKey(
      table, "webhooks",
      {"enabled", "connect_timeout", "request_timeout", "per_host_connections", "max_held",
       "per_host_held", "claim_lease", "allow_targets", "deny_targets", "tls_ca_file"},
      [&](std::string_view name, const toml::node& node) {
        const std::string full = "webhooks." + std::string(name);
        if (name == "allow_targets" || name == "deny_targets") {
          auto& nets = name == "allow_targets" ? out.allow_targets : out.deny_targets;
          ForEachString(w, node, full, [&](const std::string& text, const toml::node& item) {
            if (nets.size() >= 1000) {
              w.Fail(item.source(), full + ": at most 1000 networks");
            } else if (auto net = core::ParseIpNetwork(text)) {
              nets.push_back(*net);
            } else {
              w.Fail(item.source(), full + ": " + net.error().message);
            }
          });
        } else if (name == "enabled") {
          if (auto value = w.ExpectBool(node, full)) {
            out.enabled = *value;
          }
        } else if (name == "tls_ca_file") {
          if (const std::string* text = w.ExpectString(node, full)) {
            if (text->empty() || text->find('\0') != std::string::npos) {
              w.Fail(node.source(), full + " must be a file path");
            } else {
              out.tls_ca_file = *text;
            }
          }
        } else if (name == "connect_timeout") {
          if (auto value = w.ExpectDuration(node, full, 100ms, 1min, true)) {
            out.connect_timeout = *value;
          }
        } else if (name == "request_timeout") {
          if (auto value = w.ExpectDuration(node, full, 1s, 5min, true)) {
            out.request_timeout = *value;
          }
        } else if (name == "claim_lease") {
          if (auto value = w.ExpectDuration(node, full, 5s, 1h, false)) {
            out.claim_lease = std::chrono::duration_cast<std::chrono::seconds>(*value);
          }
        } else if (name == "per_host_connections") {
          if (auto value = w.ExpectInteger(node, full, 1, 256)) {
            out.per_host_connections = static_cast<int>(*value);
          }
        } else if (auto value = w.ExpectInteger(node, full, 10, 100'000)) {
          (name == "max_held" ? out.max_held : out.per_host_held) = static_cast<int>(*value);
          held_node = &node;
        }
      });
  if (held_node != nullptr && out.per_host_held > out.max_held) {
    w.Fail(held_node->source(), "webhooks.per_host_held (" + std::to_string(out.per_host_held) +
                                    ") must not be more than webhooks.max_held (" +
                                    std::to_string(out.max_held) + ")");
  }
}

void ParseOptOut(Walker& w, const toml::table& table, OptOutConfig& out) {
  w.ForEachKey(
      table, "opt_out", {"stop_words", "stop_all_words", "start_words", "exempt_otp"},
      [&](std::string_view name, const toml::node& node) {
        const std::string full = "opt_out." + std::string(name);
        if (name == "exempt_otp") {
          if (auto value = w.ExpectBool(node, full)) {
            out.exempt_otp = *value;
          }
          return;
        }
        std::vector<std::string>& words = name == "stop_words"       ? out.words.stop
                                          : name == "stop_all_words" ? out.words.stop_all
                                                                     : out.words.start;
        words.clear();
        ForEachString(w, node, full, [&](const std::string& text, const toml::node& item) {
          if (!core::IsOptOutWord(text)) {
            w.Fail(item.source(),
                   full + ": \"" + text + "\" is not a word of 1 to 30 ASCII letters or digits");
          } else if (words.size() >= 20) {
            w.Fail(item.source(), full + ": at most 20 words");
          } else {
            words.push_back(text);
          }
        });
      });
}

}  // namespace

bool SimulatorEnabled(const Config& config) {
  return config.simulator.enabled.value_or(config.smsc.empty());
}

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
  std::vector<TypeUse> type_uses;
  w.ForEachKey(
      root, "",
      {"region", "server", "admin", "console", "log", "store", "node", "limits", "schedule", "text",
       "smsc", "simulator", "smpp_server", "delivery", "webhooks", "opt_out"},
      [&](std::string_view name, const toml::node& node) {
        if (name == "region") {
          if (const std::string* text = w.ExpectString(node, "region")) {
            if (auto region = core::ParseRegion(*text)) {
              config.region = *region;
            } else {
              w.Fail(node.source(), "region must be one of IN, SG, EU, NA, not \"" + *text + "\"");
            }
          }
          return;
        }
        if (name == "smsc") {
          ParseSmscArray(w, node, config.smsc, type_uses);
          return;
        }
        const toml::table* table = w.ExpectTable(node, name);
        if (table == nullptr) {
          return;
        }
        if (name == "server") {
          ParseServer(w, *table, config.server);
        } else if (name == "admin") {
          ParseAdmin(w, *table, config.admin);
        } else if (name == "console") {
          ParseConsole(w, *table, config.console);
        } else if (name == "log") {
          ParseLog(w, *table, config.log);
        } else if (name == "store") {
          ParseStore(w, *table, config.store);
        } else if (name == "node") {
          ParseNode(w, *table, config.node);
        } else if (name == "limits") {
          ParseLimits(w, *table, config.limits);
        } else if (name == "schedule") {
          ParseSchedule(w, *table, config.schedule);
        } else if (name == "text") {
          ParseText(w, *table, config.text);
        } else if (name == "simulator") {
          ParseSimulator(w, *table, config.simulator);
        } else if (name == "smpp_server") {
          ParseSmppServer(w, *table, config.smpp_server);
        } else if (name == "delivery") {
          ParseDelivery(w, *table, config.delivery);
        } else if (name == "webhooks") {
          ParseWebhooks(w, *table, config.webhooks);
        } else {
          ParseOptOut(w, *table, config.opt_out);
        }
      });
  for (const TypeUse& use : type_uses) {
    if (!core::AllowsType(config.region, use.type)) {
      w.Fail(use.where, "smsc.types: " + std::string(core::ToString(use.type)) +
                            " is not a route type of region " +
                            std::string(core::ToString(config.region)) +
                            " (allowed: " + core::AllowedTypesText(config.region) + ")");
    }
  }
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
