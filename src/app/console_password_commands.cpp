// `smsgw console-password set --sid SID`: an account's password for the web console
// (docs/console.md), read from stdin (one line, so that it stays out of the shell's history and
// the process list); only a PBKDF2 hash with a new salt is stored, as for SMPP credentials.
// `smsgw console-password remove --sid SID`: the account signs in with API keys only; sessions
// signed in with the password end at their next request.

#include <iostream>
#include <memory>
#include <string>

#include "app/command.h"
#include "core/ids.h"
#include "core/time.h"

namespace smsgw::app {
namespace {

struct ConsolePasswordFlags {
  CommonFlags common;
  std::string sid;
};

// Long enough to resist guessing at the sign-in rate limit; bounded so hashing stays cheap.
constexpr size_t kMinPasswordLength = 12;
constexpr size_t kMaxPasswordLength = 256;

}  // namespace

void AddConsolePasswordCommands(CLI::App& app, Commands& commands) {
  auto f = std::make_shared<ConsolePasswordFlags>();
  CLI::App* group = app.add_subcommand("console-password", "manage accounts' console passwords");
  group->require_subcommand(1);

  CLI::App* set = group->add_subcommand(
      "set", "set an account's console password, read as one line from stdin");
  set->add_option("--sid", f->sid, "account SID")->required();
  AddCommonFlags(*set, f->common);
  commands.push_back(
      {set, [f] {
         std::string password;
         if (!std::getline(std::cin, password)) {
           return Fail("no password on stdin");
         }
         if (!password.empty() && password.back() == '\r') {
           password.pop_back();
         }
         if (password.size() < kMinPasswordLength || password.size() > kMaxPasswordLength) {
           return Fail("the password must have 12 to 256 characters");
         }
         return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
           const std::string salt = core::NewSalt();
           auto stored = store.console_passwords->SetConsolePassword(
               f->sid, salt, core::PasswordHashHex(salt, password), core::SystemClock().Now());
           if (!stored) {
             return FailStore(stored.error(), f->sid);
           }
           std::cout << "console password set for " << f->sid << "\n";
           return 0;
         });
       }});

  CLI::App* remove = group->add_subcommand(
      "remove", "remove an account's console password (sign in with API keys only)");
  remove->add_option("--sid", f->sid, "account SID")->required();
  AddCommonFlags(*remove, f->common);
  commands.push_back({remove, [f] {
                        return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
                          auto removed = store.console_passwords->RemoveConsolePassword(f->sid);
                          if (!removed) {
                            return FailStore(removed.error(), f->sid);
                          }
                          std::cout << "console password removed for " << f->sid << "\n";
                          return 0;
                        });
                      }});
}

}  // namespace smsgw::app
