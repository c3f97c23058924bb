// smsgw: the gateway binary. Each subcommand group lives in its own *_command(s).cpp and
// registers itself here; startup errors exit non-zero with a one-line reason on stderr.

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>

#include "app/command.h"

namespace smsgw::app {
namespace {

int Run(int argc, char** argv) {
  CLI::App app{"smsgw: a self-hosted SMS gateway with a Kaleyra-compatible API"};
  app.require_subcommand(1);
  Commands commands;
  AddServeCommand(app, commands);
  AddAccountCommands(app, commands);
  AddKeyCommands(app, commands);
  AddSmppCredentialCommands(app, commands);
  AddConsolePasswordCommands(app, commands);
  AddTemplateCommands(app, commands);
  AddSenderCommands(app, commands);
  AddCallbackProfileCommands(app, commands);
  AddInboundCommands(app, commands);
  AddInboundNumberCommands(app, commands);
  AddOptOutCommands(app, commands);
  AddCountryCapCommands(app, commands);
  AddWebhookCommands(app, commands);
  AddSmppSendCommand(app, commands);
  AddSmscSimCommand(app, commands);
  AddDeliveryCommands(app, commands);
  AddClusterCommands(app, commands);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  for (const Command& command : commands) {
    if (command.cli->parsed()) {
      return command.run();
    }
  }
  return Fail("no command given");
}

}  // namespace
}  // namespace smsgw::app

int main(int argc, char** argv) {
  // Logs go to stderr; stdout carries what the user asked for (credentials, the listen line).
  spdlog::set_default_logger(spdlog::stderr_color_mt("smsgw"));
  try {
    return smsgw::app::Run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "smsgw: " << e.what() << "\n";
    return 1;
  }
}
