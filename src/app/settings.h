#pragma once
// Settings common to every subcommand: the config file (optional) plus the command-line flags
// that override it, resolved into the config and the SQLite path. Startup only: errors are
// reported by the caller as a one-line reason and a non-zero exit.

#include <optional>
#include <string>

#include "config/config.h"
#include "core/result.h"

namespace smsgw::app {

struct CommonFlags {
  std::string config_file;  // --config; empty: built-in defaults
  std::string data_dir = "./smsgw-data";
  std::optional<std::string> listen;        // --listen HOST:PORT (serve only)
  std::optional<std::string> admin_listen;  // --admin-listen HOST:PORT (serve only)
};

struct Settings {
  config::Config config;
  std::string data_dir;
  std::string db_path;
};

// Loads the config, applies the flags, creates the data directory if needed.
core::Result<Settings> ResolveSettings(const CommonFlags& flags);

}  // namespace smsgw::app
