#include "smsc_sim/pdu_log.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>

#include "smpp/codec/tlv.h"

namespace smsgw::smsc_sim {
namespace {

namespace codec = smpp::codec;

const core::TimePoint kTime = core::FromUnixMillis(1'735'732'800'123);

TEST(PduLogLine, HeaderOnlyPdu) {
  const std::string line = PduLogLine(kTime, Direction::kOut, 4, "smsgw",
                                      codec::Pdu{0x58, 17, codec::SubmitSmResp{}}, {});
  EXPECT_EQ(line,
            R"({"time":"2025-01-01T12:00:00.123Z","dir":"out","conn":4,"system_id":"smsgw",)"
            R"("command":"submit_sm_resp","seq":17,"status":88,"status_name":"ESME_RTHROTTLED"})");
}

TEST(PduLogLine, SubmitSmHasItsFields) {
  codec::SubmitSm sm;
  sm.source = {5, 0, "ACME"};
  sm.dest = {1, 1, "919876543210"};
  sm.esm_class = 0x40;
  sm.data_coding = 8;
  sm.registered_delivery = 1;
  sm.short_message = {0x05, 0x00, 0x03, 0xAB, 0x02, 0x01, 0x00, 0x41};
  codec::SetSar(sm.tlvs, {1, 2, 1});
  const std::string line =
      PduLogLine(kTime, Direction::kIn, 1, "smsgw", codec::Pdu{0, 2, sm}, "18c4a2b3ff");
  rapidjson::Document doc;
  doc.Parse(line.c_str());
  ASSERT_FALSE(doc.HasParseError()) << line;
  EXPECT_STREQ(doc["dir"].GetString(), "in");
  EXPECT_STREQ(doc["command"].GetString(), "submit_sm");
  EXPECT_STREQ(doc["source"].GetString(), "ACME");
  EXPECT_STREQ(doc["dest"].GetString(), "919876543210");
  EXPECT_EQ(doc["esm_class"].GetUint(), 0x40u);
  EXPECT_EQ(doc["data_coding"].GetUint(), 8u);
  EXPECT_EQ(doc["registered_delivery"].GetUint(), 1u);
  EXPECT_STREQ(doc["short_message"].GetString(), "050003ab02010041");
  ASSERT_EQ(doc["tlvs"].Size(), 3u);
  EXPECT_STREQ(doc["tlvs"][0].GetString(), "0x020c");
  EXPECT_STREQ(doc["message_id"].GetString(), "18c4a2b3ff");
}

TEST(PduLogLine, SubmitSmRespCarriesItsMessageId) {
  const std::string line = PduLogLine(kTime, Direction::kOut, 1, "smsgw",
                                      codec::Pdu{0, 2, codec::SubmitSmResp{"abc"}}, {});
  EXPECT_NE(line.find(R"("message_id":"abc")"), std::string::npos) << line;
}

TEST(PduLogLine, EscapesWhatItQuotes) {
  const std::string line =
      PduLogLine(kTime, Direction::kIn, 1, "we\"ird\n", codec::Pdu{0, 1, codec::EnquireLink{}}, {});
  rapidjson::Document doc;
  doc.Parse(line.c_str());
  ASSERT_FALSE(doc.HasParseError()) << line;
  EXPECT_STREQ(doc["system_id"].GetString(), "we\"ird\n");
}

TEST(PduLog, AppendsOneLinePerWrite) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("pdu_log_test_" + std::to_string(getpid()));
  std::filesystem::remove(path);
  {
    auto log = PduLog::Open(path.string());
    ASSERT_TRUE(log) << log.error().message;
    (*log)->Write("{\"a\":1}");
    (*log)->Write("{\"b\":2}");
    std::ifstream read(path);  // flushed: readable while the log is open
    std::string first;
    std::getline(read, first);
    EXPECT_EQ(first, "{\"a\":1}");
  }
  std::ifstream read(path);
  std::string all((std::istreambuf_iterator<char>(read)), std::istreambuf_iterator<char>());
  EXPECT_EQ(all, "{\"a\":1}\n{\"b\":2}\n");
  std::filesystem::remove(path);
  EXPECT_FALSE(PduLog::Open("/nonexistent-dir/pdu.log"));
}

}  // namespace
}  // namespace smsgw::smsc_sim
