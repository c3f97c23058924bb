// `smsgw inbound-number add|list|remove`: the long and short codes (and keywords on them) an
// account receives inbound SMS on, straight on the store. The flags become the same JSON object
// `POST /ext/v1/{sid}/inbound-numbers` takes, so both go through api/inbound_number_requests.h.

#include <rapidjson/document.h>

#include <chrono>
#include <iostream>
#include <memory>

#include "api/inbound_number_requests.h"
#include "api/inline_callback.h"
#include "app/command.h"
#include "app/webhook_runtime.h"
#include "core/ids.h"
#include "core/time.h"

namespace smsgw::app {
namespace {

struct NumberFlags {
  CommonFlags common;
  bool json = false;
  std::string sid, id, number, keyword, expires, callback, callback_url, callback_profile_id,
      target;
};

void Set(rapidjson::Document& doc, const char* key, const std::string& value) {
  auto& a = doc.GetAllocator();
  doc.AddMember(rapidjson::StringRef(key),
                rapidjson::Value(value.data(), static_cast<rapidjson::SizeType>(value.size()), a),
                a);
}

rapidjson::Document FieldsOf(const NumberFlags& f) {
  rapidjson::Document doc;
  doc.SetObject();
  Set(doc, "number", f.number);
  for (auto [key, value] :
       {std::pair{"keyword", &f.keyword}, std::pair{"expires", &f.expires},
        std::pair{"callback", &f.callback},
        std::pair{"callback_profile_id", &f.callback_profile_id}, std::pair{"target", &f.target}}) {
    if (!value->empty()) {
      Set(doc, key, *value);
    }
  }
  if (!f.callback_url.empty()) {
    // The inline callback's short form: {"url": ...}, checked like any other.
    rapidjson::Value callback(rapidjson::kObjectType);
    auto& a = doc.GetAllocator();
    callback.AddMember("url", rapidjson::Value(f.callback_url.c_str(), a), a);
    doc.AddMember("callback", callback, a);
  }
  return doc;
}

void PrintEntry(const store::InboundNumber& e) {
  std::cout << e.id << "  " << e.number << "  " << (e.keyword.empty() ? "-" : e.keyword) << "  "
            << (e.expires_at ? "expires " + core::FormatUtc(*e.expires_at) : "no expiry") << "  "
            << (e.target == store::InboundTarget::kSmpp ? "smpp"
                : !e.callback_profile_id.empty()        ? e.callback_profile_id
                : !e.callback.empty()                   ? api::MaskedInlineCallback(e.callback)
                                                        : "default profile")
            << "\n";
}

}  // namespace

void AddInboundNumberCommands(CLI::App& app, Commands& commands) {
  auto f = std::make_shared<NumberFlags>();
  CLI::App* group = app.add_subcommand(
      "inbound-number", "manage the numbers and keywords an account receives SMS on");
  group->require_subcommand(1);

  CLI::App* add = group->add_subcommand("add", "add a number (or a keyword on a number)");
  add->add_option("--sid", f->sid, "account SID")->required();
  add->add_option("--number", f->number, "+E.164 long code, or a short code of 3-8 digits")
      ->required();
  add->add_option("--keyword", f->keyword, "first word of the messages to receive (optional)");
  add->add_option("--expires", f->expires,
                  "when the entry ends: 'YYYY-MM-DD HH:MM:SS' (UTC) or ISO-8601 with offset");
  auto* callback =
      add->add_option("--callback", f->callback, "inline callback as JSON, as in a send request");
  auto* url = add->add_option("--callback-url", f->callback_url, "inline callback: just its URL")
                  ->excludes(callback);
  add->add_option("--callback-profile-id", f->callback_profile_id, "a callback profile's id")
      ->excludes(callback)
      ->excludes(url);
  add->add_option("--target", f->target,
                  "webhook (default) or smpp: to the account's SMPP receiver binds instead");
  add->add_flag("--json", f->json, "print JSON");
  AddCommonFlags(*add, f->common);
  commands.push_back(
      {add, [f] {
         return WithStore(f->common, [&](const Settings& s, OpenedStore& store) {
           auto entry = api::ValidateInboundNumber(
               FieldsOf(*f), f->sid, core::NewUuid(), s.config.region,
               std::chrono::system_clock::now(), ConfiguredEgressPolicy(s.config));
           if (!entry) {
             return FailFields(entry.error());
           }
           if (!entry->callback_profile_id.empty()) {
             auto profile =
                 store.callback_profiles->GetCallbackProfile(f->sid, entry->callback_profile_id);
             if (!profile && profile.error().code == core::Errc::kNotFound) {
               return FailFields({api::UnknownCallbackProfile(entry->callback_profile_id)});
             }
             if (!profile) {
               return FailStore(profile.error(), f->sid);
             }
           }
           if (auto created = store.inbound_numbers->CreateInboundNumber(*entry); !created) {
             if (created.error().code == core::Errc::kConflict) {
               return FailFields({api::InboundNumberTaken(*entry)});
             }
             return FailStore(created.error(), f->sid);
           }
           if (f->json) {
             std::cout << api::InboundNumberJson(*entry) << "\n";
           } else {
             std::cout << "inbound number " << entry->id << " added to " << f->sid << ": "
                       << entry->number << (entry->keyword.empty() ? "" : " " + entry->keyword)
                       << "\n";
           }
           return 0;
         });
       }});

  CLI::App* list = group->add_subcommand("list", "list an account's inbound numbers");
  list->add_option("--sid", f->sid, "account SID")->required();
  list->add_flag("--json", f->json, "print JSON");
  AddCommonFlags(*list, f->common);
  commands.push_back({list, [f] {
                        return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
                          auto listed = store.inbound_numbers->ListInboundNumbers(f->sid);
                          if (!listed) {
                            return FailStore(listed.error(), f->sid);
                          }
                          if (f->json) {
                            std::cout << api::InboundNumberListJson(*listed) << "\n";
                            return 0;
                          }
                          for (const store::InboundNumber& e : *listed) {
                            PrintEntry(e);
                          }
                          return 0;
                        });
                      }});

  CLI::App* remove = group->add_subcommand("remove", "remove an inbound number entry");
  remove->add_option("--sid", f->sid, "account SID")->required();
  remove->add_option("--id", f->id, "the entry's id (from add or list)")->required();
  AddCommonFlags(*remove, f->common);
  commands.push_back({remove, [f] {
                        return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
                          auto deleted = store.inbound_numbers->DeleteInboundNumber(f->sid, f->id);
                          if (!deleted) {
                            if (deleted.error().code == core::Errc::kNotFound &&
                                !deleted.error().message.starts_with("no account")) {
                              return Fail("no inbound number " + f->id + " for " + f->sid);
                            }
                            return FailStore(deleted.error(), f->sid);
                          }
                          std::cout << "inbound number " << f->id << " removed\n";
                          return 0;
                        });
                      }});
}

}  // namespace smsgw::app
