#pragma once
// How the binary's subcommands plug into main: each group (serve, account, key, ...) lives in
// its own file, adds its CLI11 subcommands with their flags, and registers what to run when one
// of them was parsed. Startup errors are a one-line reason on stderr and a non-zero exit.

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "api/errors.h"
#include "app/accounts.h"
#include "app/settings.h"
#include "app/wiring.h"

namespace smsgw::app {

struct Command {
  CLI::App* cli;
  std::function<int()> run;  // the exit code
};
using Commands = std::vector<Command>;

// Prints "smsgw: <reason>" to stderr and returns 1.
int Fail(const std::string& reason);

// Fails with every reason of `errors` on one line, separated by "; ".
int FailFields(const std::vector<api::FieldError>& errors);

// Fails with the store's message, or "no account SID" when the account does not exist.
int FailStore(const core::Error& error, std::string_view sid);

// `s` as a JSON string literal, quotes included.
std::string JsonString(std::string_view s);

// --config and --data, for commands that read the configuration and the store.
void AddCommonFlags(CLI::App& cmd, CommonFlags& flags);

// Resolves the settings, opens the store and runs `body` with them; a failure on the way is
// reported by Fail.
int WithStore(const CommonFlags& flags,
              const std::function<int(const Settings&, OpenedStore&)>& body);

// The SID and key of a new account or key, plain or as JSON.
void PrintCredentials(const NewCredentials& credentials, bool json);

void AddServeCommand(CLI::App& app, Commands& commands);
void AddAccountCommands(CLI::App& app, Commands& commands);
void AddKeyCommands(CLI::App& app, Commands& commands);
void AddSmppCredentialCommands(CLI::App& app, Commands& commands);
void AddConsolePasswordCommands(CLI::App& app, Commands& commands);
void AddTemplateCommands(CLI::App& app, Commands& commands);
void AddSenderCommands(CLI::App& app, Commands& commands);
void AddCallbackProfileCommands(CLI::App& app, Commands& commands);
void AddInboundCommands(CLI::App& app, Commands& commands);
void AddInboundNumberCommands(CLI::App& app, Commands& commands);
void AddOptOutCommands(CLI::App& app, Commands& commands);
void AddCountryCapCommands(CLI::App& app, Commands& commands);
void AddWebhookCommands(CLI::App& app, Commands& commands);
void AddSmppSendCommand(CLI::App& app, Commands& commands);
void AddSmscSimCommand(CLI::App& app, Commands& commands);
void AddDeliveryCommands(CLI::App& app, Commands& commands);
void AddClusterCommands(CLI::App& app, Commands& commands);

}  // namespace smsgw::app
