// `smsgw delivery stats`: what waits in the store, for operators (works while serve runs).

#include <iostream>
#include <memory>

#include "app/command.h"

namespace smsgw::app {
namespace {

struct StatsFlags {
  CommonFlags common;
  bool json = false;
};

int PrintStats(const StatsFlags& f) {
  return WithStore(f.common, [&f](const Settings&, OpenedStore& store) {
    auto counts = store.delivery->Counts();
    if (!counts) {
      return Fail(counts.error().message);
    }
    if (f.json) {
      std::cout << "{\"queued\": " << counts->queued << ", \"submitting\": " << counts->submitting
                << ", \"held_receipts\": " << counts->held_receipts << "}\n";
    } else {
      std::cout << "queued (incl. scheduled and retrying): " << counts->queued
                << "\nclaimed by a dispatcher:               " << counts->submitting
                << "\nreceipts waiting for their part:       " << counts->held_receipts << "\n";
    }
    return 0;
  });
}

}  // namespace

void AddDeliveryCommands(CLI::App& app, Commands& commands) {
  auto f = std::make_shared<StatsFlags>();
  CLI::App* delivery = app.add_subcommand("delivery", "inspect the delivery pipeline");
  delivery->require_subcommand(1);
  CLI::App* stats = delivery->add_subcommand(
      "stats", "messages waiting or claimed, and receipts held without a matching part");
  AddCommonFlags(*stats, f->common);
  stats->add_flag("--json", f->json, "print JSON");
  commands.push_back({stats, [f] { return PrintStats(*f); }});
}

}  // namespace smsgw::app
