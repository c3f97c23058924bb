// `smsgw opt-out add|remove|list`: an account's opted-out handsets, as /ext/v1/{sid}/opt-outs
// manages them (docs/api/opt-outs.md), through the same validation.

#include <rapidjson/document.h>

#include <iostream>
#include <memory>

#include "api/opt_out_requests.h"
#include "app/command.h"

namespace smsgw::app {
namespace {

struct OptOutFlags {
  CommonFlags common;
  std::string sid, recipient, sender;
  bool json = false;
};

rapidjson::Document FieldsOf(const OptOutFlags& f) {
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  doc.AddMember("recipient", rapidjson::Value(f.recipient.c_str(), a), a);
  if (!f.sender.empty()) {
    doc.AddMember("sender", rapidjson::Value(f.sender.c_str(), a), a);
  }
  return doc;
}

}  // namespace

void AddOptOutCommands(CLI::App& app, Commands& commands) {
  auto f = std::make_shared<OptOutFlags>();
  CLI::App* group = app.add_subcommand(
      "opt-out", "manage the handsets an account must not send to (STOP replies and by hand)");
  group->require_subcommand(1);

  CLI::App* add = group->add_subcommand("add", "opt a handset out of a sender, or of all");
  add->add_option("--sid", f->sid, "account SID")->required();
  add->add_option("--recipient", f->recipient, "the handset, E.164")->required();
  add->add_option("--sender", f->sender, "the sender ID or number (default: every sender)");
  AddCommonFlags(*add, f->common);
  commands.push_back({add, [f] {
                        return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
                          auto opt_out = api::ValidateOptOut(FieldsOf(*f), f->sid, "cli",
                                                             std::chrono::system_clock::now());
                          if (!opt_out) {
                            return FailFields(opt_out.error());
                          }
                          if (auto added = store.opt_outs->AddOptOut(*opt_out); !added) {
                            return FailStore(added.error(), f->sid);
                          }
                          std::cout << opt_out->recipient << " opted out of "
                                    << (opt_out->sender.empty() ? "every sender" : opt_out->sender)
                                    << " for " << f->sid << "\n";
                          return 0;
                        });
                      }});

  CLI::App* remove = group->add_subcommand("remove", "remove an opt-out");
  remove->add_option("--sid", f->sid, "account SID")->required();
  remove->add_option("--recipient", f->recipient, "the handset, E.164")->required();
  remove->add_option("--sender", f->sender, "the sender ID or number (default: every sender)");
  AddCommonFlags(*remove, f->common);
  commands.push_back(
      {remove, [f] {
         return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
           auto opt_out =
               api::ValidateOptOut(FieldsOf(*f), f->sid, "cli", std::chrono::system_clock::now());
           if (!opt_out) {
             return FailFields(opt_out.error());
           }
           auto removed = store.opt_outs->RemoveOptOut(f->sid, opt_out->recipient, opt_out->sender);
           if (!removed && removed.error().code == core::Errc::kNotFound) {
             return Fail("no such opt-out for " + f->sid);
           }
           if (!removed) {
             return FailStore(removed.error(), f->sid);
           }
           std::cout << "removed\n";
           return 0;
         });
       }});

  CLI::App* list = group->add_subcommand("list", "list an account's opt-outs");
  list->add_option("--sid", f->sid, "account SID")->required();
  list->add_option("--recipient", f->recipient, "only this handset's");
  list->add_flag("--json", f->json, "print JSON");
  AddCommonFlags(*list, f->common);
  commands.push_back(
      {list, [f] {
         return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
           std::string recipient;
           if (!f->recipient.empty()) {
             auto opt_out =
                 api::ValidateOptOut(FieldsOf(*f), f->sid, "cli", std::chrono::system_clock::now());
             if (!opt_out) {
               return FailFields(opt_out.error());
             }
             recipient = opt_out->recipient;
           }
           std::vector<store::OptOut> all;
           std::optional<store::OptOutStore::Cursor> after;
           for (;;) {
             auto page = store.opt_outs->ListOptOuts(f->sid, recipient, after, 1000);
             if (!page) {
               return FailStore(page.error(), f->sid);
             }
             all.insert(all.end(), page->begin(), page->end());
             if (page->size() < 1000) {
               break;
             }
             after = store::OptOutStore::Cursor{page->back().recipient, page->back().sender};
           }
           if (f->json) {
             std::cout << api::OptOutPageJson(all, 0) << "\n";
             return 0;
           }
           for (const store::OptOut& o : all) {
             std::cout << o.recipient << "  " << (o.sender.empty() ? "*" : o.sender) << "  "
                       << o.source << "  " << core::FormatUtc(o.created_at) << "\n";
           }
           return 0;
         });
       }});
}

}  // namespace smsgw::app
