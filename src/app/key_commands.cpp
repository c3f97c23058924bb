// `smsgw key create|revoke`.

#include <iostream>
#include <memory>

#include "app/accounts.h"
#include "app/command.h"

namespace smsgw::app {
namespace {

struct KeyFlags {
  CommonFlags common;
  bool json = false;
  std::string sid, key;
};

}  // namespace

void AddKeyCommands(CLI::App& app, Commands& commands) {
  auto f = std::make_shared<KeyFlags>();
  CLI::App* key = app.add_subcommand("key", "manage API keys");
  key->require_subcommand(1);

  CLI::App* create = key->add_subcommand("create", "add an API key to an account");
  create->add_option("--sid", f->sid, "account SID")->required();
  create->add_flag("--json", f->json, "print JSON");
  AddCommonFlags(*create, f->common);
  commands.push_back({create, [f] {
                        return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
                          auto created = CreateKey(*store.accounts, f->sid);
                          if (!created) {
                            return Fail(created.error().code == core::Errc::kNotFound
                                            ? "no account " + f->sid
                                            : created.error().message);
                          }
                          PrintCredentials(*created, f->json);
                          return 0;
                        });
                      }});

  CLI::App* revoke = key->add_subcommand("revoke", "revoke an API key");
  revoke->add_option("--sid", f->sid, "account SID")->required();
  revoke->add_option("--key", f->key, "the API key to revoke")->required();
  AddCommonFlags(*revoke, f->common);
  commands.push_back({revoke, [f] {
                        return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
                          auto revoked = RevokeKey(*store.accounts, f->sid, f->key);
                          if (!revoked) {
                            return Fail(revoked.error().code == core::Errc::kNotFound
                                            ? "no active key like that for account " + f->sid
                                            : revoked.error().message);
                          }
                          std::cout << "revoked\n";
                          return 0;
                        });
                      }});
}

}  // namespace smsgw::app
