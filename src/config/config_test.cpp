#include "config/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace smsgw::config {
namespace {

using std::chrono::seconds;

// Parses `text` as "test.toml" and expects the error "test.toml:<where>: ..." containing `reason`.
void ExpectError(std::string_view text, std::string_view where, std::string_view reason) {
  auto config = ParseConfig(text, "test.toml");
  ASSERT_FALSE(config) << "accepted:\n" << text;
  EXPECT_EQ(config.error().code, core::Errc::kInvalidArgument);
  const std::string& message = config.error().message;
  EXPECT_TRUE(message.starts_with("test.toml:" + std::string(where) + ": "))
      << "want position " << where << ", got: " << message;
  EXPECT_NE(message.find(reason), std::string::npos)
      << "want reason containing \"" << reason << "\", got: " << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << "not one line: " << message;
}

Config ParseOk(std::string_view text) {
  auto config = ParseConfig(text, "test.toml");
  EXPECT_TRUE(config) << config.error().message;
  return config.value_or(Config{});
}

TEST(ParseConfig, EmptyGivesDefaults) {
  Config c = ParseOk("");
  EXPECT_EQ(c.server.listen, (Endpoint{"127.0.0.1", 8080}));
  EXPECT_EQ(c.store.path, "");
  EXPECT_EQ(c.region, core::Region::kSg);
  EXPECT_EQ(c.limits.max_body_bytes, 65536u);
  EXPECT_EQ(c.schedule.min_ahead, seconds{15 * 60});
  EXPECT_EQ(c.schedule.max_ahead, seconds{92 * 86400});
}

TEST(ParseConfig, CommentsAndEmptyTablesGiveDefaults) {
  Config c = ParseOk("# nothing here\n[server]\n[store]\n[limits]\n[schedule]\n");
  EXPECT_EQ(c.server.listen.port, 8080);
  EXPECT_EQ(c.limits.max_body_bytes, 65536u);
}

TEST(ParseConfig, EveryKey) {
  Config c = ParseOk(R"(
region = "IN"

[server]
listen = "0.0.0.0:9090"

[store]
path = "/var/lib/smsgw/smsgw.db"

[limits]
max_body_bytes = 131072

[schedule]
min_ahead = "5m"
max_ahead = "30d"
)");
  EXPECT_EQ(c.region, core::Region::kIn);
  EXPECT_EQ(c.server.listen, (Endpoint{"0.0.0.0", 9090}));
  EXPECT_EQ(c.store.path, "/var/lib/smsgw/smsgw.db");
  EXPECT_EQ(c.limits.max_body_bytes, 131072u);
  EXPECT_EQ(c.schedule.min_ahead, seconds{300});
  EXPECT_EQ(c.schedule.max_ahead, seconds{30 * 86400});
}

TEST(ParseConfig, DottedKeysAndInlineTables) {
  Config c = ParseOk("server.listen = \"[::1]:0\"\nlimits = { max_body_bytes = 2048 }\n");
  EXPECT_EQ(c.server.listen, (Endpoint{"::1", 0}));
  EXPECT_EQ(c.limits.max_body_bytes, 2048u);
}

// --- region

TEST(ParseConfig, RegionEveryValueCaseInsensitive) {
  EXPECT_EQ(ParseOk("region = \"IN\"").region, core::Region::kIn);
  EXPECT_EQ(ParseOk("region = \"sg\"").region, core::Region::kSg);
  EXPECT_EQ(ParseOk("region = \"Eu\"").region, core::Region::kEu);
  EXPECT_EQ(ParseOk("region = \"na\"").region, core::Region::kNa);
}

TEST(ParseConfig, RegionBadValue) {
  ExpectError("region = \"US\"\n", "1:10", "region must be one of IN, SG, EU, NA, not \"US\"");
  ExpectError("region = \"\"\n", "1:10", "region must be one of");
  ExpectError("region = \" IN\"\n", "1:10", "region must be one of");
}

TEST(ParseConfig, RegionWrongType) {
  ExpectError("region = 1\n", "1:10", "region must be a string, not an integer");
  ExpectError("region = [\"IN\"]\n", "1:10", "region must be a string, not an array");
  ExpectError("[region]\n", "1:1", "region must be a string, not a table");
}

// --- [server]

TEST(ParseConfig, ServerListen) {
  EXPECT_EQ(ParseOk("[server]\nlisten = \"localhost:0\"").server.listen,
            (Endpoint{"localhost", 0}));
}

TEST(ParseConfig, ServerListenBadValue) {
  ExpectError("[server]\nlisten = \"127.0.0.1\"\n", "2:10", "server.listen: missing port");
  ExpectError("[server]\nlisten = \"127.0.0.1:70000\"\n", "2:10", "server.listen: bad port");
  ExpectError("[server]\nlisten = \"::1:80\"\n", "2:10", "must be in brackets");
  ExpectError("[server]\nlisten = 8080\n", "2:10",
              "server.listen must be a string, not an integer");
}

TEST(ParseConfig, ServerNotATable) {
  ExpectError("server = \"127.0.0.1:80\"\n", "1:10", "\"server\" must be a table");
  ExpectError("[[server]]\nlisten = \"127.0.0.1:80\"\n", "1:1", "not an array");
}

// --- [store]

TEST(ParseConfig, StorePath) {
  EXPECT_EQ(ParseOk("[store]\npath = \"data/x.db\"").store.path, "data/x.db");
  EXPECT_EQ(ParseOk("[store]\npath = \"\"").store.path, "");
}

TEST(ParseConfig, StorePathBadValue) {
  ExpectError("[store]\npath = 5\n", "2:8", "store.path must be a string, not an integer");
  ExpectError("[store]\npath = true\n", "2:8", "store.path must be a string, not a boolean");
  ExpectError("[store]\npath = \"a\\u0000b\"\n", "2:8", "NUL");
}

// --- [limits]

TEST(ParseConfig, MaxBodyBytesBounds) {
  EXPECT_EQ(ParseOk("[limits]\nmax_body_bytes = 1024").limits.max_body_bytes, 1024u);
  EXPECT_EQ(ParseOk("[limits]\nmax_body_bytes = 16777216").limits.max_body_bytes, 16777216u);
  EXPECT_EQ(ParseOk("[limits]\nmax_body_bytes = 1_048_576").limits.max_body_bytes, 1048576u);
}

TEST(ParseConfig, MaxBodyBytesBadValue) {
  ExpectError("[limits]\nmax_body_bytes = 1023\n", "2:18",
              "limits.max_body_bytes must be between 1024 and 16777216 (16 MiB), not 1023");
  ExpectError("[limits]\nmax_body_bytes = 16777217\n", "2:18", "not 16777217");
  ExpectError("[limits]\nmax_body_bytes = -1\n", "2:18", "not -1");
  ExpectError("[limits]\nmax_body_bytes = 0\n", "2:18", "not 0");
  ExpectError("[limits]\nmax_body_bytes = 65536.0\n", "2:18",
              "limits.max_body_bytes must be an integer, not a float");
  ExpectError("[limits]\nmax_body_bytes = \"64KiB\"\n", "2:18", "must be an integer, not a string");
}

// --- [text]

TEST(ParseConfig, SmartEncoding) {
  EXPECT_FALSE(ParseOk("").text.smart_encoding);
  EXPECT_TRUE(ParseOk("[text]\nsmart_encoding = true").text.smart_encoding);
  ExpectError("[text]\nsmart_encoding = \"yes\"\n", "2:18",
              "text.smart_encoding must be true or false, not a string");
  ExpectError("[text]\nsmart = true\n", "2:1", "unknown key");
}

// --- [schedule]

TEST(ParseConfig, ScheduleDurations) {
  Config c = ParseOk("[schedule]\nmin_ahead = \"90s\"\nmax_ahead = \"1h30m\"");
  EXPECT_EQ(c.schedule.min_ahead, seconds{90});
  EXPECT_EQ(c.schedule.max_ahead, seconds{5400});
  EXPECT_EQ(ParseOk("[schedule]\nmin_ahead = \"0s\"").schedule.min_ahead, seconds{0});
  EXPECT_EQ(ParseOk("[schedule]\nmin_ahead = \"0\"").schedule.min_ahead, seconds{0});
  EXPECT_EQ(ParseOk("[schedule]\nmax_ahead = \"2h\"").schedule.max_ahead, seconds{7200});
  EXPECT_EQ(ParseOk("[schedule]\nmax_ahead = \"2h\"").schedule.min_ahead, seconds{900});
}

TEST(ParseConfig, ScheduleBadDuration) {
  ExpectError("[schedule]\nmin_ahead = \"15\"\n", "2:13",
              "schedule.min_ahead: bad duration \"15\"");
  ExpectError("[schedule]\nmin_ahead = \"-5m\"\n", "2:13", "bad duration \"-5m\"");
  ExpectError("[schedule]\nmax_ahead = \"3 months\"\n", "2:13", "schedule.max_ahead: bad duration");
  ExpectError("[schedule]\nmax_ahead = \"30m1h\"\n", "2:13", "largest first");
  ExpectError("[schedule]\nmax_ahead = \"99999d\"\n", "2:13", "too large");
}

TEST(ParseConfig, ScheduleWrongType) {
  ExpectError("[schedule]\nmin_ahead = 900\n", "2:13",
              "schedule.min_ahead must be a string, not an integer");
  ExpectError("[schedule]\nmax_ahead = 12:00:00\n", "2:13", "must be a string, not a time");
}

TEST(ParseConfig, ScheduleMaxMustExceedMin) {
  ExpectError("[schedule]\nmin_ahead = \"1h\"\nmax_ahead = \"1h\"\n", "3:13",
              "schedule.max_ahead (1h) must be greater than schedule.min_ahead (1h)");
  ExpectError("[schedule]\nmin_ahead = \"2h\"\nmax_ahead = \"1h\"\n", "3:13", "must be greater");
  // Only min_ahead given, beyond the default max_ahead: the error points at min_ahead.
  ExpectError("[schedule]\nmin_ahead = \"100d\"\n", "2:13",
              "schedule.max_ahead (92d) must be greater than schedule.min_ahead (100d)");
  // Only max_ahead given, below the default min_ahead.
  ExpectError("[schedule]\nmax_ahead = \"10m\"\n", "2:13", "must be greater");
}

// --- unknown keys and tables

TEST(ParseConfig, UnknownTopLevelKey) {
  ExpectError("region = \"SG\"\nregoin = \"IN\"\n", "2:1",
              "unknown key \"regoin\" (known: region, server, store, limits, schedule, text)");
}

TEST(ParseConfig, UnknownTable) {
  ExpectError("[server]\nlisten = \"127.0.0.1:1\"\n\n[smsc]\nhost = \"x\"\n", "4:2",
              "unknown table [smsc]");
}

TEST(ParseConfig, UnknownKeyInEachTable) {
  ExpectError("[server]\nport = 8080\n", "2:1", "unknown key \"port\" in [server] (known: listen)");
  ExpectError("[store]\nfile = \"x\"\n", "2:1", "unknown key \"file\" in [store] (known: path)");
  ExpectError("[limits]\nmax_recipients = 100\n", "2:1",
              "unknown key \"max_recipients\" in [limits] (known: max_body_bytes)");
  ExpectError("[schedule]\nmin = \"1m\"\n", "2:1",
              "unknown key \"min\" in [schedule] (known: min_ahead, max_ahead)");
}

TEST(ParseConfig, UnknownSubTable) {
  ExpectError("[server.tls]\ncert = \"x\"\n", "1:9", "unknown key \"tls\" in [server]");
  ExpectError("server.listen = \"127.0.0.1:1\"\nserver.lisen = \"x\"\n", "2:8",
              "unknown key \"lisen\" in [server]");
}

TEST(ParseConfig, ReportsTheEarliestProblem) {
  const char* text =
      "region = \"SG\"\n"
      "[server]\n"
      "listen = \"nope\"\n"
      "[limits]\n"
      "max_body_bytes = 1\n"
      "[aaa]\n";
  ExpectError(text, "3:10", "server.listen");
}

// --- TOML syntax errors

TEST(ParseConfig, SyntaxErrors) {
  ExpectError("region = \"SG\n", "1:13", "Error while parsing string");  // unterminated string
  ExpectError("[server\nlisten = \"a:1\"\n", "1:8", "expected ']'");     // unterminated header
  ExpectError("region = \"SG\"\nregion = \"IN\"\n", "2:10", "cannot redefine");
  ExpectError("\n\nlisten = \n", "3:10", "expected value");
  ExpectError("= 5\n", "1:1", "Error while parsing");  // missing key
}

TEST(ParseConfig, SyntaxErrorNamesTheSource) {
  auto config = ParseConfig("x = \n", "/etc/smsgw.toml");
  ASSERT_FALSE(config);
  EXPECT_TRUE(config.error().message.starts_with("/etc/smsgw.toml:1:")) << config.error().message;
}

// --- files

class LoadConfigFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "smsgw_config_test.XXXXXX");
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }

  std::filesystem::path dir_;
};

TEST_F(LoadConfigFileTest, ReadsAFile) {
  const std::string path =
      Write("ok.toml", "region = \"EU\"\n[server]\nlisten = \"127.0.0.1:0\"\n");
  auto config = LoadConfigFile(path);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->region, core::Region::kEu);
  EXPECT_EQ(config->server.listen.port, 0);
}

TEST_F(LoadConfigFileTest, ErrorsNameThePath) {
  const std::string path = Write("bad.toml", "\n[limits]\nmax_body_bytes = 10\n");
  auto config = LoadConfigFile(path);
  ASSERT_FALSE(config);
  EXPECT_TRUE(config.error().message.starts_with(path + ":3:18: ")) << config.error().message;
}

TEST_F(LoadConfigFileTest, MissingFile) {
  const std::string path = (dir_ / "absent.toml").string();
  auto config = LoadConfigFile(path);
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, core::Errc::kNotFound);
  EXPECT_TRUE(config.error().message.starts_with(path + ": cannot read")) << config.error().message;
}

TEST_F(LoadConfigFileTest, DirectoryIsNotAFile) {
  auto config = LoadConfigFile(dir_.string());
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("cannot read"), std::string::npos);
}

TEST_F(LoadConfigFileTest, EmptyFileGivesDefaults) {
  auto config = LoadConfigFile(Write("empty.toml", ""));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->server.listen.port, 8080);
}

}  // namespace
}  // namespace smsgw::config
