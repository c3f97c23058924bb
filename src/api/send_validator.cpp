#include "api/send_validator.h"

#include <memory>

#include "api/async_bridge.h"
#include "log/fields.h"

namespace smsgw::api {
namespace {

// The registry entry from the cache, or read on `pool` on a miss.
template <class Find, class Resolve>
auto Lookup(asio::thread_pool& pool, Find find, Resolve resolve)
    -> asio::awaitable<std::invoke_result_t<Resolve&>> {
  auto lookup = find();
  if (lookup.cached) {
    co_return lookup.value;
  }
  co_return co_await RunBlocking(pool, std::move(resolve));
}

}  // namespace

SendValidator::SendValidator(SendRules rules, RegistryCache& registry,
                             asio::thread_pool& store_pool, const core::Clock& clock)
    : rules_(std::move(rules)), registry_(registry), store_pool_(store_pool), clock_(clock) {}

asio::awaitable<std::expected<ValidatedSend, FieldErrors>> SendValidator::Validate(
    const std::string& sid, const store::AccountSettings& settings,
    const rapidjson::Value& fields) {
  SendContext context{rules_.region, clock_.Now(), rules_.schedule_min_ahead,
                      rules_.schedule_max_ahead,
                      settings.smart_encoding.value_or(rules_.smart_encoding)};
  context.egress = &rules_.egress;
  context.require_registered_senders =
      core::SendersMustBeRegistered(rules_.region, settings.require_registered_senders);

  // The registry entries the request names, from memory once seen; validation stays pure.
  const RegistryKeys keys = PeekRegistryKeys(fields, rules_.region);
  std::shared_ptr<const RegisteredTemplate> registered_template;
  if (!keys.template_id.empty()) {
    auto found = co_await Lookup(
        store_pool_, [&] { return registry_.FindTemplate(sid, keys.template_id); },
        [&] { return registry_.ResolveTemplateBlocking(sid, keys.template_id); });
    if (!found) {
      SMSGW_LOG_ERROR({{"sid", sid}}, "template lookup failed: {}", found.error().message);
      co_return std::unexpected(FieldErrors{MakeFieldError(
          found.error().code == core::Errc::kInternal ? ApiError::kInternal
                                                      : ApiError::kStoreUnavailable)});
    }
    registered_template = std::move(*found);
  }
  std::shared_ptr<const store::Sender> registered_sender;
  if (!keys.sender.empty() &&
      (context.require_registered_senders || core::RulesFor(rules_.region).dlt_enforced)) {
    auto found = co_await Lookup(
        store_pool_, [&] { return registry_.FindSender(sid, keys.sender); },
        [&] { return registry_.ResolveSenderBlocking(sid, keys.sender); });
    if (!found) {
      SMSGW_LOG_ERROR({{"sid", sid}}, "sender lookup failed: {}", found.error().message);
      co_return std::unexpected(FieldErrors{MakeFieldError(ApiError::kStoreUnavailable)});
    }
    registered_sender = std::move(*found);
  }
  if (!keys.callback_profile_id.empty()) {
    auto found = co_await Lookup(
        store_pool_, [&] { return registry_.FindCallbackProfile(sid, keys.callback_profile_id); },
        [&] { return registry_.ResolveCallbackProfileBlocking(sid, keys.callback_profile_id); });
    if (!found) {
      SMSGW_LOG_ERROR({{"sid", sid}}, "callback profile lookup failed: {}", found.error().message);
      co_return std::unexpected(FieldErrors{MakeFieldError(ApiError::kStoreUnavailable)});
    }
    context.callback_profile_found = *found != nullptr;
  }
  context.registered_template = registered_template.get();
  context.registered_sender = registered_sender.get();

  auto send = ValidateSend(fields, context);
  if (!send) {
    co_return std::unexpected(std::move(send.error()));
  }
  co_return ValidatedSend{std::move(*send), context.now};
}

}  // namespace smsgw::api
