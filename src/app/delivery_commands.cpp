// `smsgw delivery stats`: what waits in the store, for operators (works while serve runs):
// messages, receipts, webhooks and inbound messages.

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
    auto webhooks = store.webhooks->CountWebhooks();
    if (!webhooks) {
      return Fail(webhooks.error().message);
    }
    auto unmatched = store.inbound->CountUnmatchedInbound();
    if (!unmatched) {
      return Fail(unmatched.error().message);
    }
    auto waiting_parts = store.inbound->CountWaitingInboundParts();
    if (!waiting_parts) {
      return Fail(waiting_parts.error().message);
    }
    if (f.json) {
      std::cout << "{\"queued\": " << counts->queued << ", \"submitting\": " << counts->submitting
                << ", \"held_receipts\": " << counts->held_receipts
                << ", \"webhooks\": {\"pending\": " << webhooks->pending
                << ", \"delivered\": " << webhooks->delivered
                << ", \"exhausted\": " << webhooks->exhausted
                << "}, \"inbound\": {\"unmatched\": " << *unmatched
                << ", \"waiting_parts\": " << *waiting_parts << "}}\n";
    } else {
      std::cout << "queued (incl. scheduled and retrying): " << counts->queued
                << "\nclaimed by a dispatcher:               " << counts->submitting
                << "\nreceipts waiting for their part:       " << counts->held_receipts
                << "\nwebhooks pending (incl. retrying):     " << webhooks->pending
                << "\nwebhooks delivered:                    " << webhooks->delivered
                << "\nwebhooks exhausted (see replay):       " << webhooks->exhausted
                << "\ninbound messages matching no number:   " << *unmatched
                << "\ninbound parts waiting for the rest:    " << *waiting_parts << "\n";
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
      "stats",
      "messages waiting or claimed, receipts held without a matching part, webhooks and "
      "inbound messages by state");
  AddCommonFlags(*stats, f->common);
  stats->add_flag("--json", f->json, "print JSON");
  commands.push_back({stats, [f] { return PrintStats(*f); }});
}

}  // namespace smsgw::app
