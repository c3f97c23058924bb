#include "smpp_server/submit_fields.h"

#include <gtest/gtest.h>

#include <string>

#include "smpp/codec/tlv.h"

namespace smsgw::smpp_server {
namespace {

namespace codec = smpp::codec;
using codec::CommandStatus;

codec::SubmitSm Submit(std::vector<uint8_t> text, uint8_t data_coding = 0) {
  codec::SubmitSm s;
  s.source = {codec::kTonAlphanumeric, codec::kNpiUnknown, "ACME"};
  s.dest = {codec::kTonInternational, codec::kNpiIsdn, "919876543210"};
  s.data_coding = data_coding;
  s.short_message = std::move(text);
  return s;
}

std::vector<uint8_t> Bytes(std::string_view s) { return {s.begin(), s.end()}; }

const core::TimePoint kNow = *core::ParseIso8601("2026-12-05T23:30:00Z");

std::string Field(const rapidjson::Document& d, const char* name) {
  return d.HasMember(name) ? d[name].GetString() : "<absent>";
}

TEST(SubmitFields, Gsm7BecomesTheApiFields) {
  rapidjson::Document d;
  // 0x00 is '@' and 0x11 is '_' in GSM 03.38, one septet per octet (SMPP's form).
  ASSERT_TRUE(SubmitFields(Submit({'H', 'i', ' ', 0x00, 0x11}), kNow, d));
  EXPECT_EQ(Field(d, "to"), "919876543210");
  EXPECT_EQ(Field(d, "sender"), "ACME");
  EXPECT_EQ(Field(d, "body"), "Hi @_");
  EXPECT_EQ(Field(d, "flash"), "0");
  EXPECT_EQ(Field(d, "channel"), "smpp");
}

TEST(SubmitFields, Ucs2AndFlashAreRead) {
  rapidjson::Document d;
  // "नमस्ते" would do; U+0928 U+092E is enough to prove the UTF-16BE reading.
  ASSERT_TRUE(SubmitFields(Submit({0x09, 0x28, 0x09, 0x2E}, 0x08), kNow, d));
  EXPECT_EQ(Field(d, "body"), "\xE0\xA4\xA8\xE0\xA4\xAE");
  EXPECT_EQ(Field(d, "flash"), "0");
  ASSERT_TRUE(SubmitFields(Submit({0x09, 0x28}, 0x18), kNow, d));
  EXPECT_EQ(Field(d, "flash"), "1");
  ASSERT_TRUE(SubmitFields(Submit(Bytes("Flash"), 0x10), kNow, d));
  EXPECT_EQ(Field(d, "body"), "Flash");
  EXPECT_EQ(Field(d, "flash"), "1");
}

TEST(SubmitFields, MessagePayloadWhenShortMessageIsEmpty) {
  codec::SubmitSm s = Submit({});
  s.tlvs.Add(codec::tag::kMessagePayload, Bytes("from the payload"));
  rapidjson::Document d;
  ASSERT_TRUE(SubmitFields(s, kNow, d));
  EXPECT_EQ(Field(d, "body"), "from the payload");
}

TEST(SubmitFields, RefusesWhatThisStepCannotHonour) {
  rapidjson::Document d;
  EXPECT_EQ(SubmitFields(Submit({}), kNow, d).error(), CommandStatus::kInvalidMessageLength);
  EXPECT_EQ(SubmitFields(Submit(Bytes("bin"), 0x04), kNow, d).error(),
            CommandStatus::kSubmitFailed);
  // U+0000 (UCS-2 0x0000, Latin-1 0x00) is no character of a message: refused, as the API does.
  EXPECT_EQ(SubmitFields(Submit({0x00, 0x41, 0x00, 0x00}, 0x08), kNow, d).error(),
            CommandStatus::kSubmitFailed);
  EXPECT_EQ(SubmitFields(Submit({'a', 0x00}, 0x03), kNow, d).error(), CommandStatus::kSubmitFailed);
  ASSERT_TRUE(SubmitFields(Submit({0x00, 'a'}, 0x00), kNow, d)) << "GSM 0x00 is '@'";
  EXPECT_EQ(Field(d, "body"), "@a");
  codec::SubmitSm udh = Submit({0x05, 0x00, 0x03, 0x01, 0x02, 0x01, 'a'});
  udh.esm_class = 0x40;
  EXPECT_EQ(SubmitFields(udh, kNow, d).error(), CommandStatus::kInvalidEsmClass);
  codec::SubmitSm sar = Submit(Bytes("part"));
  sar.tlvs.Add(codec::tag::kSarMsgRefNum, {0x00, 0x01});
  EXPECT_EQ(SubmitFields(sar, kNow, d).error(), CommandStatus::kInvalidEsmClass);
  codec::SubmitSm scheduled = Submit(Bytes("later"));
  scheduled.schedule_delivery_time = "000001000000000X";
  EXPECT_EQ(SubmitFields(scheduled, kNow, d).error(), CommandStatus::kInvalidScheduleTime);
  codec::SubmitSm expiring = Submit(Bytes("soon"));
  expiring.validity_period = "261131000000000+";
  EXPECT_EQ(SubmitFields(expiring, kNow, d).error(), CommandStatus::kInvalidExpiryTime);
  codec::SubmitSm long_id = Submit(Bytes("dlt"));
  long_id.tlvs.Add(codec::tag::kDltTemplateId, std::vector<uint8_t>(kMaxDltId + 1, '1'));
  EXPECT_EQ(SubmitFields(long_id, kNow, d).error(), CommandStatus::kInvalidOptionalParamValue);
}

TEST(SubmitFields, ScheduleBecomesTheApiTime) {
  rapidjson::Document d;
  codec::SubmitSm s = Submit(Bytes("later"));
  s.schedule_delivery_time = "000000010000000R";  // an hour from now
  auto extras = SubmitFields(s, kNow, d);
  ASSERT_TRUE(extras);
  EXPECT_EQ(Field(d, "time"), "2026-12-06T00:30:00+00:00");
  EXPECT_FALSE(extras->valid_until.has_value());
  s.schedule_delivery_time = "261206160000022+";  // 16:00 in India
  ASSERT_TRUE(SubmitFields(s, kNow, d));
  EXPECT_EQ(Field(d, "time"), "2026-12-06T10:30:00+00:00");
  ASSERT_TRUE(SubmitFields(Submit(Bytes("now")), kNow, d));
  EXPECT_EQ(Field(d, "time"), "<absent>");
}

TEST(SubmitFields, ValidityIsKeptForAccept) {
  rapidjson::Document d;
  codec::SubmitSm s = Submit(Bytes("soon"));
  s.validity_period = "000000020000000R";
  auto extras = SubmitFields(s, kNow, d);
  ASSERT_TRUE(extras);
  ASSERT_TRUE(extras->valid_until.has_value());
  EXPECT_EQ(*extras->valid_until, kNow + std::chrono::hours(2));
}

TEST(SubmitFields, DltTlvs) {
  rapidjson::Document d;
  codec::SubmitSm s = Submit(Bytes("Your OTP is 1234"));
  // 0x1401 as an Octet String, 0x1400 as a C-Octet String: both read without the NUL.
  s.tlvs.Add(codec::tag::kDltTemplateId, Bytes("1107160000000012345"));
  s.tlvs.Add(codec::tag::kDltEntityId, Bytes(std::string_view("1101000000000067890\0", 20)));
  auto extras = SubmitFields(s, kNow, d);
  ASSERT_TRUE(extras);
  EXPECT_EQ(Field(d, "template_id"), "1107160000000012345");
  EXPECT_EQ(extras->entity_id, "1101000000000067890");
  ASSERT_TRUE(SubmitFields(Submit(Bytes("plain")), kNow, d));
  EXPECT_EQ(Field(d, "template_id"), "<absent>");
}

TEST(SubmitFields, DataSmAndSubmitMultiReadAsSubmitSm) {
  codec::DataSm data;
  data.source = {5, 0, "ACME"};
  data.dest = {1, 1, "14155550123"};
  data.data_coding = 0x10;
  data.tlvs.Add(codec::tag::kMessagePayload, Bytes("payload"));
  rapidjson::Document d;
  ASSERT_TRUE(SubmitFields(AsSubmitSm(data), kNow, d));
  EXPECT_EQ(Field(d, "to"), "14155550123");
  EXPECT_EQ(Field(d, "body"), "payload");
  EXPECT_EQ(Field(d, "flash"), "1");

  codec::SubmitMulti multi;
  multi.source = {5, 0, "ACME"};
  multi.dests = {codec::MultiDest{.address = {1, 1, "14155550123"}},
                 codec::MultiDest{.address = {1, 1, "14155550124"}}};
  multi.schedule_delivery_time = "000000010000000R";
  multi.short_message = Bytes("to both");
  ASSERT_TRUE(SubmitFields(AsSubmitSm(multi, multi.dests[1].address), kNow, d));
  EXPECT_EQ(Field(d, "to"), "14155550124");
  EXPECT_EQ(Field(d, "body"), "to both");
  EXPECT_EQ(Field(d, "time"), "2026-12-06T00:30:00+00:00");
}

TEST(SubmitFields, AcceptChecksValidityAgainstTheSendTime) {
  api::SendRequest request;
  EXPECT_TRUE(Accept({}, kNow, request));
  EXPECT_TRUE(Accept({.valid_until = kNow + std::chrono::minutes(1)}, kNow, request));
  EXPECT_EQ(Accept({.valid_until = kNow}, kNow, request).error(),
            CommandStatus::kInvalidExpiryTime);
  EXPECT_EQ(Accept({.valid_until = kNow - std::chrono::hours(1)}, kNow, request).error(),
            CommandStatus::kInvalidExpiryTime);
  request.send_at = kNow + std::chrono::hours(1);  // scheduled: it must outlive the schedule
  EXPECT_EQ(Accept({.valid_until = kNow + std::chrono::minutes(30)}, kNow, request).error(),
            CommandStatus::kInvalidExpiryTime);
  EXPECT_TRUE(Accept({.valid_until = kNow + std::chrono::hours(2)}, kNow, request));
}

TEST(SubmitFields, AcceptChecksTheEntityId) {
  api::SendRequest registered;
  registered.template_id = "1107160000000012345";
  registered.entity_id = "1101000000000067890";
  EXPECT_TRUE(Accept({.entity_id = "1101000000000067890"}, kNow, registered));
  EXPECT_EQ(Accept({.entity_id = "1101000000000000000"}, kNow, registered).error(),
            CommandStatus::kInvalidSourceAddress);
  EXPECT_EQ(registered.entity_id, "1101000000000067890");
  // A DLT send whose sender has no entity id on record carries the customer's.
  api::SendRequest unrecorded;
  unrecorded.template_id = "1107160000000012345";
  EXPECT_TRUE(Accept({.entity_id = "1101000000000067890"}, kNow, unrecorded));
  EXPECT_EQ(unrecorded.entity_id, "1101000000000067890");
  // Outside DLT (no template) it is not carried.
  api::SendRequest plain;
  EXPECT_TRUE(Accept({.entity_id = "1101000000000067890"}, kNow, plain));
  EXPECT_EQ(plain.entity_id, "");
}

TEST(SubmitFields, StatusForTheFirstValidationError) {
  using api::ApiError;
  using api::MakeFieldError;
  EXPECT_EQ(
      StatusFor({MakeFieldError(ApiError::kToInvalid), MakeFieldError(ApiError::kSenderInvalid)}),
      CommandStatus::kInvalidDestAddress);
  EXPECT_EQ(StatusFor({MakeFieldError(ApiError::kSenderNotRegistered)}),
            CommandStatus::kInvalidSourceAddress);
  EXPECT_EQ(StatusFor({MakeFieldError(ApiError::kBodyTooLong)}),
            CommandStatus::kInvalidMessageLength);
  EXPECT_EQ(StatusFor({MakeFieldError(ApiError::kStoreUnavailable)}), CommandStatus::kSystemError);
  EXPECT_EQ(StatusFor({MakeFieldError(ApiError::kTimeInvalid)}),
            CommandStatus::kInvalidScheduleTime);
  EXPECT_EQ(StatusFor({MakeFieldError(ApiError::kTemplateIdInvalid)}),
            CommandStatus::kSubmitFailed);
}

}  // namespace
}  // namespace smsgw::smpp_server
