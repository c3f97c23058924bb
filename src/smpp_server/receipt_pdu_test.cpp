#include "smpp_server/receipt_pdu.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "smpp/codec/receipt.h"
#include "smpp/codec/tlv.h"

namespace smsgw::smpp_server {
namespace {

namespace codec = smpp::codec;
using core::MessageState;

core::TimePoint At(int year, unsigned month, unsigned day, int hour, int minute) {
  using namespace std::chrono;
  return sys_days{std::chrono::year{year} / month / day} + hours(hour) + minutes(minute);
}

store::SmppOutboxJob Job(MessageState state, std::string details) {
  store::SmppOutboxJob job;
  job.message_id = "0190c2d4-8a7e-7c3e-9f00-0123456789ab:1";
  job.state = state;
  job.details = std::move(details);
  job.recipient = "919876543210";
  job.sender = "ACMEIN";
  job.body = "Your code is 123456, valid for 10 minutes";
  job.submitted_at = At(2026, 12, 5, 23, 10);
  job.at = At(2026, 12, 5, 23, 11);
  return job;
}

TEST(ReceiptDeliverSm, FinalReceiptHasTheStandardTextAndTlvs) {
  const codec::DeliverSm pdu = ReceiptDeliverSm(Job(MessageState::kDelivered, "DELIVRD"));
  EXPECT_EQ(pdu.esm_class, 0x04);
  EXPECT_EQ(pdu.source.addr, "919876543210");
  EXPECT_EQ(pdu.source.ton, codec::kTonInternational);
  EXPECT_EQ(pdu.dest.addr, "ACMEIN");
  EXPECT_EQ(pdu.dest.ton, codec::kTonAlphanumeric);
  const std::string text(pdu.short_message.begin(), pdu.short_message.end());
  EXPECT_EQ(text,
            "id:0190c2d4-8a7e-7c3e-9f00-0123456789ab:1 sub:001 dlvrd:001 submit date:2612052310 "
            "done date:2612052311 stat:DELIVRD err:000 text:Your code is 123456,");
  EXPECT_EQ(pdu.tlvs.GetString(codec::tag::kReceiptedMessageId),
            "0190c2d4-8a7e-7c3e-9f00-0123456789ab:1");
  EXPECT_EQ(pdu.tlvs.GetU8(codec::tag::kMessageState), 2) << "DELIVERED";
  // What our own receipt parser (the one that reads carriers' receipts) makes of it.
  codec::DeliverSm as_received = pdu;
  auto parsed = codec::ParseReceipt(as_received);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->message_id, "0190c2d4-8a7e-7c3e-9f00-0123456789ab:1");
  EXPECT_EQ(parsed->state, codec::MessageState::kDelivered);
  EXPECT_EQ(parsed->done_date, At(2026, 12, 5, 23, 11));
}

TEST(ReceiptDeliverSm, TheIdIsInTheCredentialsForm) {
  store::SmppOutboxJob job = Job(MessageState::kDelivered, "DELIVRD");
  job.id_format = store::SmppIdFormat::kDecimal;
  const codec::DeliverSm pdu = ReceiptDeliverSm(job);
  const std::string decimal =
      "002080870370109335236730243998816897451"
      "1";  // 0x0190c2d48a7e7c3e9f000123456789ab, 1
  EXPECT_EQ(pdu.tlvs.GetString(codec::tag::kReceiptedMessageId), decimal);
  auto parsed = codec::ParseReceipt(pdu);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->message_id, decimal);
}

TEST(ReceiptDeliverSm, StatesAndTheIntermediateNotification) {
  struct Case {
    MessageState state;
    const char* details;
    codec::MessageState smpp;
    const char* stat;
  };
  for (const Case& c :
       {Case{MessageState::kUndelivered, "UNDELIV", codec::MessageState::kUndeliverable,
             "stat:UNDELIV"},
        Case{MessageState::kUndelivered, "EXPIRED", codec::MessageState::kExpired, "stat:EXPIRED"},
        Case{MessageState::kNotSent, "CANCELLED", codec::MessageState::kDeleted, "stat:DELETED"},
        Case{MessageState::kNotSent, "NO-ROUTE", codec::MessageState::kUndeliverable,
             "stat:UNDELIV"},
        Case{MessageState::kSubmitted, "SUBMITTED", codec::MessageState::kEnroute,
             "stat:ENROUTE"}}) {
    const codec::DeliverSm pdu = ReceiptDeliverSm(Job(c.state, c.details));
    const std::string text(pdu.short_message.begin(), pdu.short_message.end());
    EXPECT_NE(text.find(c.stat), std::string::npos) << text;
    EXPECT_NE(text.find("dlvrd:000"), std::string::npos) << text;
    auto parsed = codec::ParseReceipt(pdu);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->state, c.smpp) << c.details;
    EXPECT_EQ(pdu.esm_class, c.state == MessageState::kSubmitted ? 0x20 : 0x04) << c.details;
  }
}

// The err field and network_error_code of a receipt: the carrier's err, else the
// submit_sm_resp's command_status, else none.
TEST(ReceiptDeliverSm, ErrCarriesTheCarriersErrorOrTheSubmitStatus) {
  const auto text_of = [](const codec::DeliverSm& pdu) {
    return std::string(pdu.short_message.begin(), pdu.short_message.end());
  };
  const auto network_of = [](const codec::DeliverSm& pdu) {
    return codec::GetNetworkErrorCode(pdu.tlvs);
  };

  store::SmppOutboxJob undeliv = Job(MessageState::kUndelivered, "UNDELIV");
  undeliv.err = "11";
  codec::DeliverSm pdu = ReceiptDeliverSm(undeliv);
  EXPECT_NE(text_of(pdu).find("stat:UNDELIV err:011 "), std::string::npos) << text_of(pdu);
  EXPECT_EQ(network_of(pdu), (codec::NetworkErrorCode{8, 11}));
  auto parsed = codec::ParseReceipt(pdu);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->err, "011");

  undeliv.err = "0a3";  // hex-looking: kept as text, no number to put in the TLV
  pdu = ReceiptDeliverSm(undeliv);
  EXPECT_NE(text_of(pdu).find("err:0A3 "), std::string::npos) << text_of(pdu);
  EXPECT_EQ(network_of(pdu), std::nullopt);
  undeliv.err = "65536";  // longer than 3: its last 3; above 16 bits: no TLV
  pdu = ReceiptDeliverSm(undeliv);
  EXPECT_NE(text_of(pdu).find("err:536 "), std::string::npos) << text_of(pdu);
  EXPECT_EQ(network_of(pdu), std::nullopt);
  undeliv.err = "-- ";  // nothing usable: as without one
  EXPECT_EQ(ReceiptErrorOf(undeliv).err, "000");

  // Refused by the carrier's submit_sm_resp: its command_status.
  pdu = ReceiptDeliverSm(Job(MessageState::kNotSent, "ESME_RINVDSTADR"));
  EXPECT_NE(text_of(pdu).find("stat:UNDELIV err:00B "), std::string::npos) << text_of(pdu);
  EXPECT_EQ(network_of(pdu), (codec::NetworkErrorCode{7, 0x0B}));
  EXPECT_EQ(ReceiptErrorOf(Job(MessageState::kNotSent, "ESME_RSUBMITFAIL")).err, "045");

  // Nothing to report: delivered (whatever err said), en route, smsgw's own reasons.
  store::SmppOutboxJob delivered = Job(MessageState::kDelivered, "DELIVRD");
  delivered.err = "005";
  pdu = ReceiptDeliverSm(delivered);
  EXPECT_NE(text_of(pdu).find("err:000 "), std::string::npos) << text_of(pdu);
  EXPECT_EQ(network_of(pdu), std::nullopt);
  for (const char* details : {"EXPIRED", "CANCELLED", "NO-ROUTE", "ESME_RVENDOR", "ESME_ROK"}) {
    const ReceiptError none = ReceiptErrorOf(Job(MessageState::kNotSent, details));
    EXPECT_EQ(none.err, "000") << details;
    EXPECT_EQ(none.network, std::nullopt) << details;
  }
  EXPECT_EQ(ReceiptErrorOf(Job(MessageState::kSubmitted, "ESME_RINVDSTADR")).err, "000");
}

TEST(ReceiptDeliverSm, TextExcerptIsTwentyPrintableAsciiCharacters) {
  EXPECT_EQ(ReceiptTextExcerpt("short"), "short");
  EXPECT_EQ(ReceiptTextExcerpt("12345678901234567890123"), "12345678901234567890");
  EXPECT_EQ(ReceiptTextExcerpt("caf\xC3\xA9 \xE2\x82\xAC\x31\nx"), "caf? ?1?x");
  EXPECT_EQ(ReceiptTextExcerpt("{a}@b$c_d[e]~f%g"), "?a??b?c?d?e??f%g") << "not GSM 03.38's";
  EXPECT_EQ(ReceiptTextExcerpt(""), "");
}

TEST(ReceiptDeliverSm, LongFieldsAreBounded) {
  store::SmppOutboxJob job = Job(MessageState::kDelivered, "DELIVRD");
  job.sender = std::string(40, '9');
  job.message_id = std::string(100, 'a');
  const codec::DeliverSm pdu = ReceiptDeliverSm(job);
  EXPECT_EQ(pdu.dest.addr.size(), 20u);
  EXPECT_LE(pdu.short_message.size(), 254u);
}

}  // namespace
}  // namespace smsgw::smpp_server
