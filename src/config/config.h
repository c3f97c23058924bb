#pragma once
// The smsgw configuration: one TOML file parsed into typed structs, validated once at start-up.
// Every field has its default here, so an empty file (or no file) is the out-of-the-box setup.
// Unknown keys and bad values are errors, reported as `<source>:<line>:<col>: <reason>`.
// app/ hands each module only its own sub-struct; nothing reads a global. Pure; thread-safe.
// docs/configuration.md is the user-facing reference and must list every key below.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "config/duration.h"
#include "config/endpoint.h"
#include "core/region.h"
#include "core/result.h"

namespace smsgw::config {

// [server]
struct ServerConfig {
  // `listen = "host:port"`: where the HTTP API listens. Port 0 picks a free port. Overridden by
  // the `--listen` flag.
  Endpoint listen{"127.0.0.1", 8080};
};

// [store]
struct StoreConfig {
  // `path`: the SQLite database file. Empty means `<data dir>/smsgw.db`, the data dir being the
  // `--data` flag.
  std::string path;
};

// [limits]
struct LimitsConfig {
  // `max_body_bytes`: the largest HTTP request body accepted; larger ones get 413.
  // Allowed range kMinBodyBytes..kMaxBodyBytes.
  size_t max_body_bytes = 65536;
};
inline constexpr size_t kMinBodyBytes = 1024;
inline constexpr size_t kMaxBodyBytes = 16 * 1024 * 1024;

// [schedule]: the window for a message's `time` (send later), relative to the request.
struct ScheduleConfig {
  // `min_ahead`: the earliest a scheduled time may be (Kaleyra: 15 minutes). At least 0.
  std::chrono::seconds min_ahead{15 * 60};
  // `max_ahead`: the latest a scheduled time may be (Kaleyra: about 3 months). More than
  // min_ahead.
  std::chrono::seconds max_ahead{92 * 24 * 3600};
};

// [text]
struct TextConfig {
  // `smart_encoding`: replace typographic look-alikes that force UCS-2 (curly quotes, dashes,
  // ellipsis, special spaces; the table is in src/text/README.md) by GSM-7 equivalents before
  // choosing the encoding, so such texts cost GSM-7 segments. Off by default: the text sent is
  // then not byte-for-byte what the client posted. The default for every account.
  bool smart_encoding = false;
};

struct Config {
  ServerConfig server;
  StoreConfig store;
  // Top-level `region` ("IN", "SG", "EU", "NA"): route-type rules, DLT enforcement and the
  // callback-profile id prefix, as Kaleyra's pods.
  core::Region region = core::Region::kSg;
  LimitsConfig limits;
  ScheduleConfig schedule;
  TextConfig text;
};

// Parses a whole config file's text. `source_name` (usually the path) prefixes error messages.
// On error, the message is the first problem in document order: "<source>:<line>:<col>: <reason>".
core::Result<Config> ParseConfig(std::string_view toml_text, std::string_view source_name);

// Reads and parses the file at `path`. A file that cannot be read is an error too
// ("<path>: cannot read: <reason>").
core::Result<Config> LoadConfigFile(const std::string& path);

}  // namespace smsgw::config
