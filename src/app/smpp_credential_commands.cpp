// `smsgw smpp-credential create|list|revoke`: the SMPP credentials customers bind with
// (docs/smpp-server.md). A password is printed once, by create; list never shows one. The flags
// of create become the JSON object `POST /ext/v1/{sid}/smpp-credentials` takes, so both go
// through api/smpp_credential_requests.h.

#include <rapidjson/document.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/smpp_credential_api.h"
#include "api/smpp_credential_requests.h"
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
  std::vector<std::string> allow;
  std::string id_format;
};

rapidjson::Document FieldsOf(const SmppCredentialFlags& f) {
  rapidjson::Document doc;
  doc.SetObject();
  auto& a = doc.GetAllocator();
  auto text = [&](const std::string& s) {
    return rapidjson::Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
  };
  if (!f.system_id.empty()) {
    doc.AddMember("system_id", text(f.system_id), a);
  }
  if (f.max_rate) {
    doc.AddMember("max_rate", rapidjson::Value(*f.max_rate), a);
  }
  if (!f.type.empty()) {
    doc.AddMember("type", text(f.type), a);
  }
  if (!f.allow.empty()) {
    rapidjson::Value list(rapidjson::kArrayType);
    for (const std::string& net : f.allow) {
      list.PushBack(text(net), a);
    }
    doc.AddMember("allowed_sources", list, a);
  }
  if (!f.id_format.empty()) {
    doc.AddMember("id_format", text(f.id_format), a);
  }
  return doc;
}

std::string SourcesText(const std::vector<core::IpNetwork>& sources) {
  std::string out;
  for (const core::IpNetwork& net : sources) {
    out += (out.empty() ? "" : ",") + core::FormatIpNetwork(net);
  }
  return out;
}

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
  create->add_option("--allow", f->allow,
                     "a network its binds may come from (10.0.0.0/8, 2001:db8::/32, 192.0.2.7); "
                     "repeat for several, at most 32; anywhere when not given");
  create->add_option("--id-format", f->id_format,
                     "how its message ids read: hex (smsgw's own id, the default) or decimal "
                     "(the same id in digits)");
  create->add_flag("--json", f->json, "print JSON");
  AddCommonFlags(*create, f->common);
  commands.push_back(
      {create, [f] {
         return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
           auto wanted = api::ValidateSmppCredential(FieldsOf(*f));
           if (!wanted) {
             return FailFields(wanted.error());
           }
           auto created = api::CreateSmppCredential(*store.smpp_credentials, f->sid, *wanted,
                                                    std::chrono::system_clock::now());
           if (!created) {
             if (created.error().code == core::Errc::kConflict && !wanted->system_id.empty()) {
               return FailFields({api::SmppSystemIdTaken(wanted->system_id)});
             }
             return FailStore(created.error(), f->sid);
           }
           if (f->json) {
             std::cout << api::NewSmppCredentialJson(created->credential, created->password)
                       << "\n";
           } else {
             std::cout << "system_id: " << created->credential.system_id
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
               std::cout << (first ? "" : ", ") << api::SmppCredentialJson(c);
             } else {
               std::cout << c.system_id << "  created " << created
                         << (c.max_rate ? "  max-rate " + std::to_string(*c.max_rate) : "")
                         << (c.type.empty() ? "" : "  type " + c.type)
                         << (c.allowed_sources.empty()
                                 ? ""
                                 : "  allow " + SourcesText(c.allowed_sources))
                         << (c.id_format == store::SmppIdFormat::kHex ? "" : "  id-format decimal")
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
