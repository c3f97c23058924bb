#include "app/settings.h"

#include <filesystem>
#include <system_error>

namespace smsgw::app {

core::Result<Settings> ResolveSettings(const CommonFlags& flags) {
  Settings settings;
  if (!flags.config_file.empty()) {
    auto loaded = config::LoadConfigFile(flags.config_file);
    if (!loaded) {
      return std::unexpected(loaded.error());
    }
    settings.config = std::move(*loaded);
  }
  if (flags.listen) {
    auto endpoint = config::ParseEndpoint(*flags.listen);
    if (!endpoint) {
      return core::MakeError(core::Errc::kInvalidArgument, "--listen: " + endpoint.error().message);
    }
    settings.config.server.listen = *endpoint;
  }
  if (flags.admin_listen) {
    auto endpoint = config::ParseEndpoint(*flags.admin_listen);
    if (!endpoint) {
      return core::MakeError(core::Errc::kInvalidArgument,
                             "--admin-listen: " + endpoint.error().message);
    }
    settings.config.admin.listen = *endpoint;
  }
  settings.data_dir = flags.data_dir;
  settings.db_path = settings.config.store.path.empty()
                         ? (std::filesystem::path(flags.data_dir) / "smsgw.db").string()
                         : settings.config.store.path;
  std::error_code ec;
  const auto parent = std::filesystem::path(settings.db_path).parent_path();
  if (!parent.empty()) {
    std::filesystem::create_directories(parent, ec);
    if (ec) {
      return core::MakeError(core::Errc::kUnavailable,
                             "cannot create " + parent.string() + ": " + ec.message());
    }
  }
  return settings;
}

}  // namespace smsgw::app
