#pragma once
// CallbackTester sends one test webhook to a callback profile's target at once and reports what
// happened, for `POST /ext/v1/{sid}/callback-profiles/{id}/test` (docs/api/callback-profiles.md).
// The API only asks: app/ gives the webhook sender's (webhook::Sender::SendTest), so the test goes
// through the real HTTP client with its egress policy ([webhooks] allow_targets, deny_targets),
// signing and authentication, and nothing is stored. Test is safe from any thread.

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "store/callback_profile_store.h"

namespace smsgw::api {

struct CallbackTestResult {
  std::string event_id;  // the test webhook's X-Smsgw-Event-Id
  int http_status = 0;   // 0: no answer came (see error)
  std::string error;     // empty when an answer came, whatever its status
  std::chrono::milliseconds latency{0};
  bool is_signed = false;  // carried X-Smsgw-Signature
};

class CallbackTester {
 public:
  virtual ~CallbackTester() = default;
  // Sends a test webhook of account `sid` to `profile`'s target, signed with `secret` (unsigned
  // when empty). `done` runs once, on any thread, within the webhook client's timeouts. Returns
  // false, and never runs `done`, when a test of `sid` is still in flight.
  virtual bool Test(std::string_view sid, const store::CallbackProfile& profile,
                    std::string_view secret, std::function<void(CallbackTestResult)> done) = 0;
};

}  // namespace smsgw::api
