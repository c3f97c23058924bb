#pragma once
// A WebhookHandoff that keeps every job a store hands over, in order, as the webhook sender takes
// them in serve.

#include <iterator>
#include <utility>
#include <vector>

#include "store/webhook_store.h"

namespace smsgw::fakes {

class CollectingHandoff final : public store::WebhookHandoff {
 public:
  void TakeWebhooks(std::vector<store::WebhookJob> jobs) override {
    std::move(jobs.begin(), jobs.end(), std::back_inserter(taken));
  }
  std::vector<store::WebhookJob> taken;
};

}  // namespace smsgw::fakes
