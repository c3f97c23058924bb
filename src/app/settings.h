#pragma once
// Settings common to every subcommand: the config file (optional) plus the command-line flags
// that override it, resolved into the config and the store (the SQLite path, or [store] url).
// Startup only: errors are reported by the caller as a one-line reason and a non-zero exit.

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
  std::string db_path;  // the SQLite file; unused when [store] url names a PostgreSQL store

  bool postgres() const { return !config.store.url.empty(); }
  // How messages name the store: the SQLite path, or "PostgreSQL" (never the url, which may hold
  // a password).
  std::string store_label() const { return postgres() ? "PostgreSQL" : db_path; }
};

// Loads the config, applies the flags, creates the data directory if needed.
core::Result<Settings> ResolveSettings(const CommonFlags& flags);

}  // namespace smsgw::app
