#include "smpp/codec/receipt.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace smsgw::smpp::codec {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_days;

core::TimePoint Utc(std::chrono::year_month_day day, std::chrono::seconds time) {
  return sys_days(day) + time;
}

DeliveryReceipt Parse(std::string_view text) {
  core::Result<DeliveryReceipt> r = ParseReceiptText(text);
  EXPECT_TRUE(r.has_value()) << text << ": " << (r ? "" : r.error().message);
  return r.value_or(DeliveryReceipt{});
}

TEST(Receipt, EsmClass) {
  EXPECT_TRUE(IsDeliveryReceipt(0x04));
  EXPECT_TRUE(IsDeliveryReceipt(0x44));  // with UDHI
  EXPECT_TRUE(IsDeliveryReceipt(0x84 | 0x04));
  EXPECT_TRUE(IsDeliveryReceipt(0x20));   // intermediate delivery notification
  EXPECT_FALSE(IsDeliveryReceipt(0x00));  // MO
  EXPECT_FALSE(IsDeliveryReceipt(0x40));
  EXPECT_FALSE(IsDeliveryReceipt(0x08));  // SME delivery acknowledgement
  EXPECT_FALSE(IsDeliveryReceipt(0x10));  // SME manual/user acknowledgement
  EXPECT_FALSE(IsDeliveryReceipt(0x0C));
}

TEST(Receipt, AppendixBForm) {
  const DeliveryReceipt r = Parse(
      "id:0123456789 sub:001 dlvrd:001 submit date:2311261030 done date:2311261031 "
      "stat:DELIVRD err:000 text:Hello world");
  EXPECT_EQ(r.message_id, "0123456789");
  EXPECT_EQ(r.submitted, 1);
  EXPECT_EQ(r.delivered, 1);
  EXPECT_EQ(r.submit_date, Utc(2023y / 11 / 26, 10h + 30min));
  EXPECT_EQ(r.done_date, Utc(2023y / 11 / 26, 10h + 31min));
  EXPECT_EQ(r.stat, "DELIVRD");
  EXPECT_EQ(r.state, MessageState::kDelivered);
  EXPECT_EQ(r.err, "000");
  EXPECT_EQ(r.text, "Hello world");
}

TEST(Receipt, TwelveDigitDatesAndHexIds) {
  const DeliveryReceipt r = Parse(
      "id:b5e3f2a1 sub:001 dlvrd:000 submit date:231126103015 done date:231127235959 "
      "stat:UNDELIV err:034 text:");
  EXPECT_EQ(r.message_id, "b5e3f2a1");
  EXPECT_EQ(r.delivered, 0);
  EXPECT_EQ(r.submit_date, Utc(2023y / 11 / 26, 10h + 30min + 15s));
  EXPECT_EQ(r.done_date, Utc(2023y / 11 / 27, 23h + 59min + 59s));
  EXPECT_EQ(r.state, MessageState::kUndeliverable);
  EXPECT_EQ(r.err, "034");
  EXPECT_EQ(r.text, "");
}

TEST(Receipt, AnyCase) {
  const DeliveryReceipt lower = Parse(
      "id:1234 sub:001 dlvrd:001 submit date:2402291200 done date:2402291201 stat:delivrd "
      "err:000");
  EXPECT_EQ(lower.stat, "delivrd");
  EXPECT_EQ(lower.state, MessageState::kDelivered);
  EXPECT_EQ(lower.done_date, Utc(2024y / 2 / 29, 12h + 1min));  // a leap day
  const DeliveryReceipt upper = Parse(
      "ID:1234 SUB:001 DLVRD:000 SUBMIT DATE:2311261030 DONE DATE:2311261031 STAT:EXPIRED "
      "ERR:000 TEXT:HI");
  EXPECT_EQ(upper.message_id, "1234");
  EXPECT_EQ(upper.state, MessageState::kExpired);
  EXPECT_EQ(upper.submit_date, Utc(2023y / 11 / 26, 10h + 30min));
  EXPECT_EQ(upper.text, "HI");
}

TEST(Receipt, AnyFieldOrder) {
  const DeliveryReceipt r = Parse(
      "stat:REJECTD err:069 id:77 done date:2311270000 submit date:2311261030 dlvrd:000 "
      "sub:001");
  EXPECT_EQ(r.message_id, "77");
  EXPECT_EQ(r.state, MessageState::kRejected);
  EXPECT_EQ(r.err, "069");
  EXPECT_EQ(r.done_date, Utc(2023y / 11 / 27, 0s));
  EXPECT_EQ(r.submit_date, Utc(2023y / 11 / 26, 10h + 30min));
  EXPECT_EQ(r.submitted, 1);
  EXPECT_EQ(r.delivered, 0);
}

TEST(Receipt, MissingFields) {
  const DeliveryReceipt r = Parse("id:1234 stat:DELETED");
  EXPECT_EQ(r.message_id, "1234");
  EXPECT_EQ(r.state, MessageState::kDeleted);
  EXPECT_EQ(r.err, "");
  EXPECT_FALSE(r.submitted.has_value());
  EXPECT_FALSE(r.submit_date.has_value());
  EXPECT_FALSE(r.done_date.has_value());
  EXPECT_EQ(r.text, "");
  // Only an id: still a receipt, state unknown.
  const DeliveryReceipt id_only = Parse("id:99");
  EXPECT_EQ(id_only.state, MessageState::kUnknown);
}

TEST(Receipt, ExtraSpacesAndSeparators) {
  const DeliveryReceipt r = Parse(
      "  id: 1234   sub : 001  dlvrd:001 submit_date:2311261030   done-date:2311261031\t"
      "stat:  ACCEPTD\r\nerr:000 ");
  EXPECT_EQ(r.message_id, "1234");
  EXPECT_EQ(r.submitted, 1);
  EXPECT_EQ(r.submit_date, Utc(2023y / 11 / 26, 10h + 30min));
  EXPECT_EQ(r.done_date, Utc(2023y / 11 / 26, 10h + 31min));
  EXPECT_EQ(r.state, MessageState::kAccepted);
  EXPECT_EQ(r.err, "000");
  const DeliveryReceipt joined = Parse("id:5,stat:DELIVRD;err:000 submitdate:2311261030");
  EXPECT_EQ(joined.message_id, "5");
  EXPECT_EQ(joined.state, MessageState::kDelivered);
  EXPECT_EQ(joined.submit_date, Utc(2023y / 11 / 26, 10h + 30min));
}

TEST(Receipt, StatWords) {
  EXPECT_EQ(StateFromStat("DELIVRD"), MessageState::kDelivered);
  EXPECT_EQ(StateFromStat("DELIVERED"), MessageState::kDelivered);
  EXPECT_EQ(StateFromStat("Delivered"), MessageState::kDelivered);
  EXPECT_EQ(StateFromStat("UNDELIV"), MessageState::kUndeliverable);
  EXPECT_EQ(StateFromStat("UNDELIVERABLE"), MessageState::kUndeliverable);
  EXPECT_EQ(StateFromStat("UNDELIVERED"), MessageState::kUndeliverable);
  EXPECT_EQ(StateFromStat("ACCEPTD"), MessageState::kAccepted);
  EXPECT_EQ(StateFromStat("REJECTED"), MessageState::kRejected);
  EXPECT_EQ(StateFromStat("ENROUTE"), MessageState::kEnroute);
  EXPECT_EQ(StateFromStat("EXPIRED"), MessageState::kExpired);
  EXPECT_EQ(StateFromStat("DELETED"), MessageState::kDeleted);
  EXPECT_EQ(StateFromStat("UNKNOWN"), MessageState::kUnknown);
  EXPECT_EQ(StateFromStat("FAILED"), MessageState::kUnknown);
  EXPECT_EQ(StateFromStat("DELIVR"), MessageState::kUnknown);
  EXPECT_EQ(StateFromStat(""), MessageState::kUnknown);
  const DeliveryReceipt r = Parse("id:1 stat:FAILED err:1");
  EXPECT_EQ(r.stat, "FAILED");  // kept for the delivery layer to log
  EXPECT_EQ(r.state, MessageState::kUnknown);
}

TEST(Receipt, TextThatQuotesKeysDoesNotOverrideFields) {
  const DeliveryReceipt r = Parse("id:42 stat:DELIVRD err:000 text:your id:7 stat:UNDELIV ok");
  EXPECT_EQ(r.message_id, "42");
  EXPECT_EQ(r.state, MessageState::kDelivered);
  EXPECT_EQ(r.text, "your id:7 stat:UNDELIV ok");
}

TEST(Receipt, KeysOnlyAtWordStarts) {
  const DeliveryReceipt r = Parse("msgid:9 id:10 xstat:BAD stat:DELIVRD");
  EXPECT_EQ(r.message_id, "10");
  EXPECT_EQ(r.state, MessageState::kDelivered);
}

TEST(Receipt, BadDatesAndCountsAreDroppedNotFatal) {
  const DeliveryReceipt r =
      Parse("id:1 sub:abc dlvrd: submit date:2313261030 done date:2302291200 stat:DELIVRD");
  EXPECT_FALSE(r.submitted.has_value());
  EXPECT_FALSE(r.delivered.has_value());
  EXPECT_FALSE(r.submit_date.has_value());  // month 13
  EXPECT_FALSE(r.done_date.has_value());    // 2023 has no 29 February
  EXPECT_EQ(r.state, MessageState::kDelivered);
  EXPECT_FALSE(Parse("id:1 done date:23112610 stat:DELIVRD").done_date.has_value());
  EXPECT_FALSE(Parse("id:1 done date:2311262460 stat:DELIVRD").done_date.has_value());
}

TEST(Receipt, NotAReceipt) {
  EXPECT_FALSE(ParseReceiptText("").has_value());
  EXPECT_FALSE(ParseReceiptText("Hello, see you at 10:30").has_value());
  EXPECT_FALSE(ParseReceiptText("id: stat:").has_value());
  EXPECT_FALSE(ParseReceiptText("sub:001 dlvrd:001 err:000").has_value());
}

DeliverSm ReceiptPdu(std::string_view text) {
  DeliverSm d;
  d.esm_class = kEsmClassDeliveryReceipt;
  d.short_message.assign(text.begin(), text.end());
  return d;
}

TEST(Receipt, FromTlvsAlone) {
  DeliverSm d = ReceiptPdu("");
  d.tlvs.SetCString(tag::kReceiptedMessageId, "4d2");
  d.tlvs.SetU8(tag::kMessageState, 5);
  d.tlvs.Set(tag::kNetworkErrorCode, {3, 0x00, 0x0B});
  const core::Result<DeliveryReceipt> r = ParseReceipt(d);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->message_id, "4d2");
  EXPECT_EQ(r->state, MessageState::kUndeliverable);
  EXPECT_EQ(r->stat, "UNDELIV");
  EXPECT_EQ(r->network_error, (NetworkErrorCode{3, 11}));
}

TEST(Receipt, TlvsWinForIdAndState) {
  DeliverSm d = ReceiptPdu("id:1234 sub:001 dlvrd:001 done date:2311261031 stat:DELIVRD err:000");
  d.tlvs.SetCString(tag::kReceiptedMessageId, "4D2");
  d.tlvs.SetU8(tag::kMessageState, 2);
  core::Result<DeliveryReceipt> r = ParseReceipt(d);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->message_id, "4D2");
  EXPECT_EQ(r->stat, "DELIVRD");
  EXPECT_EQ(r->done_date, Utc(2023y / 11 / 26, 10h + 31min));  // the text still counts
  EXPECT_EQ(r->err, "000");

  d.tlvs.SetU8(tag::kMessageState, 8);  // disagrees with the text
  r = ParseReceipt(d);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->state, MessageState::kRejected);
  EXPECT_EQ(r->stat, "REJECTD");

  d.tlvs.SetU8(tag::kMessageState, 0);  // out of range: the text's state stands
  r = ParseReceipt(d);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->state, MessageState::kDelivered);
  d.tlvs.SetU8(tag::kMessageState, 9);
  EXPECT_EQ(ParseReceipt(d)->state, MessageState::kDelivered);
}

TEST(Receipt, TextInMessagePayload) {
  DeliverSm d = ReceiptPdu("");
  const std::string text = "id:abc stat:EXPIRED";
  d.tlvs.Set(tag::kMessagePayload, std::vector<uint8_t>(text.begin(), text.end()));
  const core::Result<DeliveryReceipt> r = ParseReceipt(d);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->message_id, "abc");
  EXPECT_EQ(r->state, MessageState::kExpired);

  DataSm data;
  data.esm_class = kEsmClassDeliveryReceipt;
  data.tlvs.Set(tag::kMessagePayload, std::vector<uint8_t>(text.begin(), text.end()));
  data.tlvs.SetCString(tag::kReceiptedMessageId, "def");
  const core::Result<DeliveryReceipt> from_data = ParseReceipt(data);
  ASSERT_TRUE(from_data.has_value());
  EXPECT_EQ(from_data->message_id, "def");
  EXPECT_EQ(from_data->state, MessageState::kExpired);
}

TEST(Receipt, WithoutAnIdItIsAnError) {
  EXPECT_FALSE(ParseReceipt(ReceiptPdu("stat:DELIVRD err:000")).has_value());
  EXPECT_FALSE(ParseReceipt(ReceiptPdu("")).has_value());
  DeliverSm d = ReceiptPdu("Hello");
  d.tlvs.SetCString(tag::kReceiptedMessageId, "");
  EXPECT_FALSE(ParseReceipt(d).has_value());
  EXPECT_FALSE(ParseReceipt(DataSm{}).has_value());
}

TEST(Receipt, FormatParsesBack) {
  DeliveryReceipt r;
  r.message_id = "4d2";
  r.state = MessageState::kDelivered;
  r.submitted = 1;
  r.delivered = 1;
  r.submit_date = Utc(2023y / 11 / 26, 10h + 30min);
  r.done_date = Utc(2023y / 11 / 26, 10h + 31min);
  r.text = "Hello";
  const std::string text = FormatReceiptText(r);
  EXPECT_EQ(text,
            "id:4d2 sub:001 dlvrd:001 submit date:2311261030 done date:2311261031 stat:DELIVRD "
            "err:000 text:Hello");
  DeliveryReceipt expected = r;
  expected.stat = "DELIVRD";
  expected.err = "000";
  EXPECT_EQ(Parse(text), expected);

  DeliveryReceipt bare{.message_id = "9", .state = MessageState::kUndeliverable};
  EXPECT_EQ(FormatReceiptText(bare), "id:9 sub:001 dlvrd:000 stat:UNDELIV err:000 text:");
}

}  // namespace
}  // namespace smsgw::smpp::codec
