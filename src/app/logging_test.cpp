#include "app/logging.h"

#include <gtest/gtest.h>
#include <spdlog/formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fakes/temp_dir.h"
#include "log/fields.h"

namespace smsgw::app {
namespace {

std::string Formatted(std::string_view message, const char* file = "src/delivery/recorder.cpp") {
  spdlog::details::log_msg msg(spdlog::source_loc{file, 12, "F"}, "smsgw", spdlog::level::warn,
                               spdlog::string_view_t(message.data(), message.size()));
  msg.time = std::chrono::system_clock::time_point(std::chrono::milliseconds(1'796'500'000'123));
  spdlog::memory_buf_t out;
  MakeJsonFormatter()->format(msg, out);
  return std::string(out.data(), out.size());
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(LoggingTest, ComponentIsTheSourceFolder) {
  EXPECT_EQ(ComponentOf("/work/main/src/delivery/recorder.cpp"), "delivery");
  EXPECT_EQ(ComponentOf("../../src/store/sqlite/sqlite_store.cpp"), "store");
  EXPECT_EQ(ComponentOf("src/api/http_server.cpp"), "api");
  EXPECT_EQ(ComponentOf("main.cpp"), "smsgw");
  EXPECT_EQ(ComponentOf(""), "smsgw");
}

TEST(LoggingTest, JsonLinesCarryTimeLevelComponentAndMessage) {
  EXPECT_EQ(Formatted("receipt for part 2 held"),
            R"({"time":"2026-12-05T19:46:40.123Z","level":"warn","component":"delivery",)"
            R"("message":"receipt for part 2 held"})"
            "\n");
}

TEST(LoggingTest, JsonLinesCarryTheFieldsOfTheirCallOnly) {
  std::string with;
  {
    const log::Field fields[] = {{"connector", "carrier \"a\""}, {"message_id", "m-1"}};
    const log::ScopedFields scope(fields);
    with = Formatted("bound");
  }
  EXPECT_NE(with.find(R"("component":"delivery","connector":"carrier \"a\"","message_id":"m-1",)"
                      R"("message":"bound"})"),
            std::string::npos)
      << with;
  EXPECT_EQ(Formatted("after").find("connector"), std::string::npos);
}

TEST(LoggingTest, JsonEscapesWhatWouldBreakTheLine) {
  // Quotes, backslashes, a line feed and a control byte; UTF-8 kept, broken bytes replaced.
  const std::string line = Formatted("a\"b\\c\nd\x01 é \xff\xc3");
  EXPECT_NE(line.find(R"("message":"a\"b\\c\u000ad\u0001 é \ufffd\ufffd"})"), std::string::npos)
      << line;
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  // An overlong encoding of '/' and a lone surrogate are not UTF-8 either.
  EXPECT_NE(
      Formatted("\xc0\xaf \xed\xa0\x80").find(R"("message":"\ufffd\ufffd \ufffd\ufffd\ufffd")"),
      std::string::npos);
}

TEST(LoggingTest, AFileIsReopenedByNameAfterItWasMoved) {
  fakes::TempDir dir;
  const std::string path = dir.File("smsgw.log");
  config::LogConfig config;
  config.format = config::LogConfig::Format::kJson;
  config.file = path;
  auto log = LogOutput::Configure(config);
  ASSERT_TRUE(log) << log.error().message;
  SPDLOG_INFO("before rotation");
  std::filesystem::rename(path, dir.File("smsgw.log.1"));
  SPDLOG_INFO("still the old file");
  ASSERT_TRUE(log->Reopen());
  SPDLOG_INFO("after rotation");
  SPDLOG_DEBUG("below the level");
  const std::string old_file = ReadAll(dir.File("smsgw.log.1"));
  const std::string new_file = ReadAll(path);
  EXPECT_NE(old_file.find("before rotation"), std::string::npos);
  EXPECT_NE(old_file.find("still the old file"), std::string::npos);
  EXPECT_NE(new_file.find(R"("component":"app","message":"after rotation")"), std::string::npos)
      << new_file;
  EXPECT_EQ(new_file.find("before rotation"), std::string::npos);
  EXPECT_EQ(new_file.find("below the level"), std::string::npos);
  spdlog::set_default_logger(spdlog::stderr_color_mt("test-stderr"));
}

TEST(LoggingTest, AFileThatCannotBeOpenedIsAOneLineError) {
  config::LogConfig config;
  config.file = "/nonexistent-dir/smsgw.log";
  auto log = LogOutput::Configure(config);
  ASSERT_FALSE(log);
  EXPECT_EQ(log.error().message,
            "[log] file /nonexistent-dir/smsgw.log: cannot open: No such file or directory");
}

}  // namespace
}  // namespace smsgw::app
