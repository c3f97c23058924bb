// `smsgw callback-profile create|list|show|update|delete`: an account's callback profiles,
// straight on the store. The flags become the same JSON object the API takes
// (`/ext/v1/{sid}/callback-profiles`), so both go through api/callback_profile_requests.h; an
// update starts from the stored profile and changes what its flags name.

#include <rapidjson/document.h>

#include <chrono>
#include <iostream>
#include <memory>

#include "api/callback_profile_requests.h"
#include "app/command.h"
#include "app/webhook_runtime.h"
#include "core/json.h"
#include "core/strings.h"
#include "core/time.h"

namespace smsgw::app {
namespace {

using rapidjson::Document;
using rapidjson::Value;

struct ProfileFlags {
  CommonFlags common;
  bool json = false;
  bool is_default = false;
  bool not_default = false;
  std::string sid, id, name, url, method, auth, username, password, token_url, client_id,
      client_secret, body_template, retry_intervals, retry_exponential;
  std::vector<std::string> headers;
  // The options, to tell which were given (update changes only those).
  CLI::Option* name_opt = nullptr;
  CLI::Option* url_opt = nullptr;
  CLI::Option* method_opt = nullptr;
  CLI::Option* headers_opt = nullptr;
  CLI::Option* auth_opt = nullptr;
  CLI::Option* username_opt = nullptr;
  CLI::Option* password_opt = nullptr;
  CLI::Option* token_url_opt = nullptr;
  CLI::Option* client_id_opt = nullptr;
  CLI::Option* client_secret_opt = nullptr;
  CLI::Option* body_template_opt = nullptr;
  CLI::Option* intervals_opt = nullptr;
  CLI::Option* exponential_opt = nullptr;
};

bool Given(const CLI::Option* opt) { return opt != nullptr && opt->count() > 0; }

Value String(std::string_view s, Document::AllocatorType& a) {
  return Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

// Sets obj[key] = value, replacing a member of that name.
void Put(Value& obj, const char* key, Value value, Document::AllocatorType& a) {
  if (auto it = obj.FindMember(key); it != obj.MemberEnd()) {
    it->value = std::move(value);
  } else {
    obj.AddMember(Value(key, a), std::move(value), a);
  }
}

// "10,60,300" as a list of strings (the API reads numbers as strings too); "" is the empty list.
Value List(std::string_view csv, Document::AllocatorType& a) {
  Value list(rapidjson::kArrayType);
  while (!csv.empty()) {
    const size_t comma = csv.find(',');
    list.PushBack(String(core::TrimAscii(csv.substr(0, comma)), a), a);
    csv = comma == std::string_view::npos ? std::string_view() : csv.substr(comma + 1);
  }
  return list;
}

// The given flags written into `doc` (a profile's request object); an error text when a flag
// cannot be turned into JSON at all.
std::string ApplyFlags(const ProfileFlags& f, Document& doc) {
  auto& a = doc.GetAllocator();
  for (auto [opt, key, value] :
       {std::tuple{f.name_opt, "name", &f.name}, std::tuple{f.url_opt, "url", &f.url},
        std::tuple{f.method_opt, "method", &f.method},
        std::tuple{f.body_template_opt, "body_template", &f.body_template}}) {
    if (Given(opt)) {
      Put(doc, key, String(*value, a), a);
    }
  }
  if (Given(f.headers_opt)) {
    Value headers(rapidjson::kObjectType);
    for (const std::string& h : f.headers) {
      const size_t colon = h.find(':');
      if (colon == std::string::npos) {
        return "--header must be 'Name: value', got '" + h + "'";
      }
      Put(headers, std::string(core::TrimAscii(h.substr(0, colon))).c_str(),
          String(core::TrimAscii(std::string_view(h).substr(colon + 1)), a), a);
    }
    Put(doc, "headers", std::move(headers), a);
  }
  const bool basic_given = Given(f.username_opt) || Given(f.password_opt);
  const bool bearer_given =
      Given(f.token_url_opt) || Given(f.client_id_opt) || Given(f.client_secret_opt);
  if (Given(f.auth_opt) && f.auth == "none") {
    Put(doc, "auth", Value(), a);
  } else if (Given(f.auth_opt) || basic_given || bearer_given) {
    const std::string type = Given(f.auth_opt) ? f.auth : basic_given ? "basic" : "bearer";
    Value auth(rapidjson::kObjectType);
    // An update keeps the stored credentials of the same kind that the flags do not replace.
    if (auto it = doc.FindMember("auth");
        it != doc.MemberEnd() && it->value.IsObject() && it->value.HasMember("type") &&
        it->value["type"].IsString() && type == it->value["type"].GetString()) {
      auth.CopyFrom(it->value, a);
    }
    Put(auth, "type", String(type, a), a);
    for (auto [opt, key, value] :
         {std::tuple{f.username_opt, "username", &f.username},
          std::tuple{f.password_opt, "password", &f.password},
          std::tuple{f.token_url_opt, "token_url", &f.token_url},
          std::tuple{f.client_id_opt, "client_id", &f.client_id},
          std::tuple{f.client_secret_opt, "client_secret", &f.client_secret}}) {
      if (Given(opt)) {
        Put(auth, key, String(*value, a), a);
      }
    }
    Put(doc, "auth", std::move(auth), a);
  }
  if (Given(f.intervals_opt)) {
    Value retry(rapidjson::kObjectType);
    Put(retry, "type", Value("fixed"), a);
    Put(retry, "intervals", List(f.retry_intervals, a), a);
    Put(doc, "retry", std::move(retry), a);
  }
  if (Given(f.exponential_opt)) {
    Value parts = List(f.retry_exponential, a);
    if (parts.Size() != 3) {
      return "--retry-exponential must be INITIAL,MAX_DELAY,HORIZON (seconds)";
    }
    Value retry(rapidjson::kObjectType);
    Put(retry, "type", Value("exponential"), a);
    Put(retry, "initial", Value(parts[0], a), a);
    Put(retry, "max_delay", Value(parts[1], a), a);
    Put(retry, "horizon", Value(parts[2], a), a);
    Put(doc, "retry", std::move(retry), a);
  }
  if (f.is_default || f.not_default) {
    Put(doc, "default", Value(f.is_default), a);
  }
  return {};
}

void AddFieldFlags(CLI::App& cmd, ProfileFlags& f, bool update) {
  f.url_opt = cmd.add_option("--url", f.url, "where webhooks go (http or https)");
  if (!update) {
    f.url_opt->required();
  }
  f.name_opt = cmd.add_option("--name", f.name, "a name for people");
  f.method_opt = cmd.add_option("--method", f.method, "GET, POST or PUT (default POST)");
  f.headers_opt = cmd.add_option("--header", f.headers, "'Name: value', a static header (repeat)")
                      ->allow_extra_args(false);
  f.auth_opt = cmd.add_option("--auth", f.auth, "basic, bearer or none")
                   ->check(CLI::IsMember({"basic", "bearer", "none"}));
  f.username_opt = cmd.add_option("--username", f.username, "basic auth user");
  f.password_opt = cmd.add_option("--password", f.password, "basic auth password");
  f.token_url_opt = cmd.add_option("--token-url", f.token_url, "bearer: OAuth 2 token URL");
  f.client_id_opt = cmd.add_option("--client-id", f.client_id, "bearer: client id");
  f.client_secret_opt = cmd.add_option("--client-secret", f.client_secret, "bearer: secret");
  f.body_template_opt =
      cmd.add_option("--body-template", f.body_template, "request body with <field> placeholders");
  f.intervals_opt = cmd.add_option("--retry-intervals", f.retry_intervals,
                                   "fixed retry delays in seconds, e.g. 10,60,300");
  f.exponential_opt = cmd.add_option("--retry-exponential", f.retry_exponential,
                                     "INITIAL,MAX_DELAY,HORIZON in seconds")
                          ->excludes(f.intervals_opt);
  cmd.add_flag("--default", f.is_default, "make it the account's default profile");
  if (update) {
    cmd.add_flag("--not-default", f.not_default, "stop it being the default profile");
  }
  cmd.add_flag("--json", f.json, "print JSON");
}

void PrintProfile(const store::CallbackProfile& p, bool json) {
  if (json) {
    std::cout << api::CallbackProfileJson(p) << "\n";
    return;
  }
  std::cout << "id:       " << p.id << (p.is_default ? " (default)" : "") << "\n"
            << "name:     " << p.name << "\n"
            << "request:  " << p.method << " " << api::MaskedUrl(p.url) << "\n"
            << "auth:     "
            << (p.auth.kind == store::CallbackAuth::Kind::kBasic ? "basic " + p.auth.user
                : p.auth.kind == store::CallbackAuth::Kind::kBearerToken
                    ? "bearer " + api::MaskedUrl(p.auth.token_url)
                    : "none")
            << "\n"
            << "updated:  " << core::FormatUtc(p.updated_at) << "\n";
}

// A store failure; a missing profile said as such.
int FailProfile(const core::Error& error, const ProfileFlags& f) {
  if (error.code == core::Errc::kNotFound && !error.message.starts_with("no account")) {
    return Fail("no callback profile " + f.id + " for " + f.sid);
  }
  return FailStore(error, f.sid);
}

void AddSidFlags(CLI::App& cmd, ProfileFlags& f, bool id) {
  cmd.add_option("--sid", f.sid, "account SID")->required();
  if (id) {
    cmd.add_option("--id", f.id, "the profile id (<REGION>_<uuid>)")->required();
  }
  AddCommonFlags(cmd, f.common);
}

}  // namespace

void AddCallbackProfileCommands(CLI::App& app, Commands& commands) {
  auto f = std::make_shared<ProfileFlags>();
  auto fu = std::make_shared<ProfileFlags>();
  CLI::App* group =
      app.add_subcommand("callback-profile", "manage an account's webhook callback profiles");
  group->require_subcommand(1);

  CLI::App* create = group->add_subcommand("create", "create a callback profile");
  AddSidFlags(*create, *f, false);
  AddFieldFlags(*create, *f, false);
  commands.push_back(
      {create, [f] {
         Document doc;
         doc.SetObject();
         if (std::string bad = ApplyFlags(*f, doc); !bad.empty()) {
           return Fail(bad);
         }
         return WithStore(f->common, [&](const Settings& s, OpenedStore& store) {
           auto p = api::ValidateCallbackProfile(
               doc, f->sid, api::NewCallbackProfileId(s.config.region),
               std::chrono::system_clock::now(), ConfiguredEgressPolicy(s.config));
           if (!p) {
             return FailFields(p.error());
           }
           if (auto created = store.callback_profiles->CreateCallbackProfile(*p); !created) {
             return FailStore(created.error(), f->sid);
           }
           if (f->json) {
             PrintProfile(*p, true);
           } else {
             std::cout << "callback profile " << p->id << " created for " << p->sid << "\n";
           }
           return 0;
         });
       }});

  CLI::App* list = group->add_subcommand("list", "list an account's callback profiles");
  AddSidFlags(*list, *f, false);
  list->add_flag("--json", f->json, "print JSON");
  commands.push_back({list, [f] {
                        return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
                          auto listed = store.callback_profiles->ListCallbackProfiles(f->sid);
                          if (!listed) {
                            return FailStore(listed.error(), f->sid);
                          }
                          if (f->json) {
                            std::cout << api::CallbackProfileListJson(*listed) << "\n";
                            return 0;
                          }
                          for (const store::CallbackProfile& p : *listed) {
                            std::cout << p.id << (p.is_default ? "  default  " : "  ") << p.method
                                      << " " << api::MaskedUrl(p.url) << "  " << p.name << "\n";
                          }
                          return 0;
                        });
                      }});

  CLI::App* show = group->add_subcommand("show", "show one callback profile (secrets masked)");
  AddSidFlags(*show, *f, true);
  show->add_flag("--json", f->json, "print JSON");
  commands.push_back({show, [f] {
                        return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
                          auto got = store.callback_profiles->GetCallbackProfile(f->sid, f->id);
                          if (!got) {
                            return FailProfile(got.error(), *f);
                          }
                          PrintProfile(*got, f->json);
                          return 0;
                        });
                      }});

  CLI::App* update =
      group->add_subcommand("update", "change a callback profile (only the given flags)");
  AddSidFlags(*update, *fu, true);
  AddFieldFlags(*update, *fu, true);
  commands.push_back(
      {update, [fu] {
         return WithStore(fu->common, [&](const Settings& s, OpenedStore& store) {
           auto stored = store.callback_profiles->GetCallbackProfile(fu->sid, fu->id);
           if (!stored) {
             return FailProfile(stored.error(), *fu);
           }
           Document doc;
           core::ParseJson(api::CallbackProfileRequestJson(*stored), doc);
           if (std::string bad = ApplyFlags(*fu, doc); !bad.empty()) {
             return Fail(bad);
           }
           auto p =
               api::ValidateCallbackProfile(doc, fu->sid, fu->id, std::chrono::system_clock::now(),
                                            ConfiguredEgressPolicy(s.config));
           if (!p) {
             return FailFields(p.error());
           }
           p->created_at = stored->created_at;
           if (auto updated = store.callback_profiles->UpdateCallbackProfile(*p); !updated) {
             return FailProfile(updated.error(), *fu);
           }
           if (fu->json) {
             PrintProfile(*p, true);
           } else {
             std::cout << "callback profile " << p->id << " updated\n";
           }
           return 0;
         });
       }});

  CLI::App* remove = group->add_subcommand("delete", "delete a callback profile");
  AddSidFlags(*remove, *f, true);
  commands.push_back({remove, [f] {
                        return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
                          auto deleted =
                              store.callback_profiles->DeleteCallbackProfile(f->sid, f->id);
                          if (!deleted) {
                            return FailProfile(deleted.error(), *f);
                          }
                          std::cout << "callback profile " << f->id << " deleted\n";
                          return 0;
                        });
                      }});
}

}  // namespace smsgw::app
