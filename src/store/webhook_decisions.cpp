#include "store/webhook_decisions.h"

namespace smsgw::store {

WebhookTargetSource WebhookTargetSourceOf(std::string_view callback,
                                          std::string_view callback_profile_id) {
  if (!callback.empty()) {
    return WebhookTargetSource::kInline;
  }
  if (!callback_profile_id.empty()) {
    return WebhookTargetSource::kProfile;
  }
  return WebhookTargetSource::kAccountDefault;
}

std::optional<WebhookTarget> ResolveWebhookTarget(std::string_view callback,
                                                  std::string_view callback_profile_id,
                                                  std::string_view account_default_profile_id) {
  switch (WebhookTargetSourceOf(callback, callback_profile_id)) {
    case WebhookTargetSource::kInline:
      // The inline callback is the whole target: a profile named beside it is not used.
      return WebhookTarget{std::string(callback), ""};
    case WebhookTargetSource::kProfile:
      return WebhookTarget{"", std::string(callback_profile_id)};
    case WebhookTargetSource::kAccountDefault:
      break;
  }
  if (account_default_profile_id.empty()) {
    return std::nullopt;  // nowhere to send it: the event is stored, not forwarded
  }
  return WebhookTarget{"", std::string(account_default_profile_id)};
}

AttemptEffect AttemptEffectOn(WebhookState current, const WebhookAttempt& attempt) {
  if (current != WebhookState::kPending) {
    return AttemptEffect::kCountOnly;
  }
  return attempt.retry_at ? AttemptEffect::kRetry : AttemptEffect::kFinish;
}

WebhookState AttemptFinishState(const WebhookAttempt& attempt) {
  return attempt.error.empty() ? WebhookState::kDelivered : WebhookState::kExhausted;
}

}  // namespace smsgw::store
