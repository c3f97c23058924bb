#pragma once
// ApiHandler is the Kaleyra-compatible API: it routes a request, authenticates its api-key for
// the path's SID, and runs the send or status endpoint, or hands a registry endpoint (sender
// registration, /ext/v1 templates and senders) to RegistryApi, a message-log endpoint
// (/ext/v1 messages: one, list, cancel) to MessageApi and a webhook endpoint (callback profiles,
// inbound numbers, the webhook outbox and secret) to WebhookApi, and the SMPP credentials to
// SmppCredentialApi. A send is validated on the network
// thread against the account's templates and senders (from RegistryCache), committed through the
// GroupCommitter (a 200 is written only after the commit), and answered in the contract's shape.
// Reads (key, template and sender cache misses, status lookups) run on `store_pool`.
// Handle may be called concurrently from any io_context thread.

#include <chrono>

#include "api/api_stats.h"
#include "api/asio.h"
#include "api/authenticator.h"
#include "api/country_cap_api.h"
#include "api/http_server.h"
#include "api/message_api.h"
#include "api/opt_out_api.h"
#include "api/rate_limiter.h"
#include "api/registry_api.h"
#include "api/registry_cache.h"
#include "api/send_validator.h"
#include "api/smpp_credential_api.h"
#include "api/webhook_api.h"
#include "core/egress.h"
#include "core/region.h"
#include "core/time.h"
#include "store/account_store.h"
#include "store/callback_profile_store.h"
#include "store/delivery_store.h"
#include "store/group_committer.h"
#include "store/inbound_number_store.h"
#include "store/message_log.h"
#include "store/message_store.h"
#include "store/sender_store.h"
#include "store/template_store.h"
#include "store/webhook_store.h"

namespace smsgw::api {

// Sender registration takes up to 5000 entries per call (Kaleyra's limit), more than a send's body
// limit allows: its body may be this large (or max_body_bytes, if that is larger).
inline constexpr size_t kMaxSenderRegistrationBodyBytes = 4 * 1024 * 1024;

struct ApiOptions {
  core::Region region = core::Region::kSg;
  std::chrono::seconds schedule_min_ahead{15 * 60};
  std::chrono::seconds schedule_max_ahead{92 * 24 * 3600};
  bool smart_encoding = false;  // the default for accounts that have not chosen
  // Where callbacks (inline, profiles, inbound numbers) may point, as far as validation can tell.
  core::EgressPolicy egress;
  // Every account's rate limits unless it has its own (store::AccountSettings).
  AccountRateLimits rate_limits;
};

// The send rules of `options`: what api::SendValidator needs, for every door a send comes in by.
SendRules SendRulesOf(const ApiOptions& options);

// The stores the API reads and writes (one object may implement several), and the webhook
// sender's test.
struct ApiStores {
  store::MessageStore& messages;
  store::TemplateStore& templates;
  store::SenderStore& senders;
  store::MessageLog& log;          // the /ext/v1 message log
  store::DeliveryStore& delivery;  // cancelling a queued message
  store::CallbackProfileStore& callback_profiles;
  store::InboundNumberStore& inbound_numbers;
  store::WebhookStore& webhooks;  // the outbox: list, replay, a message's webhooks
  store::AccountStore& accounts;  // the webhook secret
  store::OptOutStore& opt_outs;
  store::CountryCapStore& country_caps;
  store::SmppCredentialStore& smpp_credentials;
  // Sends test webhooks (callback profiles' /test); null when webhooks are disabled.
  CallbackTester* callback_tester = nullptr;
};

class ApiHandler final : public RequestHandler {
 public:
  ApiHandler(ApiOptions options, Authenticator& auth, RegistryCache& registry,
             store::GroupCommitter& committer, ApiStores stores, asio::thread_pool& store_pool,
             const core::Clock& clock);

  asio::awaitable<Response> Handle(Request request) override;
  // The send endpoint (POST /v1/{sid}/messages, `request`'s body) for an account already
  // authenticated by other means (the console's session): the same validation, rate limits,
  // idempotency, commit and answer as through Handle.
  asio::awaitable<Response> SendAs(const Request& request, const Authenticator::Identity& identity);
  const ApiStats& stats() const { return stats_; }
  // Sender registration may be up to kMaxSenderRegistrationBodyBytes; everything else `configured`.
  size_t BodyLimit(const http::request_header<>& header, size_t configured) const override;

 private:
  // Handle, once the route is known: everything but the counting.
  asio::awaitable<Response> Answer(const Request& request, const Route& route,
                                   std::string_view query);
  asio::awaitable<Response> Send(const Request& request, const std::string& sid,
                                 std::string_view query, const Authenticator::Identity& identity);
  asio::awaitable<Response> Status(const std::string& sid, std::string_view query);
  // The answer to a request carrying `key` when the key is already stored (the first answer, or
  // 422 for a different request, or 503); nullopt when it is not.
  asio::awaitable<std::optional<Response>> Replay(const store::IdempotencyRecord& key);
  // The account's own rate limits, else the configured defaults.
  AccountRateLimits LimitsOf(const Authenticator::Identity& identity) const;

  const ApiOptions options_;
  Authenticator& auth_;
  store::GroupCommitter& committer_;
  store::MessageStore& messages_;
  asio::thread_pool& store_pool_;
  const core::Clock& clock_;
  RateLimiter rate_limiter_;
  ApiStats stats_;
  SendValidator send_validator_;
  RegistryApi registry_api_;
  MessageApi message_api_;
  WebhookApi webhook_api_;
  OptOutApi opt_out_api_;
  CountryCapApi country_cap_api_;
  SmppCredentialApi smpp_credential_api_;
};

}  // namespace smsgw::api
