#include "smsc_sim/mo.h"

#include <gtest/gtest.h>

#include "smpp/codec/pdu_codec.h"
#include "smpp/codec/tlv.h"
#include "text/inbound_decoder.h"

namespace smsgw::smsc_sim {
namespace {

namespace codec = smpp::codec;

std::string Reassemble(const MoMessage& mo) {
  std::string text;
  for (const codec::DeliverSm& part : mo.parts) {
    text::InboundOptions options;
    options.udhi = (part.esm_class & text::kEsmClassUdhi) != 0;
    auto decoded = text::DecodeInbound(part.data_coding, part.short_message, options);
    EXPECT_TRUE(decoded) << decoded.error().message;
    if (decoded) {
      text += decoded->utf8;
    }
  }
  return text;
}

TEST(ParseMoRequest, ReadsEveryField) {
  auto r = ParseMoRequest(R"({"from":"+14155550100","to":"56767","text":"hi","encoding":"ucs2",)"
                          R"("system_id":"acme","concat":"sar"})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->from, "+14155550100");
  EXPECT_EQ(r->to, "56767");
  EXPECT_EQ(r->text, "hi");
  EXPECT_EQ(r->encoding, text::UnicodeMode::kUcs2);
  EXPECT_EQ(r->system_id, "acme");
  EXPECT_EQ(r->concat, text::ConcatMethod::kSar);
}

TEST(ParseMoRequest, Defaults) {
  auto r = ParseMoRequest(R"({"from":"+14155550100","to":"56767","text":""})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->encoding, text::UnicodeMode::kAuto);
  EXPECT_EQ(r->concat, text::ConcatMethod::kUdh8);
  EXPECT_EQ(r->system_id, "");
}

TEST(ParseMoRequest, RefusesBadInput) {
  for (const char* body : {
           "",
           "[]",
           "{",
           R"({"to":"1","text":"x"})",
           R"({"from":"1","text":"x"})",
           R"({"from":"1","to":"2"})",
           R"({"from":1,"to":"2","text":"x"})",
           R"({"from":"1","to":"2","text":"x","encoding":"latin1"})",
           R"({"from":"1","to":"2","text":"x","concat":"payload"})",
           R"({"from":"1","to":"2","text":"x","txt":"typo"})",
       }) {
    auto r = ParseMoRequest(body);
    EXPECT_FALSE(r) << body;
    if (!r) {
      EXPECT_EQ(r.error().code, core::Errc::kInvalidArgument);
    }
  }
}

TEST(BuildMo, OneGsm7Part) {
  MoRequest request{"+14155550100", "56767", "STOP"};
  auto mo = BuildMo(request, 0);
  ASSERT_TRUE(mo) << mo.error().message;
  EXPECT_EQ(mo->encoding, core::Encoding::kGsm7);
  ASSERT_EQ(mo->parts.size(), 1u);
  const codec::DeliverSm& sm = mo->parts[0];
  EXPECT_EQ(sm.source, (codec::Address{1, 1, "14155550100"}));
  EXPECT_EQ(sm.dest, (codec::Address{3, 0, "56767"}));
  EXPECT_EQ(sm.esm_class, 0);
  EXPECT_EQ(sm.data_coding, 0);
  EXPECT_EQ(sm.short_message, (std::vector<uint8_t>{'S', 'T', 'O', 'P'}));
  EXPECT_TRUE(codec::Validate(codec::Pdu{0, 1, sm}));
}

TEST(BuildMo, MultipartUcs2WithUdh) {
  std::string text;
  for (int i = 0; i < 30; ++i) {
    text += "नमस्ते ";  // 7 UTF-16 units each: 210 units, 4 parts of 67
  }
  MoRequest request{"+14155550100", "56767", text};
  auto mo = BuildMo(request, 0x1AB);  // an 8-bit reference keeps the low byte
  ASSERT_TRUE(mo) << mo.error().message;
  EXPECT_EQ(mo->encoding, core::Encoding::kUcs2);
  ASSERT_EQ(mo->parts.size(), 4u);
  for (size_t i = 0; i < mo->parts.size(); ++i) {
    const codec::DeliverSm& sm = mo->parts[i];
    EXPECT_EQ(sm.data_coding, 0x08);
    EXPECT_EQ(sm.esm_class, 0x40);
    ASSERT_GE(sm.short_message.size(), 6u);
    EXPECT_EQ(std::vector<uint8_t>(sm.short_message.begin(), sm.short_message.begin() + 6),
              (std::vector<uint8_t>{0x05, 0x00, 0x03, 0xAB, 4, static_cast<uint8_t>(i + 1)}));
    EXPECT_TRUE(codec::Validate(codec::Pdu{0, 1, sm}));
  }
  EXPECT_EQ(Reassemble(*mo), text);
}

TEST(BuildMo, MultipartGsm7WithSar) {
  const std::string text(400, 'a');
  MoRequest request{"+14155550100", "56767", text};
  request.concat = text::ConcatMethod::kSar;
  auto mo = BuildMo(request, 9);
  ASSERT_TRUE(mo) << mo.error().message;
  ASSERT_EQ(mo->parts.size(), 3u);
  for (size_t i = 0; i < mo->parts.size(); ++i) {
    const codec::DeliverSm& sm = mo->parts[i];
    EXPECT_EQ(sm.esm_class, 0);
    auto sar = codec::GetSar(sm.tlvs);
    ASSERT_TRUE(sar);
    EXPECT_EQ(sar->msg_ref_num, 9);
    EXPECT_EQ(sar->total_segments, 3);
    EXPECT_EQ(sar->segment_seqnum, i + 1);
  }
  EXPECT_EQ(Reassemble(*mo), text);
}

TEST(BuildMo, ForcedGsm7RefusesWhatItCannotCarry) {
  MoRequest request{"+14155550100", "56767", "नमस्ते", text::UnicodeMode::kGsm7};
  EXPECT_FALSE(BuildMo(request, 0));
  request.encoding = text::UnicodeMode::kUcs2;
  request.text = "plain";
  auto mo = BuildMo(request, 0);
  ASSERT_TRUE(mo);
  EXPECT_EQ(mo->parts[0].data_coding, 0x08);
}

TEST(BuildMo, RefusesBadAddresses) {
  EXPECT_FALSE(BuildMo(MoRequest{"", "56767", "x"}, 0));
  EXPECT_FALSE(BuildMo(MoRequest{"+14155550100", "", "x"}, 0));
  EXPECT_FALSE(BuildMo(MoRequest{"+14155550100", std::string(21, '1'), "x"}, 0));
  EXPECT_TRUE(BuildMo(MoRequest{"ACME", "56767", "x"}, 0));  // alphanumeric senders exist
}

TEST(MoSentJson, Shape) {
  MoSent sent{"smsgw", 3, core::Encoding::kUcs2, {7, 8}};
  EXPECT_EQ(MoSentJson(sent), R"({"system_id":"smsgw","connection":3,"encoding":"UCS2","parts":2,)"
                              R"("sequence_numbers":[7,8]})");
}

}  // namespace
}  // namespace smsgw::smsc_sim
