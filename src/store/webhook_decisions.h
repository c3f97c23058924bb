#pragma once
// The webhook outbox's domain decisions, taken on values a backend has already read: where a
// status or inbound event's webhook goes (or that it has nowhere to go), and what a recorded
// attempt does to its webhook. Every backend's outbox writes and WebhookStore call these, so that
// each only reads and writes rows. Pure functions; no I/O; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/webhook_store.h"

namespace smsgw::store {

// Where a webhook's target comes from, in order of precedence: the subject's inline callback,
// else its callback profile, else the account's default profile (which may not exist).
enum class WebhookTargetSource : uint8_t {
  kInline = 0,
  kProfile = 1,
  kAccountDefault = 2,
};
// Which source applies to a subject (a message, or the inbound entry an MO matched) with these
// targets. Only kAccountDefault needs the account's default profile read.
WebhookTargetSource WebhookTargetSourceOf(std::string_view callback,
                                          std::string_view callback_profile_id);

// What a webhook row records as its target: the inline callback, or else a profile id.
struct WebhookTarget {
  std::string callback;
  std::string callback_profile_id;  // empty with an inline callback

  friend bool operator==(const WebhookTarget&, const WebhookTarget&) = default;
};
// The target of a subject's webhook (WebhookTargetSourceOf's precedence), given the account's
// default profile id (empty when it has none; ignored unless the source is kAccountDefault).
// nullopt: no target at all, and then no webhook is written.
std::optional<WebhookTarget> ResolveWebhookTarget(std::string_view callback,
                                                  std::string_view callback_profile_id,
                                                  std::string_view account_default_profile_id);

// What recording an attempt does to its webhook.
enum class AttemptEffect : uint8_t {
  kCountOnly = 0,  // no longer pending (replayed or abandoned meanwhile): only logged
  kRetry = 1,      // pending, and due again at the attempt's retry_at
  kFinish = 2,     // pending, and finished in AttemptFinishState
};
AttemptEffect AttemptEffectOn(WebhookState current, const WebhookAttempt& attempt);

// The state an attempt without retry_at finishes its webhook in: kDelivered when it succeeded,
// kExhausted when it failed (the retry policy gave up).
WebhookState AttemptFinishState(const WebhookAttempt& attempt);

}  // namespace smsgw::store
