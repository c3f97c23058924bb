// `smsgw sender add|list|show|update|delete`: an account's registered sender IDs, straight on the
// store (a running `serve` sees the change at once through the store's registry version). The
// flags become the same JSON object the API takes, so both go through api/registry_requests.h.

#include <rapidjson/document.h>

#include <chrono>
#include <iostream>
#include <memory>

#include "api/registry_requests.h"
#include "app/command.h"
#include "core/time.h"

namespace smsgw::app {
namespace {

struct SenderFlags {
  CommonFlags common;
  bool json = false;
  std::string sid, sender, entity_id, iso_code, description;
  // Which optional flags were given (update changes only those).
  CLI::Option* entity_opt = nullptr;
  CLI::Option* iso_opt = nullptr;
  CLI::Option* description_opt = nullptr;
};

void Set(rapidjson::Document& doc, const char* key, const std::string& value) {
  auto& a = doc.GetAllocator();
  doc.AddMember(rapidjson::StringRef(key),
                rapidjson::Value(value.data(), static_cast<rapidjson::SizeType>(value.size()), a),
                a);
}

void PrintSender(const store::Sender& s, bool json) {
  if (json) {
    std::cout << api::SenderJson(s) << "\n";
    return;
  }
  std::cout << "sender:      " << s.sender << "\n"
            << "entity_id:   " << s.entity_id << "\n"
            << "iso_code:    " << s.iso_code << "\n"
            << "description: " << s.description << "\n"
            << "updated:     " << core::FormatUtc(s.updated_at) << "\n";
}

// --sid and --sender, then --entity-id, --iso-code and --description (recorded in `f`).
void AddFlags(CLI::App& cmd, SenderFlags& f, bool fields) {
  cmd.add_option("--sid", f.sid, "account SID")->required();
  cmd.add_option("--sender", f.sender, "the sender ID")->required();
  if (fields) {
    f.entity_opt = cmd.add_option("--entity-id", f.entity_id,
                                  "DLT principal-entity id, 12-30 digits (required in region IN)");
    f.iso_opt = cmd.add_option("--iso-code", f.iso_code, "ISO 3166-1 country code, e.g. IN");
    f.description_opt = cmd.add_option("--description", f.description, "free text");
  }
  AddCommonFlags(cmd, f.common);
}

// The given field flags as a JSON object (only those given).
rapidjson::Document FieldsOf(const SenderFlags& f) {
  rapidjson::Document doc;
  doc.SetObject();
  Set(doc, "sender", f.sender);
  if (f.entity_opt->count() > 0) {
    Set(doc, "entity_id", f.entity_id);
  }
  if (f.iso_opt->count() > 0) {
    Set(doc, "iso_code", f.iso_code);
  }
  if (f.description_opt->count() > 0) {
    Set(doc, "description", f.description);
  }
  return doc;
}

}  // namespace

void AddSenderCommands(CLI::App& app, Commands& commands) {
  // One flags object per subcommand that records given options (they hold Option pointers).
  auto f = std::make_shared<SenderFlags>();
  auto fu = std::make_shared<SenderFlags>();
  CLI::App* group = app.add_subcommand("sender", "manage an account's registered sender IDs");
  group->require_subcommand(1);

  CLI::App* add =
      group->add_subcommand("add", "register a sender ID (again: replaces its details)");
  AddFlags(*add, *f, true);
  add->add_flag("--json", f->json, "print JSON");
  commands.push_back(
      {add, [f] {
         return WithStore(f->common, [&](const Settings& s, OpenedStore& store) {
           auto sender = api::ValidateSenderEntry(FieldsOf(*f), f->sid, s.config.region);
           if (!sender) {
             return FailFields(sender.error());
           }
           auto outcomes = store.senders->RegisterSenders(f->sid, std::vector{*sender},
                                                          std::chrono::system_clock::now());
           if (!outcomes) {
             return FailStore(outcomes.error(), f->sid);
           }
           if (f->json) {
             api::SenderRegistration registration{{*sender}, {}};
             std::cout << api::SenderRegistrationJson(registration, *outcomes) << "\n";
           } else {
             const bool created = outcomes->front() == store::RegisterOutcome::kCreated;
             std::cout << "sender " << sender->sender
                       << (created ? " registered for " : " updated for ") << f->sid << "\n";
           }
           return 0;
         });
       }});

  CLI::App* list = group->add_subcommand("list", "list an account's sender IDs");
  list->add_option("--sid", f->sid, "account SID")->required();
  list->add_flag("--json", f->json, "print JSON");
  AddCommonFlags(*list, f->common);
  commands.push_back({list, [f] {
                        return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
                          auto listed = store.senders->ListSenders(f->sid);
                          if (!listed) {
                            return FailStore(listed.error(), f->sid);
                          }
                          if (f->json) {
                            std::cout << api::SenderListJson(*listed) << "\n";
                            return 0;
                          }
                          for (const store::Sender& s : *listed) {
                            std::cout << s.sender << "  " << s.entity_id << "  " << s.iso_code
                                      << "  " << s.description << "\n";
                          }
                          return 0;
                        });
                      }});

  CLI::App* show = group->add_subcommand("show", "show one sender ID");
  AddFlags(*show, *f, false);
  show->add_flag("--json", f->json, "print JSON");
  commands.push_back({show, [f] {
                        return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
                          auto got = store.senders->GetSender(f->sid, f->sender);
                          if (!got) {
                            return FailStore(got.error(), f->sid);
                          }
                          PrintSender(*got, f->json);
                          return 0;
                        });
                      }});

  CLI::App* update = group->add_subcommand("update", "change a sender ID (only the given flags)");
  AddFlags(*update, *fu, true);
  update->add_flag("--json", fu->json, "print the sender as JSON");
  commands.push_back(
      {update, [fu] {
         if (fu->entity_opt->count() + fu->iso_opt->count() + fu->description_opt->count() == 0) {
           return Fail("nothing to change: give --entity-id, --iso-code or --description");
         }
         return WithStore(fu->common, [&](const Settings& s, OpenedStore& store) {
           auto change = api::ValidateSenderChange(FieldsOf(*fu), fu->sender,
                                                   api::UpdateMode::kPatch, s.config.region);
           if (!change) {
             return FailFields(change.error());
           }
           auto updated = store.senders->UpdateSender(fu->sid, fu->sender, *change,
                                                      std::chrono::system_clock::now());
           if (!updated) {
             return FailStore(updated.error(), fu->sid);
           }
           if (fu->json) {
             PrintSender(*updated, true);
           } else {
             std::cout << "sender " << fu->sender << " updated\n";
           }
           return 0;
         });
       }});

  CLI::App* remove = group->add_subcommand("delete", "delete a sender ID");
  AddFlags(*remove, *f, false);
  commands.push_back({remove, [f] {
                        return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
                          auto deleted = store.senders->DeleteSender(f->sid, f->sender);
                          if (!deleted) {
                            return FailStore(deleted.error(), f->sid);
                          }
                          std::cout << "sender " << f->sender << " deleted\n";
                          return 0;
                        });
                      }});
}

}  // namespace smsgw::app
