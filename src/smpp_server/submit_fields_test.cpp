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

std::string Field(const rapidjson::Document& d, const char* name) {
  return d.HasMember(name) ? d[name].GetString() : "<absent>";
}

TEST(SubmitFields, Gsm7BecomesTheApiFields) {
  rapidjson::Document d;
  // 0x00 is '@' and 0x11 is '_' in GSM 03.38, one septet per octet (SMPP's form).
  ASSERT_TRUE(SubmitFields(Submit({'H', 'i', ' ', 0x00, 0x11}), d));
  EXPECT_EQ(Field(d, "to"), "919876543210");
  EXPECT_EQ(Field(d, "sender"), "ACME");
  EXPECT_EQ(Field(d, "body"), "Hi @_");
  EXPECT_EQ(Field(d, "flash"), "0");
  EXPECT_EQ(Field(d, "channel"), "smpp");
}

TEST(SubmitFields, Ucs2AndFlashAreRead) {
  rapidjson::Document d;
  // "नमस्ते" would do; U+0928 U+092E is enough to prove the UTF-16BE reading.
  ASSERT_TRUE(SubmitFields(Submit({0x09, 0x28, 0x09, 0x2E}, 0x08), d));
  EXPECT_EQ(Field(d, "body"), "\xE0\xA4\xA8\xE0\xA4\xAE");
  EXPECT_EQ(Field(d, "flash"), "0");
  ASSERT_TRUE(SubmitFields(Submit({0x09, 0x28}, 0x18), d));
  EXPECT_EQ(Field(d, "flash"), "1");
  ASSERT_TRUE(SubmitFields(Submit(Bytes("Flash"), 0x10), d));
  EXPECT_EQ(Field(d, "body"), "Flash");
  EXPECT_EQ(Field(d, "flash"), "1");
}

TEST(SubmitFields, MessagePayloadWhenShortMessageIsEmpty) {
  codec::SubmitSm s = Submit({});
  s.tlvs.Add(codec::tag::kMessagePayload, Bytes("from the payload"));
  rapidjson::Document d;
  ASSERT_TRUE(SubmitFields(s, d));
  EXPECT_EQ(Field(d, "body"), "from the payload");
}

TEST(SubmitFields, RefusesWhatThisStepCannotHonour) {
  rapidjson::Document d;
  EXPECT_EQ(SubmitFields(Submit({}), d).error(), CommandStatus::kInvalidMessageLength);
  EXPECT_EQ(SubmitFields(Submit(Bytes("bin"), 0x04), d).error(), CommandStatus::kSubmitFailed);
  codec::SubmitSm udh = Submit({0x05, 0x00, 0x03, 0x01, 0x02, 0x01, 'a'});
  udh.esm_class = 0x40;
  EXPECT_EQ(SubmitFields(udh, d).error(), CommandStatus::kInvalidEsmClass);
  codec::SubmitSm sar = Submit(Bytes("part"));
  sar.tlvs.Add(codec::tag::kSarMsgRefNum, {0x00, 0x01});
  EXPECT_EQ(SubmitFields(sar, d).error(), CommandStatus::kInvalidEsmClass);
  codec::SubmitSm scheduled = Submit(Bytes("later"));
  scheduled.schedule_delivery_time = "000001000000000R";
  EXPECT_EQ(SubmitFields(scheduled, d).error(), CommandStatus::kInvalidScheduleTime);
  codec::SubmitSm expiring = Submit(Bytes("soon"));
  expiring.validity_period = "000001000000000R";
  EXPECT_EQ(SubmitFields(expiring, d).error(), CommandStatus::kInvalidExpiryTime);
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
  EXPECT_EQ(StatusFor({MakeFieldError(ApiError::kTemplateIdInvalid)}),
            CommandStatus::kSubmitFailed);
}

}  // namespace
}  // namespace smsgw::smpp_server
