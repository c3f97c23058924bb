#include "smpp/codec/pdu_codec.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "smpp/codec/framing.h"

namespace smsgw::smpp::codec {
namespace {

using Bytes = std::vector<uint8_t>;

// Hex digits to bytes; spaces and newlines are ignored so vectors can be laid out by field.
Bytes Hex(std::string_view hex) {
  Bytes out;
  int high = -1;
  for (char c : hex) {
    int v;
    if (c >= '0' && c <= '9') {
      v = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      v = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      v = c - 'A' + 10;
    } else {
      continue;
    }
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<uint8_t>(high * 16 + v));
      high = -1;
    }
  }
  EXPECT_LT(high, 0) << "odd number of hex digits";
  return out;
}

Bytes Cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) {
    out.insert(out.end(), p.begin(), p.end());
  }
  return out;
}

Bytes Text(std::string_view s) { return Bytes(s.begin(), s.end()); }

// Rewrites command_length to the buffer's size, so a cut or padded PDU stays well framed.
Bytes Reframed(Bytes b) {
  const auto n = static_cast<uint32_t>(b.size());
  b[0] = static_cast<uint8_t>(n >> 24);
  b[1] = static_cast<uint8_t>(n >> 16);
  b[2] = static_cast<uint8_t>(n >> 8);
  b[3] = static_cast<uint8_t>(n);
  return b;
}

std::error_code StatusOf(const core::Result<Pdu>& r) {
  return r.has_value() ? std::error_code{} : r.error().code;
}
std::error_code StatusOf(const core::Result<void>& r) {
  return r.has_value() ? std::error_code{} : r.error().code;
}

// --- Golden vectors -----------------------------------------------------------------------

TEST(Golden, EnquireLink) {
  const Bytes wire = Hex("00000010 00000015 00000000 00000001");
  const core::Result<Pdu> pdu = Decode(wire);
  ASSERT_TRUE(pdu.has_value()) << pdu.error().message;
  EXPECT_EQ(pdu->sequence_number, 1u);
  EXPECT_EQ(pdu->command_status, 0u);
  EXPECT_TRUE(std::holds_alternative<EnquireLink>(pdu->body));
  EXPECT_EQ(Encode(Pdu{0, 1, EnquireLink{}}), wire);
}

TEST(Golden, BindTransceiver) {
  const Bytes wire =
      Hex("0000002A 00000009 00000000 00000001"  // 42 octets, bind_transceiver, seq 1
          "736D7070636C69656E743100"             // system_id "smppclient1"
          "70617373776F726400"                   // password "password"
          "00"                                   // system_type ""
          "34"                                   // interface_version 3.4
          "00 00"                                // addr_ton, addr_npi
          "00");                                 // address_range ""
  const Pdu expected{0, 1,
                     Bind{.mode = BindMode::kTransceiver,
                          .system_id = "smppclient1",
                          .password = "password",
                          .system_type = "",
                          .interface_version = 0x34,
                          .addr_ton = 0,
                          .addr_npi = 0,
                          .address_range = ""}};
  EXPECT_EQ(Encode(expected), wire);
  const core::Result<Pdu> decoded = Decode(wire);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  EXPECT_EQ(*decoded, expected);
}

TEST(Golden, BindTransmitterFromTheSmpp50SpecExample) {
  // SMPP v5.0 §2.2.1 sample PDU: bind_transmitter "SMPP3TEST" / "secret08" / "SUBMIT1",
  // interface_version 0x50, addr_ton 1, addr_npi 1, address_range NULL. The 3.4 layout is
  // the same; the version octet is kept as sent.
  const Bytes wire =
      Hex("0000002F 00000002 00000000 00000001"
          "534D5050335445535400 7365637265743038 00 5355424D49543100 50 01 01 00");
  const core::Result<Pdu> pdu = Decode(wire);
  ASSERT_TRUE(pdu.has_value()) << pdu.error().message;
  const auto& bind = std::get<Bind>(pdu->body);
  EXPECT_EQ(bind.mode, BindMode::kTransmitter);
  EXPECT_EQ(bind.system_id, "SMPP3TEST");
  EXPECT_EQ(bind.password, "secret08");
  EXPECT_EQ(bind.system_type, "SUBMIT1");
  EXPECT_EQ(bind.interface_version, 0x50);
  EXPECT_EQ(bind.addr_ton, 1);
  EXPECT_EQ(bind.addr_npi, 1);
  EXPECT_EQ(bind.address_range, "");
  EXPECT_EQ(Encode(*pdu), wire);
}

TEST(Golden, BindTransceiverRespWithScInterfaceVersion) {
  const Bytes wire =
      Hex("0000001A 80000009 00000000 00000001"
          "534D534300"      // system_id "SMSC"
          "0210 0001 34");  // sc_interface_version = 0x34
  const core::Result<Pdu> pdu = Decode(wire);
  ASSERT_TRUE(pdu.has_value()) << pdu.error().message;
  const auto& resp = std::get<BindResp>(pdu->body);
  EXPECT_EQ(resp.mode, BindMode::kTransceiver);
  EXPECT_EQ(resp.system_id, "SMSC");
  EXPECT_EQ(resp.tlvs.GetU8(tag::kScInterfaceVersion), 0x34);
  EXPECT_EQ(Encode(*pdu), wire);
}

const Bytes kSubmitSmWire =
    Hex("00000036 00000004 00000000 00000002"  // 54 octets, submit_sm, seq 2
        "00"                                   // service_type ""
        "05 00 41434D4500"                     // source TON 5, NPI 0, "ACME"
        "01 01 39313938373635343332313000"     // dest TON 1, NPI 1, "919876543210"
        "00 00 00"                             // esm_class, protocol_id, priority_flag
        "00 00"                                // schedule_delivery_time, validity_period
        "01 00 00 00"      // registered_delivery 1, replace, data_coding, default
        "05 48656C6C6F");  // sm_length 5, "Hello"

TEST(Golden, SubmitSm) {
  const core::Result<Pdu> pdu = Decode(kSubmitSmWire);
  ASSERT_TRUE(pdu.has_value()) << pdu.error().message;
  EXPECT_EQ(pdu->sequence_number, 2u);
  const auto& sm = std::get<SubmitSm>(pdu->body);
  EXPECT_EQ(sm.source, (Address{5, 0, "ACME"}));
  EXPECT_EQ(sm.dest, (Address{1, 1, "919876543210"}));
  EXPECT_EQ(sm.registered_delivery, 1);
  EXPECT_EQ(sm.short_message, Text("Hello"));
  EXPECT_TRUE(sm.tlvs.empty());

  SubmitSm built;
  built.source = {5, 0, "ACME"};
  built.dest = {1, 1, "919876543210"};
  built.registered_delivery = 1;
  built.short_message = Text("Hello");
  EXPECT_EQ(Encode(Pdu{0, 2, built}), kSubmitSmWire);
}

TEST(Golden, SubmitSmRespAndItsErrorForm) {
  const Bytes ok = Hex("00000014 80000004 00000000 00000002 34643200");  // "4d2"
  const core::Result<Pdu> pdu = Decode(ok);
  ASSERT_TRUE(pdu.has_value()) << pdu.error().message;
  EXPECT_EQ(std::get<SubmitSmResp>(pdu->body).message_id, "4d2");
  EXPECT_EQ(Encode(*pdu), ok);

  // §4.4.2: no body when command_status is not 0.
  const Bytes throttled = Hex("00000010 80000004 00000058 00000003");
  const Pdu resp{static_cast<uint32_t>(CommandStatus::kThrottled), 3, SubmitSmResp{}};
  EXPECT_EQ(Encode(resp), throttled);
  const core::Result<Pdu> back = Decode(throttled);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(*back, resp);
  EXPECT_EQ(StatusCode(back->command_status), CommandStatus::kThrottled);
}

TEST(Golden, DeliverSmReceiptWithTlvs) {
  const std::string_view receipt =
      "id:4d2 sub:001 dlvrd:001 submit date:2311261030 done date:2311261031 stat:DELIVRD "
      "err:000 text:Hello";
  ASSERT_EQ(receipt.size(), 100u);
  const Bytes wire = Cat({
      Hex("000000A2 00000005 00000000 00000007"),  // 162 octets, deliver_sm, seq 7
      Hex("00"),                                   // service_type
      Hex("01 01 39313938373635343332313000"),     // source 1/1 "919876543210"
      Hex("05 00 41434D4500"),                     // dest 5/0 "ACME"
      Hex("04 00 00"),                             // esm_class 0x04: SMSC delivery receipt
      Hex("00 00 00 00 00 00"),                    // times, registered_delivery, ..., default
      Hex("64"), Text(receipt),                    // sm_length 100
      Hex("001E 0004 34643200"),                   // receipted_message_id "4d2"
      Hex("0427 0001 02"),                         // message_state DELIVERED
  });
  const core::Result<Pdu> pdu = Decode(wire);
  ASSERT_TRUE(pdu.has_value()) << pdu.error().message;
  const auto& dsm = std::get<DeliverSm>(pdu->body);
  EXPECT_EQ(dsm.esm_class, 0x04);
  EXPECT_EQ(dsm.source, (Address{1, 1, "919876543210"}));
  EXPECT_EQ(dsm.short_message, Text(receipt));
  EXPECT_EQ(dsm.tlvs.GetString(tag::kReceiptedMessageId), "4d2");
  EXPECT_EQ(dsm.tlvs.GetU8(tag::kMessageState), 2);
  EXPECT_EQ(Encode(*pdu), wire);
}

TEST(Golden, GenericNack) {
  const Bytes wire = Hex("00000010 80000000 00000003 0000002A");
  EXPECT_EQ(Encode(MakeGenericNack(42, CommandStatus::kInvalidCommandId)), wire);
  const core::Result<Pdu> pdu = Decode(wire);
  ASSERT_TRUE(pdu.has_value());
  EXPECT_TRUE(std::holds_alternative<GenericNack>(pdu->body));
  EXPECT_EQ(pdu->sequence_number, 42u);
}

// --- Round trips --------------------------------------------------------------------------

std::vector<Pdu> Samples() {
  TlvList tlvs;
  tlvs.SetU16(tag::kSarMsgRefNum, 0xBEEF);
  tlvs.Add(0x1500, {0xDE, 0xAD});  // vendor, kept raw
  tlvs.SetCString(tag::kDltEntityId, "1101456789012345678");
  tlvs.Add(tag::kAlertOnMessageDelivery, {});

  SubmitSm submit;
  submit.service_type = "CMT";
  submit.source = {5, 0, "ACMEIN"};
  submit.dest = {1, 1, "919876543210"};
  submit.esm_class = 0x40;
  submit.protocol_id = 0x7F;
  submit.priority_flag = 1;
  submit.schedule_delivery_time = "231126103000004+";
  submit.validity_period = "000002000000000R";
  submit.registered_delivery = 1;
  submit.replace_if_present_flag = 1;
  submit.data_coding = 8;
  submit.sm_default_msg_id = 3;
  submit.short_message = Bytes(254, 0xAB);
  submit.tlvs = tlvs;

  DeliverSm deliver;
  deliver.source = {1, 1, "919876543210"};
  deliver.dest = {3, 0, "56767"};
  deliver.esm_class = 0x04;
  deliver.short_message = Text("id:1 stat:DELIVRD");
  deliver.tlvs.SetU8(tag::kMessageState, 2);

  DataSm data;
  data.service_type = "WAP";
  data.source = {1, 1, std::string(64, '1')};
  data.dest = {1, 1, std::string(64, '2')};
  data.esm_class = 0x04;
  data.registered_delivery = 1;
  data.data_coding = 4;
  data.tlvs.Set(tag::kMessagePayload, Bytes(1000, 0x55));

  BindResp bind_resp{.mode = BindMode::kReceiver, .system_id = "SMSC"};
  bind_resp.tlvs.SetU8(tag::kScInterfaceVersion, 0x34);

  DataSmResp data_resp{.message_id = "x"};
  data_resp.tlvs.SetU8(tag::kDeliveryFailureReason, 1);

  AlertNotification alert{.source = {1, 1, "4412345"}, .esme = {0, 0, "esme"}};
  alert.tlvs.SetU8(tag::kMsAvailabilityStatus, 0);

  SubmitMulti multi;
  multi.service_type = "CMT";
  multi.source = {5, 0, "ACME"};
  multi.dests = {MultiDest{.address = {1, 1, std::string(20, '9')}},
                 MultiDest{.dest_flag = kDestFlagDistributionList, .dl_name = std::string(20, 'L')},
                 MultiDest{.address = {1, 1, "919876543210"}}};
  multi.esm_class = 0x03;
  multi.schedule_delivery_time = "000001000000000R";
  multi.validity_period = "261126103000000+";
  multi.registered_delivery = 1;
  multi.data_coding = 8;
  multi.short_message = Bytes(254, 0x21);
  multi.tlvs = tlvs;

  SubmitMultiResp multi_resp{
      .message_id = "m-1",
      .unsuccess = {{{1, 1, std::string(20, '9')}, 0x0000000B}, {{0, 0, "L"}, 0x00000044}}};

  return {
      Pdu{0, 1,
          Bind{.mode = BindMode::kTransmitter,
               .system_id = std::string(15, 's'),
               .password = std::string(8, 'p'),
               .system_type = std::string(12, 't'),
               .interface_version = 0x34,
               .addr_ton = 1,
               .addr_npi = 1,
               .address_range = std::string(40, '9')}},
      Pdu{0, 2, Bind{.mode = BindMode::kReceiver, .system_id = "r"}},
      Pdu{0, 3, Bind{.mode = BindMode::kTransceiver}},
      Pdu{0, 1, bind_resp},
      Pdu{0, 1, BindResp{.mode = BindMode::kTransmitter, .system_id = "SMSC"}},
      Pdu{0x0E, 1, BindResp{.mode = BindMode::kTransceiver}},
      Pdu{0, 4, Outbind{.system_id = "smsc", .password = "pw"}},
      Pdu{0, 5, Unbind{}},
      Pdu{0, 5, UnbindResp{}},
      Pdu{0, 0x7FFFFFFF, EnquireLink{}},
      Pdu{0, 0x7FFFFFFF, EnquireLinkResp{}},
      Pdu{0x03, 9, GenericNack{}},
      Pdu{0, 10, submit},
      Pdu{0, 10, SubmitSm{}},
      Pdu{0, 10, SubmitSmResp{.message_id = std::string(64, 'f')}},
      Pdu{0x45, 10, SubmitSmResp{}},
      Pdu{0, 11, deliver},
      Pdu{0, 11, DeliverSmResp{}},
      Pdu{0x64, 11, DeliverSmResp{}},
      Pdu{0, 12, data},
      Pdu{0, 12, data_resp},
      Pdu{0, 13, QuerySm{.message_id = "4d2", .source = {5, 0, "ACME"}}},
      Pdu{0, 13,
          QuerySmResp{.message_id = "4d2",
                      .final_date = "231126103000000+",
                      .message_state = 2,
                      .error_code = 0}},
      Pdu{0, 14,
          CancelSm{.service_type = "",
                   .message_id = "4d2",
                   .source = {5, 0, "ACME"},
                   .dest = {1, 1, "919876543210"}}},
      Pdu{0, 14, CancelSmResp{}},
      Pdu{0, 15, alert},
      Pdu{0, 16, multi},
      Pdu{0, 16, multi_resp},
      Pdu{0, 16, SubmitMultiResp{.message_id = "m-2"}},
      Pdu{0x33, 16, SubmitMultiResp{}},
  };
}

TEST(RoundTrip, EveryPduType) {
  const std::vector<Pdu> samples = Samples();
  std::vector<bool> seen(std::variant_size_v<Body>, false);
  for (const Pdu& pdu : samples) {
    seen[pdu.body.index()] = true;
    SCOPED_TRACE(std::string(CommandName(CommandIdOf(pdu))));
    ASSERT_TRUE(Validate(pdu).has_value()) << Validate(pdu).error().message;
    const Bytes wire = Encode(pdu);
    const core::Result<Pdu> back = Decode(wire);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    EXPECT_EQ(*back, pdu);
    EXPECT_EQ(Encode(*back), wire);
  }
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_TRUE(seen[i]) << "no sample for variant alternative " << i;
  }
}

TEST(RoundTrip, UnknownTlvsKeepTheirOrderAndBytes) {
  const Bytes wire = Cat({
      Hex("00000000 80000004 00000000 00000001 3100"),
      Hex("2000 0003 010203"),  // vendor tag
      Hex("0204 0002 0001"),    // user_message_reference
      Hex("7FFF 0000"),         // reserved tag, empty
      Hex("2000 0001 09"),      // the vendor tag again
  });
  const Bytes framed = Reframed(wire);
  const core::Result<Pdu> pdu = Decode(framed);
  ASSERT_TRUE(pdu.has_value()) << pdu.error().message;
  const TlvList& tlvs = std::get<SubmitSmResp>(pdu->body).tlvs;
  ASSERT_EQ(tlvs.size(), 4u);
  EXPECT_EQ(tlvs.items()[0], (Tlv{0x2000, {1, 2, 3}}));
  EXPECT_EQ(tlvs.items()[2], (Tlv{0x7FFF, {}}));
  EXPECT_EQ(tlvs.items()[3], (Tlv{0x2000, {9}}));
  EXPECT_EQ(Encode(*pdu), framed);
}

TEST(RoundTrip, EncodeToAppends) {
  Bytes buffer = {0xFF};
  EncodeTo(Pdu{0, 1, EnquireLink{}}, buffer);
  EncodeTo(Pdu{0, 2, EnquireLinkResp{}}, buffer);
  EXPECT_EQ(buffer, Cat({Hex("FF"), Hex("00000010 00000015 00000000 00000001"),
                         Hex("00000010 80000015 00000000 00000002")}));
}

// --- Hostile input ------------------------------------------------------------------------

bool HasTlvs(const Pdu& pdu) {
  return std::visit(
      [](const auto& body) {
        if constexpr (requires { body.tlvs; }) {
          return !body.tlvs.empty();
        } else {
          return false;
        }
      },
      pdu.body);
}

TEST(Decode, EveryTruncationIsAnErrorNeverACrash) {
  for (const Pdu& pdu : Samples()) {
    SCOPED_TRACE(std::string(CommandName(CommandIdOf(pdu))));
    const Bytes wire = Encode(pdu);
    for (size_t n = 0; n < wire.size(); ++n) {
      const Bytes cut(wire.begin(), wire.begin() + static_cast<std::ptrdiff_t>(n));
      // As received: command_length says more than there is.
      EXPECT_EQ(StatusOf(Decode(cut)), CommandStatus::kInvalidCommandLength) << n;
      if (n < kHeaderSize) {
        continue;
      }
      // Re-framed, so that the body itself ends early. That is only a valid PDU when the
      // cut falls between TLVs (then it is that shorter PDU), or leaves a response bodiless.
      const Bytes framed = Reframed(cut);
      const core::Result<Pdu> r = Decode(framed);
      if (n == kHeaderSize && IsResponse(CommandIdOf(pdu))) {
        EXPECT_TRUE(r.has_value()) << n;
      } else if (r.has_value()) {
        EXPECT_TRUE(HasTlvs(pdu)) << "cut at " << n << " decoded";
        EXPECT_EQ(Encode(*r), framed) << "cut at " << n;
      }
    }
  }
}

TEST(Decode, SubmitSmCutInsideAnAddressIsACommandLengthError) {
  const Bytes cut(kSubmitSmWire.begin(), kSubmitSmWire.begin() + 16 + 1 + 2 + 3);  // "ACM"
  const core::Result<Pdu> r = Decode(Reframed(cut));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, CommandStatus::kInvalidCommandLength);
  EXPECT_NE(r.error().message.find("source_addr"), std::string::npos) << r.error().message;
}

TEST(Decode, CommandLengthOutOfRange) {
  EXPECT_EQ(StatusOf(Decode(Hex("0000000F 00000015 00000000 00000001"))),
            CommandStatus::kInvalidCommandLength);
  EXPECT_EQ(StatusOf(Decode(Hex("00000011 00000015 00000000 00000001"))),
            CommandStatus::kInvalidCommandLength);  // claims one octet more than given
  Bytes big = kSubmitSmWire;
  EXPECT_TRUE(Decode(big, DecodeLimits{.max_command_length = 54}).has_value());
  EXPECT_EQ(StatusOf(Decode(big, DecodeLimits{.max_command_length = 53})),
            CommandStatus::kInvalidCommandLength);
  Bytes huge = Cat({Hex("00010001 00000004 00000000 00000001"), Bytes(65537 - 16, 0)});
  EXPECT_EQ(StatusOf(Decode(huge)), CommandStatus::kInvalidCommandLength);  // default 64 KiB
  EXPECT_EQ(StatusOf(Decode(Hex("00000010 00000015"))), CommandStatus::kInvalidCommandLength);
}

// SMPP 3.4 §4.5.1: a submit_multi to one SME address and one distribution list, field by field.
TEST(Decode, SubmitMultiGolden) {
  const Bytes wire = Reframed(Cat({Hex("00000000 00000021 00000000 00000007"),
                                   Hex("00"),                                    // service_type
                                   Hex("05 00"), Text("ACME"), Hex("00"),        // source
                                   Hex("02"),                                    // number_of_dests
                                   Hex("01 01 01"), Text("4412345"), Hex("00"),  // SME
                                   Hex("02"), Text("friends"), Hex("00"),        // list
                                   Hex("00 00 00"), Hex("00"), Hex("00"),  // esm..priority, times
                                   Hex("01 00 00 00"),  // registered_delivery .. sm_default_msg_id
                                   Hex("02"), Text("hi")}));
  const core::Result<Pdu> pdu = Decode(wire);
  ASSERT_TRUE(pdu.has_value()) << pdu.error().message;
  const auto& multi = std::get<SubmitMulti>(pdu->body);
  ASSERT_EQ(multi.dests.size(), 2u);
  EXPECT_EQ(multi.dests[0].address, (Address{1, 1, "4412345"}));
  EXPECT_EQ(multi.dests[1].dest_flag, kDestFlagDistributionList);
  EXPECT_EQ(multi.dests[1].dl_name, "friends");
  EXPECT_EQ(multi.registered_delivery, 1);
  EXPECT_EQ(multi.short_message, Text("hi"));
  EXPECT_EQ(Encode(*pdu), wire);
}

// §4.5.2: message_id, no_unsuccess, then address + a 4-octet error_status_code each.
TEST(Decode, SubmitMultiRespGolden) {
  const Bytes wire = Reframed(Cat({Hex("00000000 80000021 00000000 00000007"), Text("id1"),
                                   Hex("00 01 01 01"), Text("4412345"), Hex("00 0000000B")}));
  const core::Result<Pdu> pdu = Decode(wire);
  ASSERT_TRUE(pdu.has_value()) << pdu.error().message;
  const auto& resp = std::get<SubmitMultiResp>(pdu->body);
  EXPECT_EQ(resp.message_id, "id1");
  ASSERT_EQ(resp.unsuccess.size(), 1u);
  EXPECT_EQ(resp.unsuccess[0].address.addr, "4412345");
  EXPECT_EQ(resp.unsuccess[0].error_status_code, 0x0Bu);
  EXPECT_EQ(Encode(*pdu), wire);
}

TEST(Decode, SubmitMultiBroken) {
  const Bytes head = Hex("00000000 00000021 00000000 00000007 00 05 00 41 00");
  // dest_flag 3 is neither an SME nor a list.
  EXPECT_EQ(StatusOf(Decode(Reframed(Cat({head, Hex("01 03 01 01 31 00")})))),
            CommandStatus::kInvalidDestFlag);
  // number_of_dests says 200 and the body ends after one.
  EXPECT_EQ(StatusOf(Decode(Reframed(Cat({head, Hex("C8 01 01 01 31 00")})))),
            CommandStatus::kInvalidCommandLength);
  // a dl_name without its NUL within 21 octets.
  EXPECT_EQ(StatusOf(Decode(Reframed(Cat({head, Hex("01 02"), Text(std::string(30, 'x'))})))),
            CommandStatus::kInvalidDistListName);
  // number_of_dests 0 or 255: what Validate would refuse is not decoded either.
  EXPECT_EQ(StatusOf(Decode(Reframed(Cat({head, Hex("00 00 00 00 00 00 00 00 00 00")})))),
            CommandStatus::kInvalidNumberOfDests);
  EXPECT_EQ(StatusOf(Decode(Reframed(Cat({head, Hex("FF 01 01 01 31 00")})))),
            CommandStatus::kInvalidNumberOfDests);
  // Validate: no destination, or more than 254.
  EXPECT_EQ(StatusOf(Validate(Pdu{0, 1, SubmitMulti{}})), CommandStatus::kInvalidNumberOfDests);
  SubmitMulti many;
  many.dests.resize(255, MultiDest{.address = {1, 1, "1"}});
  EXPECT_EQ(StatusOf(Validate(Pdu{0, 1, many})), CommandStatus::kInvalidNumberOfDests);
}

TEST(Decode, UnknownCommandIds) {
  for (uint32_t id :
       {0x00000000u, 0x00000007u, 0x0000000Au, 0x80000102u, 0x12345678u, 0xFFFFFFFFu}) {
    Bytes wire = Hex("00000010 00000000 00000000 00000001");
    wire[4] = static_cast<uint8_t>(id >> 24);
    wire[5] = static_cast<uint8_t>(id >> 16);
    wire[6] = static_cast<uint8_t>(id >> 8);
    wire[7] = static_cast<uint8_t>(id);
    EXPECT_EQ(StatusOf(Decode(wire)), CommandStatus::kInvalidCommandId) << std::hex << id;
  }
}

TEST(Decode, CStringWithoutNulWithinItsMaxLength) {
  // system_id: 16 octets without a NUL.
  EXPECT_EQ(
      StatusOf(Decode(Reframed(Cat({Hex("00000000 00000009 00000000 00000001"),
                                    Text(std::string(16, 'x')), Hex("00 00 00 34 00 00 00")})))),
      CommandStatus::kInvalidSystemId);
  // 15 characters fit.
  EXPECT_TRUE(Decode(Reframed(Cat({Hex("00000000 00000009 00000000 00000001"),
                                   Text(std::string(15, 'x')), Hex("00 00 00 34 00 00 00")})))
                  .has_value());
  // password: 9 octets without a NUL.
  EXPECT_EQ(StatusOf(Decode(Reframed(Cat({Hex("00000000 00000002 00000000 00000001 7300"),
                                          Text("123456789"), Hex("00 00 34 00 00 00")})))),
            CommandStatus::kInvalidPassword);
  // submit_sm source_addr: 21 digits.
  const Bytes head = Hex("00000000 00000004 00000000 00000001 00 01 01");
  const Bytes tail = Hex("0101 3100 000000 0000 01000000 00");
  EXPECT_EQ(StatusOf(Decode(Reframed(Cat({head, Text(std::string(21, '1')), Hex("00"), tail})))),
            CommandStatus::kInvalidSourceAddress);
  EXPECT_TRUE(
      Decode(Reframed(Cat({head, Text(std::string(20, '1')), Hex("00"), tail}))).has_value());
  // destination_addr.
  EXPECT_EQ(
      StatusOf(Decode(Reframed(Cat({Hex("00000000 00000004 00000000 00000001 00 0101 3100 0101"),
                                    Text(std::string(30, '2')), Hex("00")})))),
      CommandStatus::kInvalidDestAddress);
  // submit_sm_resp message_id: 65 octets without a NUL.
  EXPECT_EQ(StatusOf(Decode(Reframed(
                Cat({Hex("00000000 80000004 00000000 00000001"), Text(std::string(65, 'a'))})))),
            CommandStatus::kInvalidMessageId);
  // service_type.
  EXPECT_EQ(StatusOf(Decode(Reframed(
                Cat({Hex("00000000 00000004 00000000 00000001"), Text("ABCDEFGH"), Hex("00")})))),
            CommandStatus::kInvalidServiceType);
}

TEST(Decode, TimeFieldsAreEmptyOrSixteenCharacters) {
  const Bytes head = Hex("00000000 00000004 00000000 00000001 00 0101 3100 0101 3200 000000");
  EXPECT_EQ(StatusOf(Decode(Reframed(Cat({head, Text("2311261030"), Hex("00 00 01000000 00")})))),
            CommandStatus::kInvalidScheduleTime);
  EXPECT_EQ(
      StatusOf(Decode(Reframed(Cat({head, Hex("00"), Text("000002"), Hex("00 01000000 00")})))),
      CommandStatus::kInvalidExpiryTime);
  EXPECT_EQ(StatusOf(Decode(Reframed(
                Cat({head, Hex("00"), Text("000002000000000R1"), Hex("00 01000000 00")})))),
            CommandStatus::kInvalidExpiryTime);  // 17 characters: no NUL within 17
  EXPECT_TRUE(
      Decode(Reframed(Cat({head, Hex("00"), Text("000002000000000R"), Hex("00 01000000 00")})))
          .has_value());
}

TEST(Decode, ShortMessageLength) {
  const Bytes head =
      Hex("00000000 00000004 00000000 00000001 00 0101 3100 0101 3200 000000 00 00 01000000");
  EXPECT_EQ(StatusOf(Decode(Reframed(Cat({head, Hex("05 48656C6C")})))),
            CommandStatus::kInvalidMessageLength);  // sm_length 5, 4 octets left
  EXPECT_EQ(StatusOf(Decode(Reframed(Cat({head, Hex("FF"), Bytes(255, 'a')})))),
            CommandStatus::kInvalidMessageLength);  // 255 is above the spec's 254
  EXPECT_TRUE(Decode(Reframed(Cat({head, Hex("FE"), Bytes(254, 'a')}))).has_value());
  EXPECT_EQ(StatusOf(Decode(Reframed(head))),
            CommandStatus::kInvalidCommandLength);  // no sm_length
}

TEST(Decode, TlvsThatRunPastTheEnd) {
  const Bytes head = Hex("00000000 80000004 00000000 00000001 00");
  EXPECT_EQ(StatusOf(Decode(Reframed(Cat({head, Hex("0424 0005 414243")})))),
            CommandStatus::kInvalidOptionalPartStream);
  EXPECT_EQ(StatusOf(Decode(Reframed(Cat({head, Hex("0424 00")})))),
            CommandStatus::kInvalidOptionalPartStream);
  EXPECT_EQ(StatusOf(Decode(Reframed(Cat({head, Hex("0427 0001 02 FF")})))),
            CommandStatus::kInvalidOptionalPartStream);
  EXPECT_EQ(StatusOf(Decode(Reframed(Cat({head, Hex("0424 FFFF 41")})))),
            CommandStatus::kInvalidOptionalPartStream);
}

TEST(Decode, OctetsAfterABodyWithoutTlvs) {
  EXPECT_EQ(StatusOf(Decode(Hex("00000011 00000015 00000000 00000001 00"))),
            CommandStatus::kInvalidCommandLength);
  EXPECT_EQ(StatusOf(Decode(Reframed(Hex("00000000 00000003 00000000 00000001 3100 0000 00 FF")))),
            CommandStatus::kInvalidCommandLength);  // query_sm takes no TLVs
  EXPECT_EQ(StatusOf(Decode(Hex("00000011 80000008 00000000 00000001 00"))),
            CommandStatus::kInvalidCommandLength);  // cancel_sm_resp is header-only
}

TEST(Decode, AResponseMayComeWithoutItsBody) {
  for (uint32_t id : {0x80000001u, 0x80000002u, 0x80000009u, 0x80000004u, 0x80000005u, 0x80000103u,
                      0x80000003u}) {
    Bytes wire = Hex("00000010 00000000 0000000D 00000001");
    for (int i = 0; i < 4; ++i) {
      wire[4 + i] = static_cast<uint8_t>(id >> (24 - 8 * i));
    }
    const core::Result<Pdu> pdu = Decode(wire);
    ASSERT_TRUE(pdu.has_value()) << std::hex << id << ": " << pdu.error().message;
    EXPECT_EQ(CommandIdOf(*pdu), id);
    EXPECT_EQ(Encode(*pdu), wire);  // and goes back header-only
  }
  // A request may not.
  EXPECT_EQ(StatusOf(Decode(Hex("00000010 00000004 00000000 00000001"))),
            CommandStatus::kInvalidCommandLength);
}

// --- Validate -----------------------------------------------------------------------------

TEST(Validate, RefusesWhatAPeerWould) {
  const auto status = [](const Body& body) {
    const core::Result<void> r = Validate(Pdu{0, 1, body});
    return r.has_value() ? std::error_code{} : r.error().code;
  };
  EXPECT_EQ(status(Bind{.system_id = std::string(16, 'x')}), CommandStatus::kInvalidSystemId);
  EXPECT_EQ(status(Bind{.password = std::string(9, 'x')}), CommandStatus::kInvalidPassword);
  EXPECT_EQ(status(Bind{.system_id = std::string("a\0b", 3)}), CommandStatus::kInvalidSystemId);
  SubmitSm sm;
  sm.short_message = Bytes(255, 'a');
  EXPECT_EQ(status(sm), CommandStatus::kInvalidMessageLength);
  sm.short_message.clear();
  sm.validity_period = "1h";
  EXPECT_EQ(status(sm), CommandStatus::kInvalidExpiryTime);
  sm.validity_period.clear();
  sm.dest.addr = std::string(21, '1');
  EXPECT_EQ(status(sm), CommandStatus::kInvalidDestAddress);
  sm.dest.addr.clear();
  sm.tlvs.Set(tag::kMessagePayload, Bytes(65536, 0));
  EXPECT_EQ(status(sm), CommandStatus::kInvalidParamLength);
  sm.tlvs.Set(tag::kMessagePayload, Bytes(65535, 0));
  EXPECT_EQ(status(sm), std::error_code{});
  EXPECT_EQ(status(DataSm{.source = {1, 1, std::string(64, '1')}}), std::error_code{});
  EXPECT_EQ(status(DataSm{.source = {1, 1, std::string(65, '1')}}),
            CommandStatus::kInvalidSourceAddress);
}

TEST(Validate, EncodeStaysWellFramedForInvalidInput) {
  SubmitSm sm;
  sm.short_message = Bytes(300, 'a');
  const Bytes wire = Encode(Pdu{0, 1, sm});
  const std::optional<Header> header = PeekHeader(wire);
  ASSERT_TRUE(header.has_value());
  EXPECT_EQ(header->command_length, wire.size());
  EXPECT_EQ(StatusOf(Decode(wire)), CommandStatus::kInvalidMessageLength);  // sm_length 255
}

// --- Responses ----------------------------------------------------------------------------

TEST(ResponseTo, EachRequestGetsItsResponse) {
  const auto id_of = [](const Body& request) -> uint32_t {
    const std::optional<Pdu> resp = ResponseTo(Pdu{0, 77, request});
    if (!resp) {
      return 0;
    }
    EXPECT_EQ(resp->sequence_number, 77u);
    return CommandIdOf(*resp);
  };
  EXPECT_EQ(id_of(Bind{.mode = BindMode::kTransmitter}), 0x80000002u);
  EXPECT_EQ(id_of(Bind{.mode = BindMode::kReceiver}), 0x80000001u);
  EXPECT_EQ(id_of(Bind{.mode = BindMode::kTransceiver}), 0x80000009u);
  EXPECT_EQ(id_of(Unbind{}), 0x80000006u);
  EXPECT_EQ(id_of(EnquireLink{}), 0x80000015u);
  EXPECT_EQ(id_of(SubmitSm{}), 0x80000004u);
  EXPECT_EQ(id_of(DeliverSm{}), 0x80000005u);
  EXPECT_EQ(id_of(DataSm{}), 0x80000103u);
  EXPECT_EQ(id_of(QuerySm{}), 0x80000003u);
  EXPECT_EQ(id_of(CancelSm{}), 0x80000008u);
  EXPECT_EQ(id_of(SubmitMulti{}), 0x80000021u);
  EXPECT_EQ(id_of(Outbind{}), 0u);
  EXPECT_EQ(id_of(AlertNotification{}), 0u);
  EXPECT_EQ(id_of(SubmitSmResp{}), 0u);
  EXPECT_EQ(id_of(GenericNack{}), 0u);
  const std::optional<Pdu> throttled = ResponseTo(Pdu{0, 5, SubmitSm{}}, CommandStatus::kThrottled);
  ASSERT_TRUE(throttled.has_value());
  EXPECT_EQ(Encode(*throttled), Hex("00000010 80000004 00000058 00000005"));
}

std::optional<Pdu> AnswerTo(const Bytes& wire) {
  const core::Result<Pdu> r = Decode(wire);
  EXPECT_FALSE(r.has_value());
  if (r.has_value()) {
    return std::nullopt;
  }
  return ErrorResponse(wire, r.error());
}

TEST(ErrorResponse, GenericNackForHeaderProblems) {
  // §4.3: unknown command_id → generic_nack ESME_RINVCMDID with the sequence number.
  std::optional<Pdu> nack = AnswerTo(Hex("00000010 00000007 00000000 0000002A"));
  ASSERT_TRUE(nack.has_value());
  EXPECT_EQ(*nack, MakeGenericNack(42, CommandStatus::kInvalidCommandId));
  // Bad command_length.
  nack = AnswerTo(Hex("0000000C 00000004 00000000 0000002B"));
  ASSERT_TRUE(nack.has_value());
  EXPECT_EQ(*nack, MakeGenericNack(43, CommandStatus::kInvalidCommandLength));
  // A truncated known request body is a command_length problem too.
  nack = AnswerTo(Reframed(Hex("00000000 00000009 00000000 0000002C 4142")));
  ASSERT_TRUE(nack.has_value());
  EXPECT_EQ(*nack, MakeGenericNack(44, CommandStatus::kInvalidCommandLength));
  // No header at all.
  nack = AnswerTo(Hex("0000"));
  ASSERT_TRUE(nack.has_value());
  EXPECT_EQ(*nack, MakeGenericNack(0, CommandStatus::kInvalidCommandLength));
}

TEST(ErrorResponse, TheRequestsOwnResponseForABadField) {
  const Bytes wire = Reframed(Cat(
      {Hex("00000000 00000004 00000000 00000063 00 0101"), Text(std::string(21, '1')), Hex("00")}));
  const std::optional<Pdu> resp = AnswerTo(wire);
  ASSERT_TRUE(resp.has_value());
  EXPECT_EQ(*resp, (Pdu{static_cast<uint32_t>(CommandStatus::kInvalidSourceAddress), 0x63,
                        SubmitSmResp{}}));
  EXPECT_EQ(Encode(*resp), Hex("00000010 80000004 0000000A 00000063"));

  const Bytes bind = Reframed(
      Cat({Hex("00000000 00000001 00000000 00000001"), Text(std::string(20, 'x')), Hex("00")}));
  const std::optional<Pdu> bind_resp = AnswerTo(bind);
  ASSERT_TRUE(bind_resp.has_value());
  EXPECT_EQ(CommandIdOf(*bind_resp), 0x80000001u);
  EXPECT_EQ(bind_resp->command_status, 0x0Fu);
}

TEST(ErrorResponse, NeverAnswersAResponse) {
  EXPECT_FALSE(AnswerTo(Hex("00000011 80000015 00000000 00000001 00")).has_value());
  EXPECT_FALSE(AnswerTo(Hex("00000011 80000000 00000000 00000001 00")).has_value());
  EXPECT_FALSE(AnswerTo(Hex("00000010 80000007 00000000 00000001")).has_value());
}

TEST(ErrorResponse, OtherCategoriesAnswerSystemError) {
  const std::optional<Pdu> resp =
      ErrorResponse(kSubmitSmWire, core::Error{core::Errc::kInternal, "boom"});
  ASSERT_TRUE(resp.has_value());
  EXPECT_EQ(resp->command_status, 0x08u);
  EXPECT_TRUE(std::holds_alternative<SubmitSmResp>(resp->body));
}

}  // namespace
}  // namespace smsgw::smpp::codec
