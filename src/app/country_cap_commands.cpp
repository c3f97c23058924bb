// `smsgw country-cap set|remove|list`: an account's per-country daily and monthly caps, as
// /ext/v1/{sid}/country-caps manages them (docs/api/country-caps.md), through the same validation.

#include <rapidjson/document.h>

#include <iostream>
#include <memory>

#include "api/country_cap_requests.h"
#include "app/command.h"

namespace smsgw::app {
namespace {

struct CapFlags {
  CommonFlags common;
  std::string sid, country, daily, monthly;
  bool json = false;
};

// The PUT body the flags describe; "none" (or no flag) is null.
rapidjson::Document FieldsOf(const CapFlags& f) {
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  for (auto [name, value] : {std::pair{"daily", &f.daily}, std::pair{"monthly", &f.monthly}}) {
    if (!value->empty() && *value != "none") {
      doc.AddMember(rapidjson::StringRef(name), rapidjson::Value(value->c_str(), a), a);
    }
  }
  return doc;
}

std::string Limit(const std::optional<int64_t>& limit) {
  return limit ? std::to_string(*limit) : "-";
}

}  // namespace

void AddCountryCapCommands(CLI::App& app, Commands& commands) {
  auto f = std::make_shared<CapFlags>();
  CLI::App* group = app.add_subcommand(
      "country-cap", "manage an account's daily and monthly caps per recipient country");
  group->require_subcommand(1);

  CLI::App* set = group->add_subcommand("set", "set a country's caps (none: no cap)");
  set->add_option("--sid", f->sid, "account SID")->required();
  set->add_option("--country", f->country, "ISO 3166-1 alpha-2 code, e.g. IN")->required();
  set->add_option("--daily", f->daily, "messages a UTC day, or none");
  set->add_option("--monthly", f->monthly, "messages a UTC month, or none");
  AddCommonFlags(*set, f->common);
  commands.push_back({set, [f] {
                        return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
                          auto cap = api::ValidateCountryCap(FieldsOf(*f), f->sid, f->country);
                          if (!cap) {
                            return FailFields(cap.error());
                          }
                          if (auto done = store.country_caps->SetCountryCap(*cap); !done) {
                            return FailStore(done.error(), f->sid);
                          }
                          std::cout << cap->country << " for " << f->sid << ": daily "
                                    << Limit(cap->daily) << ", monthly " << Limit(cap->monthly)
                                    << "\n";
                          return 0;
                        });
                      }});

  CLI::App* remove = group->add_subcommand("remove", "remove a country's caps");
  remove->add_option("--sid", f->sid, "account SID")->required();
  remove->add_option("--country", f->country, "ISO 3166-1 alpha-2 code")->required();
  AddCommonFlags(*remove, f->common);
  commands.push_back({remove, [f] {
                        return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
                          const std::optional<std::string> country = api::CountryCode(f->country);
                          if (!country) {
                            return Fail("--country must be a two-letter ISO 3166-1 code");
                          }
                          auto removed = store.country_caps->RemoveCountryCap(f->sid, *country);
                          if (!removed && removed.error().code == core::Errc::kNotFound) {
                            return Fail("no cap for " + *country + " for " + f->sid);
                          }
                          if (!removed) {
                            return FailStore(removed.error(), f->sid);
                          }
                          std::cout << "removed\n";
                          return 0;
                        });
                      }});

  CLI::App* list = group->add_subcommand("list", "list an account's caps and today's usage");
  list->add_option("--sid", f->sid, "account SID")->required();
  list->add_flag("--json", f->json, "print JSON");
  AddCommonFlags(*list, f->common);
  commands.push_back({list, [f] {
                        return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
                          auto listed = store.country_caps->ListCountryCaps(
                              f->sid, std::chrono::system_clock::now());
                          if (!listed) {
                            return FailStore(listed.error(), f->sid);
                          }
                          if (f->json) {
                            std::cout << api::CountryCapListJson(*listed) << "\n";
                            return 0;
                          }
                          for (const store::CountryCapUsage& u : *listed) {
                            std::cout << u.cap.country << "  daily " << u.today << "/"
                                      << Limit(u.cap.daily) << "  monthly " << u.this_month << "/"
                                      << Limit(u.cap.monthly) << "\n";
                          }
                          return 0;
                        });
                      }});
}

}  // namespace smsgw::app
