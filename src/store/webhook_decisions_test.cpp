#include "store/webhook_decisions.h"

#include <gtest/gtest.h>

#include <chrono>

namespace smsgw::store {
namespace {

constexpr std::string_view kInline = R"({"url":"https://example.com/dlr"})";

TEST(WebhookTargetTest, AnInlineCallbackComesFirstAndAloneNamesTheTarget) {
  EXPECT_EQ(WebhookTargetSourceOf(kInline, "p1"), WebhookTargetSource::kInline);
  EXPECT_EQ(ResolveWebhookTarget(kInline, "p1", "default"),
            (WebhookTarget{std::string(kInline), ""}));
  EXPECT_EQ(ResolveWebhookTarget(kInline, "", ""), (WebhookTarget{std::string(kInline), ""}));
}

TEST(WebhookTargetTest, ThenTheSubjectsProfile) {
  EXPECT_EQ(WebhookTargetSourceOf("", "p1"), WebhookTargetSource::kProfile);
  EXPECT_EQ(ResolveWebhookTarget("", "p1", "default"), (WebhookTarget{"", "p1"}));
  EXPECT_EQ(ResolveWebhookTarget("", "p1", ""), (WebhookTarget{"", "p1"}));
}

TEST(WebhookTargetTest, ThenTheAccountsDefaultProfile) {
  EXPECT_EQ(WebhookTargetSourceOf("", ""), WebhookTargetSource::kAccountDefault);
  EXPECT_EQ(ResolveWebhookTarget("", "", "default"), (WebhookTarget{"", "default"}));
}

TEST(WebhookTargetTest, NoTargetAtAllWritesNoWebhook) {
  EXPECT_EQ(ResolveWebhookTarget("", "", ""), std::nullopt);
}

WebhookAttempt Attempt(std::string error, std::optional<core::TimePoint> retry_at) {
  WebhookAttempt a;
  a.event_id = "e";
  a.error = std::move(error);
  a.retry_at = retry_at;
  return a;
}

TEST(AttemptEffectTest, APendingWebhookIsRetriedOrFinished) {
  const core::TimePoint later = core::FromUnixMillis(1'000);
  EXPECT_EQ(AttemptEffectOn(WebhookState::kPending, Attempt("HTTP 500", later)),
            AttemptEffect::kRetry);
  EXPECT_EQ(AttemptEffectOn(WebhookState::kPending, Attempt("HTTP 500", std::nullopt)),
            AttemptEffect::kFinish);
  EXPECT_EQ(AttemptEffectOn(WebhookState::kPending, Attempt("", std::nullopt)),
            AttemptEffect::kFinish);
}

TEST(AttemptEffectTest, OneNoLongerPendingIsOnlyCounted) {
  for (const WebhookState s : {WebhookState::kDelivered, WebhookState::kExhausted}) {
    EXPECT_EQ(AttemptEffectOn(s, Attempt("", std::nullopt)), AttemptEffect::kCountOnly);
    EXPECT_EQ(AttemptEffectOn(s, Attempt("timeout", core::FromUnixMillis(1))),
              AttemptEffect::kCountOnly);
  }
}

TEST(AttemptFinishStateTest, DeliveredWithoutErrorExhaustedWithOne) {
  EXPECT_EQ(AttemptFinishState(Attempt("", std::nullopt)), WebhookState::kDelivered);
  EXPECT_EQ(AttemptFinishState(Attempt("timeout", std::nullopt)), WebhookState::kExhausted);
}

}  // namespace
}  // namespace smsgw::store
