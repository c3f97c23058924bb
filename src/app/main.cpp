// smsgw: the gateway binary. Subcommands: serve, account, key. Startup errors exit non-zero
// with a one-line reason on stderr.

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "app/accounts.h"
#include "app/settings.h"
#include "app/wiring.h"
#include "core/time.h"

namespace smsgw::app {
namespace {

int Fail(const std::string& reason) {
  std::cerr << "smsgw: " << reason << "\n";
  return 1;
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

void PrintCredentials(const NewCredentials& c, bool json) {
  if (json) {
    std::cout << "{\"sid\": " << JsonString(c.sid) << ", \"api_key\": " << JsonString(c.api_key)
              << "}\n";
  } else {
    std::cout << "SID:     " << c.sid << "\nAPI key: " << c.api_key
              << "\n(the API key is shown only this once)\n";
  }
}

void AddCommonFlags(CLI::App& cmd, CommonFlags& flags) {
  cmd.add_option("--config", flags.config_file, "TOML configuration file");
  cmd.add_option("--data", flags.data_dir, "data directory (default ./smsgw-data)");
}

int Run(int argc, char** argv) {
  CLI::App app{"smsgw: a self-hosted SMS gateway with a Kaleyra-compatible API"};
  app.require_subcommand(1);
  CommonFlags flags;
  bool json = false;
  std::string name, sid, key;

  CLI::App* serve = app.add_subcommand("serve", "run the gateway");
  AddCommonFlags(*serve, flags);
  serve->add_option_function<std::string>(
      "--listen", [&flags](const std::string& v) { flags.listen = v; },
      "HOST:PORT for the HTTP API (default 127.0.0.1:8080)");

  CLI::App* account = app.add_subcommand("account", "manage accounts");
  account->require_subcommand(1);
  CLI::App* account_create = account->add_subcommand("create", "create an account and its key");
  account_create->add_option("--name", name, "account name")->required();
  account_create->add_flag("--json", json, "print JSON");
  AddCommonFlags(*account_create, flags);
  CLI::App* account_list = account->add_subcommand("list", "list accounts");
  account_list->add_flag("--json", json, "print JSON");
  AddCommonFlags(*account_list, flags);
  std::string smart;
  CLI::App* account_set = account->add_subcommand("set", "change an account's settings");
  account_set->add_option("--sid", sid, "account SID")->required();
  account_set
      ->add_option("--smart-encoding", smart,
                   "replace GSM look-alikes before encoding: on, off, or default (the config's)")
      ->required()
      ->check(CLI::IsMember({"on", "off", "default"}));
  AddCommonFlags(*account_set, flags);

  CLI::App* key_cmd = app.add_subcommand("key", "manage API keys");
  key_cmd->require_subcommand(1);
  CLI::App* key_create = key_cmd->add_subcommand("create", "add an API key to an account");
  key_create->add_option("--sid", sid, "account SID")->required();
  key_create->add_flag("--json", json, "print JSON");
  AddCommonFlags(*key_create, flags);
  CLI::App* key_revoke = key_cmd->add_subcommand("revoke", "revoke an API key");
  key_revoke->add_option("--sid", sid, "account SID")->required();
  key_revoke->add_option("--key", key, "the API key to revoke")->required();
  AddCommonFlags(*key_revoke, flags);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  auto settings = ResolveSettings(flags);
  if (!settings) {
    return Fail(settings.error().message);
  }
  if (serve->parsed()) {
    return Serve(*settings);
  }
  auto store = OpenStore(*settings);
  if (!store) {
    return Fail(settings->db_path + ": " + store.error().message);
  }
  store::AccountStore& accounts = *store->accounts;

  if (account_create->parsed()) {
    auto created = CreateAccountWithKey(accounts, name, settings->config.region);
    if (!created) {
      return Fail(created.error().message);
    }
    PrintCredentials(*created, json);
  } else if (account_list->parsed()) {
    auto list = accounts.ListAccounts();
    if (!list) {
      return Fail(list.error().message);
    }
    if (json) {
      std::cout << "[";
      for (size_t i = 0; i < list->size(); ++i) {
        const store::Account& a = (*list)[i];
        std::cout << (i ? ", " : "") << "{\"sid\": " << JsonString(a.sid)
                  << ", \"name\": " << JsonString(a.name)
                  << ", \"created_at\": " << JsonString(core::FormatUtc(a.created_at))
                  << ", \"active_keys\": " << a.active_keys << "}";
      }
      std::cout << "]\n";
    } else {
      for (const store::Account& a : *list) {
        std::cout << a.sid << "  " << core::FormatUtc(a.created_at) << "  keys: " << a.active_keys
                  << "  " << a.name << "\n";
      }
    }
  } else if (account_set->parsed()) {
    const std::optional<bool> on =
        smart == "default" ? std::nullopt : std::optional<bool>(smart == "on");
    auto set = accounts.SetSmartEncoding(sid, on);
    if (!set) {
      return Fail(set.error().code == core::Errc::kNotFound ? "no account " + sid
                                                            : set.error().message);
    }
    std::cout << "smart encoding for " << sid << ": " << smart << "\n";
  } else if (key_create->parsed()) {
    auto created = CreateKey(accounts, sid);
    if (!created) {
      return Fail(created.error().code == core::Errc::kNotFound ? "no account " + sid
                                                                : created.error().message);
    }
    PrintCredentials(*created, json);
  } else if (key_revoke->parsed()) {
    auto revoked = RevokeKey(accounts, sid, key);
    if (!revoked) {
      return Fail(revoked.error().code == core::Errc::kNotFound
                      ? "no active key like that for account " + sid
                      : revoked.error().message);
    }
    std::cout << "revoked\n";
  }
  return 0;
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
