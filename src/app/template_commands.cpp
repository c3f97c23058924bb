// `smsgw template add|list|show|update|delete`: an account's message templates, straight on the
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

struct TemplateFlags {
  CommonFlags common;
  bool json = false;
  bool no_senders = false;
  std::string sid, template_id, text, type, name;
  std::vector<std::string> senders;
  // Which optional flags `update` was given.
  CLI::Option* text_opt = nullptr;
  CLI::Option* type_opt = nullptr;
  CLI::Option* name_opt = nullptr;
  CLI::Option* senders_opt = nullptr;
};

void Set(rapidjson::Document& doc, const char* key, const std::string& value) {
  auto& a = doc.GetAllocator();
  doc.AddMember(rapidjson::StringRef(key),
                rapidjson::Value(value.data(), static_cast<rapidjson::SizeType>(value.size()), a),
                a);
}

void SetList(rapidjson::Document& doc, const char* key, const std::vector<std::string>& values) {
  auto& a = doc.GetAllocator();
  rapidjson::Value list(rapidjson::kArrayType);
  for (const std::string& v : values) {
    list.PushBack(rapidjson::Value(v.data(), static_cast<rapidjson::SizeType>(v.size()), a), a);
  }
  doc.AddMember(rapidjson::StringRef(key), list, a);
}

void PrintTemplate(const store::Template& t, bool json) {
  if (json) {
    std::cout << api::TemplateJson(t) << "\n";
    return;
  }
  std::string senders;
  for (const std::string& s : t.senders) {
    senders += (senders.empty() ? "" : ", ") + s;
  }
  std::cout << "template_id: " << t.template_id << "\n"
            << "name:        " << t.name << "\n"
            << "type:        " << (t.type ? core::ToString(*t.type) : "any") << "\n"
            << "senders:     " << (senders.empty() ? "any" : senders) << "\n"
            << "text:        " << t.text << "\n"
            << "updated:     " << core::FormatUtc(t.updated_at) << "\n";
}

void AddIdFlags(CLI::App& cmd, TemplateFlags& f) {
  cmd.add_option("--sid", f.sid, "account SID")->required();
  cmd.add_option("--template-id", f.template_id, "the template id (12-30 digits)")->required();
  AddCommonFlags(cmd, f.common);
}

}  // namespace

void AddTemplateCommands(CLI::App& app, Commands& commands) {
  auto f = std::make_shared<TemplateFlags>();
  CLI::App* group = app.add_subcommand("template", "manage an account's message templates");
  group->require_subcommand(1);

  CLI::App* add = group->add_subcommand("add", "register a template");
  AddIdFlags(*add, *f);
  add->add_option("--text", f->text, "the text, with {#name#} placeholders")->required();
  add->add_option("--type", f->type, "the route type it is approved for (default: any)");
  add->add_option("--sender", f->senders, "a sender it is approved for (repeat; default: any)")
      ->allow_extra_args(false);
  add->add_option("--name", f->name, "a name for people");
  add->add_flag("--json", f->json, "print JSON");
  commands.push_back({add, [f] {
                        return WithStore(f->common, [&](const Settings& s, OpenedStore& store) {
                          rapidjson::Document doc;
                          doc.SetObject();
                          Set(doc, "template_id", f->template_id);
                          Set(doc, "text", f->text);
                          if (!f->type.empty()) {
                            Set(doc, "type", f->type);
                          }
                          SetList(doc, "senders", f->senders);
                          Set(doc, "name", f->name);
                          auto t = api::ValidateTemplateCreate(doc, f->sid, s.config.region,
                                                               std::chrono::system_clock::now());
                          if (!t) {
                            return FailFields(t.error());
                          }
                          if (auto created = store.templates->CreateTemplate(*t); !created) {
                            return FailStore(created.error(), f->sid);
                          }
                          if (f->json) {
                            PrintTemplate(*t, true);
                          } else {
                            std::cout << "template " << t->template_id << " added to " << t->sid
                                      << "\n";
                          }
                          return 0;
                        });
                      }});

  CLI::App* list = group->add_subcommand("list", "list an account's templates");
  list->add_option("--sid", f->sid, "account SID")->required();
  list->add_flag("--json", f->json, "print JSON");
  AddCommonFlags(*list, f->common);
  commands.push_back({list, [f] {
                        return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
                          auto listed = store.templates->ListTemplates(f->sid);
                          if (!listed) {
                            return FailStore(listed.error(), f->sid);
                          }
                          if (f->json) {
                            std::cout << api::TemplateListJson(*listed) << "\n";
                            return 0;
                          }
                          for (const store::Template& t : *listed) {
                            std::cout << t.template_id << "  "
                                      << (t.type ? core::ToString(*t.type) : "any") << "  "
                                      << t.name << "  " << t.text << "\n";
                          }
                          return 0;
                        });
                      }});

  CLI::App* show = group->add_subcommand("show", "show one template");
  AddIdFlags(*show, *f);
  show->add_flag("--json", f->json, "print JSON");
  commands.push_back({show, [f] {
                        return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
                          auto got = store.templates->GetTemplate(f->sid, f->template_id);
                          if (!got) {
                            return FailStore(got.error(), f->sid);
                          }
                          PrintTemplate(*got, f->json);
                          return 0;
                        });
                      }});

  CLI::App* update = group->add_subcommand("update", "change a template (only the given flags)");
  AddIdFlags(*update, *f);
  f->text_opt = update->add_option("--text", f->text, "the new text");
  f->type_opt = update->add_option("--type", f->type, "the new route type, or 'none' for any");
  f->senders_opt =
      update->add_option("--sender", f->senders, "replace the senders with these (repeat)")
          ->allow_extra_args(false);
  update->add_flag("--no-senders", f->no_senders, "clear the senders (any sender)")
      ->excludes(f->senders_opt);
  f->name_opt = update->add_option("--name", f->name, "the new name");
  update->add_flag("--json", f->json, "print the template as JSON");
  commands.push_back(
      {update, [f] {
         if (f->text_opt->count() + f->type_opt->count() + f->senders_opt->count() +
                     f->name_opt->count() ==
                 0 &&
             !f->no_senders) {
           return Fail("nothing to change: give --text, --type, --sender, --no-senders or --name");
         }
         return WithStore(f->common, [&](const Settings& s, OpenedStore& store) {
           rapidjson::Document doc;
           doc.SetObject();
           if (f->text_opt->count() > 0) {
             Set(doc, "text", f->text);
           }
           if (f->type_opt->count() > 0) {
             if (f->type == "none") {
               doc.AddMember("type", rapidjson::Value(), doc.GetAllocator());
             } else {
               Set(doc, "type", f->type);
             }
           }
           if (f->senders_opt->count() > 0 || f->no_senders) {
             SetList(doc, "senders", f->senders);
           }
           if (f->name_opt->count() > 0) {
             Set(doc, "name", f->name);
           }
           auto change = api::ValidateTemplateChange(doc, f->template_id, api::UpdateMode::kPatch,
                                                     s.config.region);
           if (!change) {
             return FailFields(change.error());
           }
           auto updated = store.templates->UpdateTemplate(f->sid, f->template_id, *change,
                                                          std::chrono::system_clock::now());
           if (!updated) {
             return FailStore(updated.error(), f->sid);
           }
           if (f->json) {
             PrintTemplate(*updated, true);
           } else {
             std::cout << "template " << f->template_id << " updated\n";
           }
           return 0;
         });
       }});

  CLI::App* remove = group->add_subcommand("delete", "delete a template");
  AddIdFlags(*remove, *f);
  commands.push_back({remove, [f] {
                        return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
                          auto deleted = store.templates->DeleteTemplate(f->sid, f->template_id);
                          if (!deleted) {
                            return FailStore(deleted.error(), f->sid);
                          }
                          std::cout << "template " << f->template_id << " deleted\n";
                          return 0;
                        });
                      }});
}

}  // namespace smsgw::app
