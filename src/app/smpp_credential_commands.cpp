// `smsgw smpp-credential create|list|revoke`: the SMPP credentials customers bind with
// (docs/smpp-server.md). A password is printed once, by create; list never shows one.

#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "app/accounts.h"
#include "app/command.h"
#include "core/time.h"

namespace smsgw::app {
namespace {

struct SmppCredentialFlags {
  CommonFlags common;
  bool json = false;
  std::string sid, system_id;
  std::optional<int64_t> max_rate;
  std::string type;
};

}  // namespace

void AddSmppCredentialCommands(CLI::App& app, Commands& commands) {
  auto f = std::make_shared<SmppCredentialFlags>();
  CLI::App* group =
      app.add_subcommand("smpp-credential", "manage the SMPP credentials customers bind with");
  group->require_subcommand(1);

  CLI::App* create = group->add_subcommand("create", "add an SMPP credential to an account");
  create->add_option("--sid", f->sid, "account SID")->required();
  create->add_option("--system-id", f->system_id,
                     "the system_id (1 to 15 characters); a new one when not given");
  create->add_option("--max-rate", f->max_rate,
                     "messages a second its binds may submit together (0: unlimited); "
                     "[smpp_server] max_rate when not given");
  create->add_option("--type", f->type,
                     "the message type of its submits (OTP, TXN, TXND, MKT, DEFAULT); "
                     "the template's or the region's default when not given");
  create->add_flag("--json", f->json, "print JSON");
  AddCommonFlags(*create, f->common);
  commands.push_back({create, [f] {
                        return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
                          auto created = CreateSmppCredential(*store.smpp_credentials, f->sid,
                                                              f->system_id, f->max_rate, f->type);
                          if (!created) {
                            if (created.error().code == core::Errc::kInvalidArgument) {
                              return Fail(created.error().message);
                            }
                            return FailStore(created.error(), f->sid);
                          }
                          if (f->json) {
                            std::cout << "{\"system_id\": " << JsonString(created->system_id)
                                      << ", \"password\": " << JsonString(created->password)
                                      << "}\n";
                          } else {
                            std::cout << "system_id: " << created->system_id
                                      << "\npassword:  " << created->password
                                      << "\n(the password is shown only this once)\n";
                          }
                          return 0;
                        });
                      }});

  CLI::App* list = group->add_subcommand("list", "list an account's SMPP credentials");
  list->add_option("--sid", f->sid, "account SID")->required();
  list->add_flag("--json", f->json, "print JSON");
  AddCommonFlags(*list, f->common);
  commands.push_back(
      {list, [f] {
         return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
           auto listed = store.smpp_credentials->ListSmppCredentials(f->sid);
           if (!listed) {
             return FailStore(listed.error(), f->sid);
           }
           if (f->json) {
             std::cout << "[";
           }
           bool first = true;
           for (const store::SmppCredential& c : *listed) {
             const std::string created = core::FormatIso8601(c.created_at);
             const std::string revoked = c.revoked_at ? core::FormatIso8601(*c.revoked_at) : "";
             if (f->json) {
               std::cout << (first ? "" : ", ") << "{\"system_id\": " << JsonString(c.system_id)
                         << ", \"created_at\": " << JsonString(created)
                         << ", \"revoked_at\": " << (c.revoked_at ? JsonString(revoked) : "null")
                         << ", \"max_rate\": "
                         << (c.max_rate ? std::to_string(*c.max_rate) : "null")
                         << ", \"type\": " << (c.type.empty() ? "null" : JsonString(c.type)) << "}";
             } else {
               std::cout << c.system_id << "  created " << created
                         << (c.max_rate ? "  max-rate " + std::to_string(*c.max_rate) : "")
                         << (c.type.empty() ? "" : "  type " + c.type)
                         << (c.revoked_at ? "  revoked " + revoked : "") << "\n";
             }
             first = false;
           }
           if (f->json) {
             std::cout << "]\n";
           }
           return 0;
         });
       }});

  CLI::App* revoke = group->add_subcommand(
      "revoke", "revoke an SMPP credential; its open binds are closed within a second");
  revoke->add_option("--sid", f->sid, "account SID")->required();
  revoke->add_option("--system-id", f->system_id, "the credential's system_id")->required();
  AddCommonFlags(*revoke, f->common);
  commands.push_back({revoke, [f] {
                        return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
                          auto revoked =
                              store.smpp_credentials->RevokeSmppCredential(f->sid, f->system_id);
                          if (!revoked) {
                            return Fail(revoked.error().code == core::Errc::kNotFound
                                            ? "no active SMPP credential " + f->system_id +
                                                  " for account " + f->sid
                                            : revoked.error().message);
                          }
                          std::cout << "revoked\n";
                          return 0;
                        });
                      }});
}

}  // namespace smsgw::app
