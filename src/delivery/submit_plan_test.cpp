#include "delivery/submit_plan.h"

#include <gtest/gtest.h>

#include "smpp/codec/submit_builder.h"
#include "smpp/codec/tlv.h"

namespace smsgw::delivery {
namespace {

namespace codec = smpp::codec;
using std::chrono::seconds;

core::Message Msg(std::string body, core::Encoding encoding = core::Encoding::kGsm7) {
  core::Message m;
  m.id = "0190e4a0-0000-7000-8000-000000000001:1";
  m.recipient = "919876543210";
  m.sender = "ACMEIN";
  m.body = std::move(body);
  m.encoding = encoding;
  m.created_at = core::FromUnixMillis(1'800'000'000'000);
  return m;
}

TEST(SubmitPlanTest, ShortGsmMessageIsOnePartWithReceiptAndValidity) {
  auto parts = PlanSubmits(Msg("Hello"), {}, seconds(3600));
  ASSERT_TRUE(parts) << parts.error().message;
  ASSERT_EQ(parts->size(), 1u);
  const codec::SubmitSm& sm = parts->front();
  EXPECT_EQ(sm.dest.addr, "919876543210");
  EXPECT_EQ(sm.source.addr, "ACMEIN");
  EXPECT_EQ(sm.data_coding, 0x00);
  EXPECT_EQ(sm.registered_delivery, codec::kRegisteredDeliveryFinal);
  EXPECT_EQ(sm.validity_period, "000000010000000R");
  EXPECT_EQ(std::string(sm.short_message.begin(), sm.short_message.end()), "Hello");
}

TEST(SubmitPlanTest, ValidityIsAtLeastOneMinute) {
  auto parts = PlanSubmits(Msg("Hi"), {}, seconds(5));
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->front().validity_period, "000000000100000R");
}

TEST(SubmitPlanTest, LongMessageKeepsItsReferenceAcrossCalls) {
  const std::string body(400, 'a');
  auto first = PlanSubmits(Msg(body), {}, seconds(3600));
  auto again = PlanSubmits(Msg(body), {}, seconds(3600));
  ASSERT_TRUE(first && again);
  ASSERT_EQ(first->size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*first)[i].esm_class & 0x40, 0x40) << "UDHI on part " << i;
    EXPECT_EQ((*first)[i].short_message, (*again)[i].short_message)
        << "a retry must send the same bytes, reference included";
  }
}

TEST(SubmitPlanTest, UcsFlashMessage) {
  core::Message m = Msg("Привет", core::Encoding::kUcs2);
  m.flash = true;
  auto parts = PlanSubmits(m, {}, seconds(3600));
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->front().data_coding, 0x18);
}

TEST(SubmitPlanTest, SarAndPayloadFollowTheConnector) {
  const std::string body(400, 'b');
  WireSettings sar;
  sar.concat = text::ConcatMethod::kSar;
  auto parts = PlanSubmits(Msg(body), sar, seconds(3600));
  ASSERT_TRUE(parts);
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_TRUE(parts->front().tlvs.Has(codec::tag::kSarMsgRefNum));
  WireSettings payload;
  payload.concat = text::ConcatMethod::kMessagePayload;
  parts = PlanSubmits(Msg(body), payload, seconds(3600));
  ASSERT_TRUE(parts);
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_TRUE(parts->front().tlvs.Has(codec::tag::kMessagePayload));
}

TEST(SubmitPlanTest, DltIdsOnlyWhenTheRegionUsesDlt) {
  core::Message m = Msg("Your OTP is 1234");
  m.entity_id = "1101234567890123456";
  m.template_id = "1107123456789012345";
  auto parts = PlanSubmits(m, {}, seconds(3600));
  ASSERT_TRUE(parts);
  EXPECT_FALSE(parts->front().tlvs.Has(codec::tag::kDltTemplateId));
  WireSettings dlt;
  dlt.dlt = true;
  parts = PlanSubmits(m, dlt, seconds(3600));
  ASSERT_TRUE(parts);
  EXPECT_TRUE(parts->front().tlvs.Has(codec::tag::kDltEntityId));
  EXPECT_TRUE(parts->front().tlvs.Has(codec::tag::kDltTemplateId));
}

TEST(SubmitPlanTest, ConcatReferenceFitsTheMethod) {
  for (int i = 0; i < 1000; ++i) {
    const std::string id = "id-" + std::to_string(i);
    EXPECT_LT(ConcatReference(id, text::ConcatMethod::kUdh8), 256);
    EXPECT_EQ(ConcatReference(id, text::ConcatMethod::kUdh16),
              ConcatReference(id, text::ConcatMethod::kUdh16));
  }
  EXPECT_NE(ConcatReference("a", text::ConcatMethod::kUdh16),
            ConcatReference("b", text::ConcatMethod::kUdh16));
}

TEST(SubmitPlanTest, ValidUntilCountsFromTheSendTime) {
  core::Message m = Msg("x");
  EXPECT_EQ(ValidUntil(m, seconds(60)), m.created_at + seconds(60));
  m.send_at = m.created_at + seconds(3600);
  EXPECT_EQ(ValidUntil(m, seconds(60)), *m.send_at + seconds(60));
}

TEST(SubmitPlanTest, ValidUntilIsTheMessagesOwnExpiryWhenSooner) {
  core::Message m = Msg("x");
  m.expires_at = m.created_at + seconds(30);
  EXPECT_EQ(ValidUntil(m, seconds(60)), m.created_at + seconds(30)) << "sooner: its own";
  m.expires_at = m.created_at + seconds(90);
  EXPECT_EQ(ValidUntil(m, seconds(60)), m.created_at + seconds(60)) << "later: the gateway's";
  m.send_at = m.created_at + seconds(10);
  m.expires_at = m.created_at + seconds(40);
  EXPECT_EQ(ValidUntil(m, seconds(60)), m.created_at + seconds(40));
}

TEST(SubmitPlanTest, RetryDelayDoublesUpToTheCapWithBoundedJitter) {
  using std::chrono::milliseconds;
  EXPECT_EQ(RetryDelay(0, milliseconds(1000), milliseconds(60'000), 0.5), milliseconds(1000));
  EXPECT_EQ(RetryDelay(3, milliseconds(1000), milliseconds(60'000), 0.5), milliseconds(8000));
  EXPECT_EQ(RetryDelay(30, milliseconds(1000), milliseconds(60'000), 0.5), milliseconds(60'000));
  EXPECT_EQ(RetryDelay(0, milliseconds(1000), milliseconds(60'000), 0.0), milliseconds(800));
  EXPECT_EQ(RetryDelay(0, milliseconds(1000), milliseconds(60'000), 1.0), milliseconds(1200));
  EXPECT_EQ(RetryDelay(-4, milliseconds(1000), milliseconds(60'000), 0.5), milliseconds(1000));
}

}  // namespace
}  // namespace smsgw::delivery
