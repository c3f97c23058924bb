#include "app/command.h"

#include <cstdio>
#include <iostream>

namespace smsgw::app {

int Fail(const std::string& reason) {
  std::cerr << "smsgw: " << reason << "\n";
  return 1;
}

int FailFields(const std::vector<api::FieldError>& errors) {
  std::string joined;
  for (const api::FieldError& e : errors) {
    joined += (joined.empty() ? "" : "; ") + e.reason;
  }
  return Fail(joined);
}

int FailStore(const core::Error& error, std::string_view sid) {
  if (error.code == core::Errc::kNotFound && error.message.starts_with("no account")) {
    return Fail("no account " + std::string(sid));
  }
  return Fail(error.message);
}

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

void AddCommonFlags(CLI::App& cmd, CommonFlags& flags) {
  cmd.add_option("--config", flags.config_file, "TOML configuration file");
  cmd.add_option("--data", flags.data_dir, "data directory (default ./smsgw-data)");
}

int WithStore(const CommonFlags& flags,
              const std::function<int(const Settings&, OpenedStore&)>& body) {
  auto settings = ResolveSettings(flags);
  if (!settings) {
    return Fail(settings.error().message);
  }
  auto store = OpenStore(*settings);
  if (!store) {
    return Fail(settings->store_label() + ": " + store.error().message);
  }
  return body(*settings, *store);
}

}  // namespace smsgw::app
