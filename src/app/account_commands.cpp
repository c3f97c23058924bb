// `smsgw account create|list|set|set-webhook-secret`.

#include <rapidjson/document.h>

#include <charconv>
#include <iostream>
#include <memory>
#include <tuple>

#include "api/webhook_requests.h"
#include "app/accounts.h"
#include "app/command.h"
#include "core/time.h"

namespace smsgw::app {
namespace {

struct AccountFlags {
  CommonFlags common;
  bool json = false;
  std::string name, sid, smart, registered_senders, secret, sends_per_second, recipients_per_second;
  bool clear = false;
};

// "on", "off" or "default" (nullopt: the config's or the region's default).
std::optional<bool> Choice(const std::string& value) {
  return value == "default" ? std::nullopt : std::optional<bool>(value == "on");
}

// A rate "N" (0..1000000, 0 = unlimited) or "default" (nullopt: the config's); false when bad.
bool RateChoice(const std::string& value, std::optional<int64_t>& out) {
  if (value == "default") {
    out = std::nullopt;
    return true;
  }
  int64_t n = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || end != value.data() + value.size() || n < 0 || n > 1'000'000) {
    return false;
  }
  out = n;
  return true;
}

void PrintAccounts(const std::vector<store::Account>& list, bool json) {
  if (json) {
    std::cout << "[";
    for (size_t i = 0; i < list.size(); ++i) {
      const store::Account& a = list[i];
      std::cout << (i ? ", " : "") << "{\"sid\": " << JsonString(a.sid)
                << ", \"name\": " << JsonString(a.name)
                << ", \"created_at\": " << JsonString(core::FormatUtc(a.created_at))
                << ", \"active_keys\": " << a.active_keys << "}";
    }
    std::cout << "]\n";
    return;
  }
  for (const store::Account& a : list) {
    std::cout << a.sid << "  " << core::FormatUtc(a.created_at) << "  keys: " << a.active_keys
              << "  " << a.name << "\n";
  }
}

}  // namespace

void PrintCredentials(const NewCredentials& c, bool json) {
  if (json) {
    std::cout << "{\"sid\": " << JsonString(c.sid) << ", \"api_key\": " << JsonString(c.api_key)
              << "}\n";
  } else {
    std::cout << "SID:     " << c.sid << "\nAPI key: " << c.api_key
              << "\n(the API key is shown only this once)\n";
  }
}

void AddAccountCommands(CLI::App& app, Commands& commands) {
  auto f = std::make_shared<AccountFlags>();
  CLI::App* account = app.add_subcommand("account", "manage accounts");
  account->require_subcommand(1);

  CLI::App* create = account->add_subcommand("create", "create an account and its key");
  create->add_option("--name", f->name, "account name")->required();
  create->add_flag("--json", f->json, "print JSON");
  AddCommonFlags(*create, f->common);
  commands.push_back({create, [f] {
                        return WithStore(f->common, [&](const Settings& s, OpenedStore& store) {
                          auto created =
                              CreateAccountWithKey(*store.accounts, f->name, s.config.region);
                          if (!created) {
                            return Fail(created.error().message);
                          }
                          PrintCredentials(*created, f->json);
                          return 0;
                        });
                      }});

  CLI::App* list = account->add_subcommand("list", "list accounts");
  list->add_flag("--json", f->json, "print JSON");
  AddCommonFlags(*list, f->common);
  commands.push_back({list, [f] {
                        return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
                          auto accounts = store.accounts->ListAccounts();
                          if (!accounts) {
                            return Fail(accounts.error().message);
                          }
                          PrintAccounts(*accounts, f->json);
                          return 0;
                        });
                      }});

  CLI::App* set = account->add_subcommand(
      "set", "change an account's settings (at least one of the setting flags)");
  set->add_option("--sid", f->sid, "account SID")->required();
  set->add_option("--smart-encoding", f->smart,
                  "replace GSM look-alikes before encoding: on, off, or default (the config's)")
      ->check(CLI::IsMember({"on", "off", "default"}));
  set->add_option("--require-registered-senders", f->registered_senders,
                  "send only from registered sender IDs: on, off, or default (the region's: on "
                  "in IN, off elsewhere)")
      ->check(CLI::IsMember({"on", "off", "default"}));
  set->add_option("--sends-per-second", f->sends_per_second,
                  "send requests a second: 0 (unlimited) to 1000000, or default (the config's "
                  "[limits] sends_per_second)");
  set->add_option("--recipients-per-second", f->recipients_per_second,
                  "accepted recipients a second: 0 (unlimited) to 1000000, or default (the "
                  "config's [limits] recipients_per_second)");
  AddCommonFlags(*set, f->common);
  commands.push_back(
      {set, [f] {
         if (f->smart.empty() && f->registered_senders.empty() && f->sends_per_second.empty() &&
             f->recipients_per_second.empty()) {
           return Fail(
               "nothing to set: give --smart-encoding, --require-registered-senders, "
               "--sends-per-second and/or --recipients-per-second");
         }
         std::optional<int64_t> sends, recipients;
         if ((!f->sends_per_second.empty() && !RateChoice(f->sends_per_second, sends)) ||
             (!f->recipients_per_second.empty() &&
              !RateChoice(f->recipients_per_second, recipients))) {
           return Fail("a rate must be 0 (unlimited) to 1000000, or default");
         }
         return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
           auto failed = [&](const core::Error& error) {
             return Fail(error.code == core::Errc::kNotFound ? "no account " + f->sid
                                                             : error.message);
           };
           if (!f->smart.empty()) {
             if (auto done = store.accounts->SetSmartEncoding(f->sid, Choice(f->smart)); !done) {
               return failed(done.error());
             }
             std::cout << "smart encoding for " << f->sid << ": " << f->smart << "\n";
           }
           if (!f->registered_senders.empty()) {
             auto done =
                 store.accounts->SetRequireRegisteredSenders(f->sid, Choice(f->registered_senders));
             if (!done) {
               return failed(done.error());
             }
             std::cout << "registered senders required for " << f->sid << ": "
                       << f->registered_senders << "\n";
           }
           using Limit = store::AccountStore::RateLimit;
           for (auto [text, value, limit, what] :
                {std::tuple{&f->sends_per_second, sends, Limit::kSendsPerSecond, "sends"},
                 std::tuple{&f->recipients_per_second, recipients, Limit::kRecipientsPerSecond,
                            "recipients"}}) {
             if (text->empty()) {
               continue;
             }
             if (auto done = store.accounts->SetRateLimit(f->sid, limit, value); !done) {
               return failed(done.error());
             }
             std::cout << what << " per second for " << f->sid << ": " << *text << "\n";
           }
           return 0;
         });
       }});

  CLI::App* secret = account->add_subcommand(
      "set-webhook-secret", "set (or --clear) the secret the account's webhooks are signed with");
  secret->add_option("--sid", f->sid, "account SID")->required();
  auto* secret_opt = secret->add_option("--secret", f->secret, "16-128 printable ASCII characters");
  secret->add_flag("--clear", f->clear, "remove the secret: webhooks are sent unsigned")
      ->excludes(secret_opt);
  AddCommonFlags(*secret, f->common);
  commands.push_back(
      {secret, [f, secret_opt] {
         if (secret_opt->count() == 0 && !f->clear) {
           return Fail("give --secret SECRET or --clear");
         }
         std::optional<std::string> value;
         if (!f->clear) {
           // The same rule as PUT /ext/v1/{sid}/webhook-secret.
           rapidjson::Document doc;
           doc.SetObject();
           doc.AddMember("secret", rapidjson::Value(f->secret.c_str(), doc.GetAllocator()),
                         doc.GetAllocator());
           auto valid = api::ValidateWebhookSecret(doc);
           if (!valid) {
             return FailFields(valid.error());
           }
           value = std::move(*valid);
         }
         return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
           auto done = store.accounts->SetWebhookSecret(
               f->sid, value ? std::optional<std::string_view>(*value) : std::nullopt);
           if (!done) {
             return Fail(done.error().code == core::Errc::kNotFound ? "no account " + f->sid
                                                                    : done.error().message);
           }
           std::cout << "webhook secret for " << f->sid << (value ? " set" : " cleared") << "\n";
           return 0;
         });
       }});
}

}  // namespace smsgw::app
