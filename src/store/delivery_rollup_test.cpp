// DeliveryRollup (delivery_rollup.h) alone: what accepting and settling fold into which key, and
// merging, without a backend.

#include "store/delivery_rollup.h"

#include <gtest/gtest.h>

#include <chrono>

namespace smsgw::store {
namespace {

using core::MessageState;
using core::RouteType;
using std::chrono::seconds;

const core::TimePoint kT0 = core::FromUnixMillis(1'700'000'000'000);  // 22:13:20 UTC
const int64_t kMinute0 = 1'700'000'000'000 / 60'000;

const RollupCounts& At(const DeliveryRollup& r, std::string_view sid, int64_t minute,
                       std::string_view connector, RouteType type) {
  static const RollupCounts kNone;
  auto it = r.counts().find(DeliveryRollup::KeyView{sid, minute, connector, type});
  return it == r.counts().end() ? kNone : it->second;
}

TEST(DeliveryRollup, UnixMinutesFloorAlsoBeforeTheEpoch) {
  EXPECT_EQ(UnixMinute(kT0), kMinute0);
  EXPECT_EQ(UnixMinute(core::FromUnixMillis(-1)), -1);
  EXPECT_EQ(UnixMinute(core::FromUnixMillis(-60'000)), -1);
  EXPECT_EQ(UnixMinute(core::FromUnixMillis(-60'001)), -2);
  EXPECT_EQ(RollupKeepFrom(kMinute0), kMinute0 - 8 * 24 * 60);
}

TEST(DeliveryRollup, AcceptedCountsWithoutAConnector) {
  DeliveryRollup r;
  r.Accepted("A", RouteType::kDefault, kT0);
  r.Accepted("A", RouteType::kDefault, kT0 + seconds(10));
  r.Accepted("A", RouteType::kOtp, kT0);
  EXPECT_EQ(r.keys(), 2u);
  EXPECT_EQ(At(r, "A", kMinute0, "", RouteType::kDefault).accepted, 2u);
  EXPECT_EQ(At(r, "A", kMinute0, "", RouteType::kOtp).accepted, 1u);
}

TEST(DeliveryRollup, FinalStatesCountByConnectorWithTheirReceiptDelay) {
  DeliveryRollup r;
  r.Finished("A", "c1", RouteType::kDefault, MessageState::kDelivered, kT0, 0.5);
  r.Finished("A", "c1", RouteType::kDefault, MessageState::kUndelivered, kT0, 45.0);
  r.Finished("A", "c1", RouteType::kDefault, MessageState::kNotSent, kT0, std::nullopt);
  r.Finished("A", "", RouteType::kDefault, MessageState::kNotSent, kT0 + seconds(60), std::nullopt);
  const RollupCounts& c = At(r, "A", kMinute0, "c1", RouteType::kDefault);
  EXPECT_EQ(c.delivered, 1u);
  EXPECT_EQ(c.undelivered, 1u);
  EXPECT_EQ(c.not_sent, 1u);
  EXPECT_EQ(c.delay[DelayBucket(0.5)], 1u);
  EXPECT_EQ(c.delay[DelayBucket(45.0)], 1u);
  EXPECT_EQ(At(r, "A", kMinute0 + 1, "", RouteType::kDefault).not_sent, 1u);
  EXPECT_EQ(r.NewestMinute(), kMinute0 + 1);
}

TEST(DeliveryRollup, MergingAddsKeyByKey) {
  DeliveryRollup a, group;
  a.Accepted("A", RouteType::kDefault, kT0);
  a.Finished("A", "c1", RouteType::kDefault, MessageState::kDelivered, kT0, 3.0);
  group.Accepted("A", RouteType::kDefault, kT0);
  group.Accepted("B", RouteType::kDefault, kT0);
  a.MergeInto(group);
  EXPECT_EQ(group.keys(), 3u);
  EXPECT_EQ(At(group, "A", kMinute0, "", RouteType::kDefault).accepted, 2u);
  EXPECT_EQ(At(group, "A", kMinute0, "c1", RouteType::kDefault).delay[DelayBucket(3.0)], 1u);
  EXPECT_EQ(a.keys(), 2u);
  group.clear();
  EXPECT_TRUE(group.empty());
  EXPECT_FALSE(group.NewestMinute());
}

}  // namespace
}  // namespace smsgw::store
