#pragma once
// SendValidator is the whole validation of a send, for every way a send arrives: the HTTP send
// endpoint (api_handler.cpp) and customers' SMPP submits (smpp_server/). It peeks at the template,
// sender and callback profile the request's fields name, looks each up (RegistryCache; the store
// pool on a miss) and runs the pure ValidateSend with them, so that both doors apply the same
// sender, type, template, region and encoding rules. Validate may be called concurrently from
// any io_context thread; it resumes on the caller's executor.

#include <rapidjson/document.h>

#include <chrono>
#include <expected>
#include <string>

#include "api/asio.h"
#include "api/errors.h"
#include "api/registry_cache.h"
#include "api/send_request.h"
#include "core/egress.h"
#include "core/region.h"
#include "core/time.h"
#include "store/account_store.h"

namespace smsgw::api {

struct SendRules {
  core::Region region = core::Region::kSg;
  std::chrono::seconds schedule_min_ahead{15 * 60};
  std::chrono::seconds schedule_max_ahead{92 * 24 * 3600};
  bool smart_encoding = false;  // the default for accounts that have not chosen
  core::EgressPolicy egress;    // where an inline callback may point
};

// A send that passed validation, and the time it was validated at (the messages' created_at).
struct ValidatedSend {
  SendRequest request;
  core::TimePoint now;
};

class SendValidator {
 public:
  SendValidator(SendRules rules, RegistryCache& registry, asio::thread_pool& store_pool,
                const core::Clock& clock);

  // `fields` is the request as one JSON object (request_body.h); `settings` the account's. A
  // registry read that fails is an error too (E503, or E500 for a row that cannot be read).
  asio::awaitable<std::expected<ValidatedSend, FieldErrors>> Validate(
      const std::string& sid, const store::AccountSettings& settings,
      const rapidjson::Value& fields);

 private:
  const SendRules rules_;
  RegistryCache& registry_;
  asio::thread_pool& store_pool_;
  const core::Clock& clock_;
};

}  // namespace smsgw::api
