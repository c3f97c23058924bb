// `smsgw serve`.

#include <memory>

#include "app/command.h"
#include "app/wiring.h"

namespace smsgw::app {

void AddServeCommand(CLI::App& app, Commands& commands) {
  auto flags = std::make_shared<CommonFlags>();
  CLI::App* serve = app.add_subcommand("serve", "run the gateway");
  AddCommonFlags(*serve, *flags);
  serve->add_option_function<std::string>(
      "--listen", [flags](const std::string& v) { flags->listen = v; },
      "HOST:PORT for the HTTP API (default 127.0.0.1:8080)");
  serve->add_option_function<std::string>(
      "--admin-listen", [flags](const std::string& v) { flags->admin_listen = v; },
      "HOST:PORT for /metrics, /healthz and /readyz (default 127.0.0.1:9090; [admin])");
  commands.push_back({serve, [flags] {
                        auto settings = ResolveSettings(*flags);
                        return settings ? Serve(*settings) : Fail(settings.error().message);
                      }});
}

}  // namespace smsgw::app
