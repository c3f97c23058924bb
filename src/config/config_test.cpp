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

TEST(ParseConfig, ServerConnectionLimits) {
  Config c = ParseOk(
      "[server]\nmax_connections = 500\nmax_connections_per_source = 50\n"
      "header_timeout = \"1500ms\"\n");
  EXPECT_EQ(c.server.max_connections, 500u);
  EXPECT_EQ(c.server.max_connections_per_source, 50u);
  EXPECT_EQ(c.server.header_timeout, std::chrono::milliseconds(1500));
  const Config defaults = ParseOk("");
  EXPECT_EQ(defaults.server.max_connections, 10'000u);
  EXPECT_EQ(defaults.server.max_connections_per_source, 1'000u);
  EXPECT_EQ(defaults.server.header_timeout, std::chrono::seconds(5));
  ExpectError("[server]\nmax_connections = 8\n", "2:19", "between 16 and 1000000");
  ExpectError("[server]\nmax_connections = 100\nmax_connections_per_source = 101\n", "3:30",
              "must not be more than server.max_connections (100)");
  ExpectError("[server]\nheader_timeout = \"2m\"\n", "2:18", "between 100ms and 1m");
}

TEST(ParseConfig, ServerTls) {
  const Config c = ParseOk("[server]\ntls_cert = \"/etc/smsgw/cert.pem\"\ntls_key = \"key.pem\"\n");
  EXPECT_EQ(c.server.tls_cert, "/etc/smsgw/cert.pem");
  EXPECT_EQ(c.server.tls_key, "key.pem");
  EXPECT_TRUE(ParseOk("").server.tls_cert.empty());
  ExpectError("[server]\ntls_cert = \"cert.pem\"\n", "2:12",
              "server.tls_cert and server.tls_key go together");
  ExpectError("[server]\ntls_key = \"\"\n", "2:11", "server.tls_key must be a file path");
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

// The error message of parsing `text`, which must fail.
std::string ParseErr(std::string_view text) {
  auto config = ParseConfig(text, "test.toml");
  EXPECT_FALSE(config.has_value());
  return config ? std::string() : config.error().message;
}

TEST(ParseConfig, LogDefaultsAndKeys) {
  const Config defaults = ParseOk("");
  EXPECT_EQ(defaults.log.format, LogConfig::Format::kText);
  EXPECT_EQ(defaults.log.level, 2);
  EXPECT_EQ(defaults.log.file, "");
  const Config c =
      ParseOk("[log]\nformat = \"json\"\nlevel = \"warn\"\nfile = \"/var/log/smsgw.log\"\n");
  EXPECT_EQ(c.log.format, LogConfig::Format::kJson);
  EXPECT_EQ(c.log.level, 3);
  EXPECT_EQ(c.log.file, "/var/log/smsgw.log");
  ExpectError("[log]\nformat = \"xml\"\n", "2:10", "log.format must be \"text\" or \"json\"");
  ExpectError("[log]\nlevel = \"verbose\"\n", "2:9", "log.level must be one of trace, debug");
  ExpectError("[log]\nfile = \"\"\n", "2:8", "log.file must be a file path");
  ExpectError("[log]\nlevel = 1\n", "2:9", "log.level must be a string");
}

// A node's id names its claims in a shared store (owner "<id>/<instance>"): no '/' and nothing a
// log line or a metric label would mangle.
TEST(ParseConfig, NodeIdIsAPlainName) {
  EXPECT_EQ(ParseOk("[node]\nid = \"gw-2.eu_west\"\n").node.id, "gw-2.eu_west");
  EXPECT_EQ(ParseOk("").node.id, "") << "the host's name, chosen at start";
  for (const char* bad : {"\"\"", "\"a b\"", "\"gw/2\"", "\"\u00e9\""}) {
    ExpectError(std::string("[node]\nid = ") + bad + "\n", "2:6",
                "node.id must be 1 to 64 letters, digits, '.', '_' or '-'");
  }
  ExpectError("[node]\nid = \"" + std::string(65, 'a') + "\"\n", "2:6", "node.id must be 1 to 64");
  ExpectError("[node]\nid = 7\n", "2:6", "node.id must be a string");
  ExpectError("[node]\nname = \"a\"\n", "2:1", "unknown key");
}

// Long enough for a round of renewals and a graceful close inside it; short enough that a dead
// node's binds come back within minutes at worst.
TEST(ParseConfig, NodeBindLease) {
  EXPECT_EQ(ParseOk("").node.bind_lease, std::chrono::seconds(15));
  EXPECT_EQ(ParseOk("[node]\nbind_lease = \"3500ms\"\n").node.bind_lease,
            std::chrono::milliseconds(3500));
  ExpectError("[node]\nbind_lease = \"2s\"\n", "2:14",
              "node.bind_lease must be between 3s and 10m, not 2s");
  ExpectError("[node]\nbind_lease = \"11m\"\n", "2:14", "must be between 3s and 10m");
}

TEST(ParseConfig, AdminDefaultsAndKeys) {
  const Config defaults = ParseOk("");
  EXPECT_TRUE(defaults.admin.enabled);
  EXPECT_EQ(defaults.admin.listen, (Endpoint{"127.0.0.1", 9090}));
  EXPECT_EQ(defaults.admin.token, "");
  EXPECT_EQ(defaults.admin.stop_delay, std::chrono::milliseconds(0));
  const Config c = ParseOk(
      "[admin]\nenabled = false\nlisten = \"[::1]:0\"\ntoken = \"0123456789abcdef\"\n"
      "stop_delay = \"1500ms\"\n");
  EXPECT_FALSE(c.admin.enabled);
  EXPECT_EQ(c.admin.listen, (Endpoint{"::1", 0}));
  EXPECT_EQ(c.admin.token, "0123456789abcdef");
  EXPECT_EQ(c.admin.stop_delay, std::chrono::milliseconds(1500));
  EXPECT_EQ(ParseOk("[admin]\ntoken = \"\"\n").admin.token, "");  // no token
}

TEST(ParseConfig, SmppServerIsOffUnlessListenIsSet) {
  const Config defaults = ParseOk("");
  EXPECT_FALSE(defaults.smpp_server.listen.has_value());
  EXPECT_EQ(defaults.smpp_server.max_binds_per_account, 10);
  EXPECT_EQ(defaults.smpp_server.window, 10);
  EXPECT_EQ(defaults.smpp_server.max_connections, 1000);
  EXPECT_EQ(defaults.smpp_server.max_rate, 0);
  const Config c = ParseOk(
      "[smpp_server]\nlisten = \"127.0.0.1:0\"\nmax_binds_per_account = 2\nwindow = 50\n"
      "max_connections = 5\n"
      "bind_timeout = \"2s\"\nenquire_link = \"1500ms\"\ninactivity = \"3s\"\n"
      "deliver_timeout = \"5s\"\nreassembly_timeout = \"20s\"\nreassembly_max_sets = 7\n");
  ASSERT_TRUE(c.smpp_server.listen.has_value());
  EXPECT_EQ(*c.smpp_server.listen, (Endpoint{"127.0.0.1", 0}));
  EXPECT_EQ(c.smpp_server.max_binds_per_account, 2);
  EXPECT_EQ(c.smpp_server.window, 50);
  EXPECT_EQ(c.smpp_server.max_connections, 5);
  EXPECT_EQ(c.smpp_server.bind_timeout, std::chrono::milliseconds(2000));
  EXPECT_EQ(c.smpp_server.enquire_link, std::chrono::milliseconds(1500));
  EXPECT_EQ(c.smpp_server.inactivity, std::chrono::milliseconds(3000));
  EXPECT_EQ(c.smpp_server.deliver_timeout, std::chrono::milliseconds(5000));
  EXPECT_EQ(defaults.smpp_server.deliver_timeout, std::chrono::milliseconds(30'000));
  EXPECT_EQ(c.smpp_server.reassembly_timeout, std::chrono::milliseconds(20'000));
  EXPECT_EQ(defaults.smpp_server.reassembly_timeout, std::chrono::milliseconds(300'000));
  EXPECT_EQ(c.smpp_server.reassembly_max_sets, 7);
  EXPECT_EQ(defaults.smpp_server.reassembly_max_sets, 1000);
}

TEST(ParseConfig, SmppServerBadValues) {
  ExpectError("[smpp_server]\nwindow = 0\n", "2:10",
              "smpp_server.window must be between 1 and 1000, not 0");
  ExpectError("[smpp_server]\nmax_binds_per_account = 1001\n", "2:25",
              "smpp_server.max_binds_per_account must be between 1 and 1000");
  ExpectError("[smpp_server]\nlisten = \"nowhere\"\n", "2:10", "smpp_server.listen");
  ExpectError("[smpp_server]\nenquire_link = \"1m\"\ninactivity = \"30s\"\n", "3:14",
              "smpp_server.inactivity must be longer than smpp_server.enquire_link");
  ExpectError("[smpp_server]\nsecret = 1\n", "2:1", "smpp_server");
  ExpectError("[smpp_server]\nmax_rate = -1\n", "2:12",
              "smpp_server.max_rate must be between 0 and 100000, not -1");
  EXPECT_EQ(ParseOk("[smpp_server]\nmax_rate = 250\n").smpp_server.max_rate, 250);
  ExpectError("[smpp_server]\ndeliver_timeout = \"11m\"\n", "2:19", "smpp_server.deliver_timeout");
  ExpectError("[smpp_server]\nreassembly_timeout = \"5s\"\n", "2:22",
              "smpp_server.reassembly_timeout");
  ExpectError("[smpp_server]\nreassembly_max_sets = 0\n", "2:23",
              "smpp_server.reassembly_max_sets must be between 1 and 100000, not 0");
}

TEST(ParseConfig, AdminBadValuesNeverEchoTheToken) {
  for (const char* token : {"short", "has a space in it 0123", "tab\\tinside-0123456789"}) {
    const std::string error = ParseErr(std::string("[admin]\ntoken = \"") + token + "\"\n");
    EXPECT_NE(error.find("admin.token must be 16..256 printable ASCII characters"),
              std::string::npos)
        << error;
    EXPECT_EQ(error.find(token), std::string::npos) << error;
  }
  EXPECT_NE(ParseErr("[admin]\nstop_delay = \"2m\"\n").find("admin.stop_delay must be between"),
            std::string::npos);
  EXPECT_NE(ParseErr("[admin]\nlisten = \"nowhere\"\n").find("admin.listen"), std::string::npos);
  EXPECT_NE(ParseErr("[admin]\nport = 1\n").find("unknown key"), std::string::npos);
}

TEST(ParseConfig, ConsoleDefaultsKeysAndBounds) {
  const Config defaults = ParseOk("");
  EXPECT_TRUE(defaults.console.enabled);
  EXPECT_EQ(defaults.console.idle_timeout, std::chrono::minutes(30));
  EXPECT_EQ(defaults.console.session_lifetime, std::chrono::hours(12));
  const Config c =
      ParseOk("[console]\nenabled = false\nidle_timeout = \"10m\"\nsession_lifetime = \"2h\"\n");
  EXPECT_FALSE(c.console.enabled);
  EXPECT_EQ(c.console.idle_timeout, std::chrono::minutes(10));
  EXPECT_EQ(c.console.session_lifetime, std::chrono::hours(2));
  EXPECT_NE(ParseErr("[console]\nidle_timeout = \"10s\"\n").find("console.idle_timeout must be"),
            std::string::npos);
  ExpectError("[console]\nidle_timeout = \"2h\"\nsession_lifetime = \"1h\"\n", "3:20",
              "console.session_lifetime must not be shorter than console.idle_timeout");
  EXPECT_NE(ParseErr("[console]\nidle_timeout = \"20h\"\n").find("must not be shorter"),
            std::string::npos);  // the default lifetime (12h) is shorter
  EXPECT_NE(ParseErr("[console]\npassword = 1\n").find("unknown key"), std::string::npos);
  EXPECT_EQ(defaults.console.sign_in_failures_per_sid, 10);
  EXPECT_EQ(defaults.console.sign_in_failures_per_source, 30);
  EXPECT_EQ(defaults.console.sign_in_window, std::chrono::minutes(5));
  const Config limits = ParseOk(
      "[console]\nsign_in_failures_per_sid = 3\nsign_in_failures_per_source = 7\n"
      "sign_in_window = \"90s\"\n");
  EXPECT_EQ(limits.console.sign_in_failures_per_sid, 3);
  EXPECT_EQ(limits.console.sign_in_failures_per_source, 7);
  EXPECT_EQ(limits.console.sign_in_window, std::chrono::seconds(90));
  EXPECT_NE(ParseErr("[console]\nsign_in_failures_per_sid = 0\n")
                .find("console.sign_in_failures_per_sid must be"),
            std::string::npos);
  EXPECT_NE(ParseErr("[console]\nsign_in_window = \"2d\"\n").find("console.sign_in_window must be"),
            std::string::npos);
}

TEST(ParseConfig, StorePath) {
  EXPECT_EQ(ParseOk("[store]\npath = \"data/x.db\"").store.path, "data/x.db");
  EXPECT_EQ(ParseOk("[store]\npath = \"\"").store.path, "");
}

TEST(ParseConfig, StorePathBadValue) {
  ExpectError("[store]\npath = 5\n", "2:8", "store.path must be a string, not an integer");
  ExpectError("[store]\npath = true\n", "2:8", "store.path must be a string, not a boolean");
  ExpectError("[store]\npath = \"a\\u0000b\"\n", "2:8", "NUL");
}

// A PostgreSQL store instead of the SQLite file, with its pool; never both, and the url (which may
// hold a password) is never echoed in an error.
TEST(ParseConfig, StoreUrlAndPool) {
  const Config defaults = ParseOk("");
  EXPECT_EQ(defaults.store.url, "");
  EXPECT_EQ(defaults.store.pool_size, 8);
  EXPECT_EQ(defaults.store.statement_timeout, std::chrono::seconds(30));
  const Config c = ParseOk(
      "[store]\nurl = \"postgresql://smsgw:s3cret@db.example:5432/smsgw\"\npool_size = 16\n"
      "statement_timeout = \"5s\"\n");
  EXPECT_EQ(c.store.url, "postgresql://smsgw:s3cret@db.example:5432/smsgw");
  EXPECT_EQ(c.store.pool_size, 16);
  EXPECT_EQ(c.store.statement_timeout, std::chrono::seconds(5));
  EXPECT_EQ(ParseOk("[store]\nurl = \"\"\npath = \"x.db\"\n").store.path, "x.db")
      << "an empty url is unset";
  ExpectError("[store]\nurl = \"postgresql:///smsgw\"\npath = \"x.db\"\n", "2:7",
              "store.url (PostgreSQL) and store.path (SQLite) name two stores: set one");
  ExpectError("[store]\npool_size = 0\n", "2:13", "store.pool_size");
  ExpectError("[store]\npool_size = 257\n", "2:13", "store.pool_size");
  ExpectError("[store]\nstatement_timeout = \"10ms\"\n", "2:21", "store.statement_timeout");
  const std::string error = ParseErr("[store]\nurl = \"postgresql://u:s3cret@h/\\u0000\"\n");
  EXPECT_NE(error.find("store.url must not contain a NUL character"), std::string::npos) << error;
  EXPECT_EQ(error.find("s3cret"), std::string::npos) << "the url is never echoed";
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

TEST(ParseConfig, AccountRateLimits) {
  const Config defaults = ParseOk("");
  EXPECT_EQ(defaults.limits.sends_per_second, 0);
  EXPECT_EQ(defaults.limits.recipients_per_second, 0);
  const Config c = ParseOk("[limits]\nsends_per_second = 50\nrecipients_per_second = 500\n");
  EXPECT_EQ(c.limits.sends_per_second, 50);
  EXPECT_EQ(c.limits.recipients_per_second, 500);
  ExpectError("[limits]\nsends_per_second = -1\n", "2:20",
              "limits.sends_per_second must be between 0 and 1000000, not -1");
  ExpectError("[limits]\nrecipients_per_second = \"10/s\"\n", "2:25",
              "limits.recipients_per_second must be an integer, not a string");
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

// --- [[smsc]]

// The smallest valid connector, for tests that vary one key.
constexpr std::string_view kMinimalSmsc =
    "[[smsc]]\nname = \"a\"\nhost = \"smsc.example.com\"\nsystem_id = \"acme\"\n";

Config ParseSmscOk(std::string_view extra_lines) {
  return ParseOk(std::string(kMinimalSmsc) + std::string(extra_lines));
}

// `extra_line` is line 5 of the document, after kMinimalSmsc.
void ExpectSmscError(std::string_view extra_line, std::string_view where, std::string_view reason) {
  ExpectError(std::string(kMinimalSmsc) + std::string(extra_line) + "\n", where, reason);
}

TEST(ParseConfig, NoSmscByDefault) {
  Config c = ParseOk("");
  EXPECT_TRUE(c.smsc.empty());
  EXPECT_TRUE(SimulatorEnabled(c));
}

TEST(ParseConfig, SmscDefaults) {
  Config c = ParseSmscOk("");
  ASSERT_EQ(c.smsc.size(), 1u);
  const SmscConfig& s = c.smsc[0];
  EXPECT_EQ(s.name, "a");
  EXPECT_EQ(s.host, "smsc.example.com");
  EXPECT_EQ(s.port, 2775);
  EXPECT_EQ(s.system_id, "acme");
  EXPECT_EQ(s.password, "");
  EXPECT_EQ(s.system_type, "");
  EXPECT_EQ(s.bind, SmscBind::kTransceiver);
  EXPECT_EQ(s.binds, 1);
  EXPECT_EQ(s.window, 10);
  EXPECT_EQ(s.tps, 0);
  EXPECT_EQ(s.enquire_link, seconds{30});
  EXPECT_EQ(s.dlr_id_format, DlrIdFormat::kAuto);
  EXPECT_EQ(s.concatenation, Concatenation::kUdh8);
  EXPECT_EQ(s.source_ton, -1);
  EXPECT_EQ(s.source_npi, -1);
  EXPECT_EQ(s.dest_ton, -1);
  EXPECT_EQ(s.dest_npi, -1);
  EXPECT_TRUE(s.types.empty());
  EXPECT_TRUE(s.prefixes.empty());
  EXPECT_EQ(s.priority, 0);
  EXPECT_FALSE(SimulatorEnabled(c));
}

TEST(ParseConfig, SmscEveryKey) {
  Config c = ParseOk(R"(
region = "IN"

[[smsc]]
name = "carrier-a_1"
host = "10.0.0.5"
port = 2776
system_id = "acme_in"
password = "s3cret!"
system_type = "VMA"
bind = "pair"
binds = 4
window = 50
tps = 200
enquire_link = "45s"
dlr_id_format = "hex-decimal"
concatenation = "sar"
source_ton = 5
source_npi = 0
dest_ton = 1
dest_npi = 1
types = ["OTP", "txn"]
prefixes = ["91", "9198"]
priority = -3

[[smsc]]
name = "B"
host = "::1"
system_id = "b"
)");
  ASSERT_EQ(c.smsc.size(), 2u);
  const SmscConfig& s = c.smsc[0];
  EXPECT_EQ(s.name, "carrier-a_1");
  EXPECT_EQ(s.host, "10.0.0.5");
  EXPECT_EQ(s.port, 2776);
  EXPECT_EQ(s.system_id, "acme_in");
  EXPECT_EQ(s.password, "s3cret!");
  EXPECT_EQ(s.system_type, "VMA");
  EXPECT_EQ(s.bind, SmscBind::kPair);
  EXPECT_EQ(s.binds, 4);
  EXPECT_EQ(s.window, 50);
  EXPECT_EQ(s.tps, 200);
  EXPECT_EQ(s.enquire_link, seconds{45});
  EXPECT_EQ(s.dlr_id_format, DlrIdFormat::kHexDecimal);
  EXPECT_EQ(s.concatenation, Concatenation::kSar);
  EXPECT_EQ(s.source_ton, 5);
  EXPECT_EQ(s.source_npi, 0);
  EXPECT_EQ(s.dest_ton, 1);
  EXPECT_EQ(s.dest_npi, 1);
  EXPECT_EQ(s.types, (std::vector<core::RouteType>{core::RouteType::kOtp, core::RouteType::kTxn}));
  EXPECT_EQ(s.prefixes, (std::vector<std::string>{"91", "9198"}));
  EXPECT_EQ(s.priority, -3);
  EXPECT_EQ(c.smsc[1].name, "B");
  EXPECT_EQ(c.smsc[1].host, "::1");
}

TEST(ParseConfig, SmscInlineTablesAndEmptyArray) {
  Config c = ParseOk("smsc = [{name = \"x\", host = \"h\", system_id = \"s\"}]\n");
  ASSERT_EQ(c.smsc.size(), 1u);
  EXPECT_EQ(c.smsc[0].name, "x");
  EXPECT_TRUE(ParseOk("smsc = []\n").smsc.empty());
}

TEST(ParseConfig, SmscEnumsEveryValue) {
  EXPECT_EQ(ParseSmscOk("bind = \"transmitter\"").smsc[0].bind, SmscBind::kTransmitter);
  EXPECT_EQ(ParseSmscOk("bind = \"receiver\"").smsc[0].bind, SmscBind::kReceiver);
  EXPECT_EQ(ParseSmscOk("bind = \"transceiver\"").smsc[0].bind, SmscBind::kTransceiver);
  EXPECT_EQ(ParseSmscOk("bind = \"pair\"").smsc[0].bind, SmscBind::kPair);
  EXPECT_EQ(ParseSmscOk("dlr_id_format = \"auto\"").smsc[0].dlr_id_format, DlrIdFormat::kAuto);
  EXPECT_EQ(ParseSmscOk("dlr_id_format = \"hex\"").smsc[0].dlr_id_format, DlrIdFormat::kHex);
  EXPECT_EQ(ParseSmscOk("dlr_id_format = \"decimal\"").smsc[0].dlr_id_format,
            DlrIdFormat::kDecimal);
  EXPECT_EQ(ParseSmscOk("dlr_id_format = \"hex-decimal\"").smsc[0].dlr_id_format,
            DlrIdFormat::kHexDecimal);
  EXPECT_EQ(ParseSmscOk("concatenation = \"udh8\"").smsc[0].concatenation, Concatenation::kUdh8);
  EXPECT_EQ(ParseSmscOk("concatenation = \"udh16\"").smsc[0].concatenation, Concatenation::kUdh16);
  EXPECT_EQ(ParseSmscOk("concatenation = \"sar\"").smsc[0].concatenation, Concatenation::kSar);
  EXPECT_EQ(ParseSmscOk("concatenation = \"payload\"").smsc[0].concatenation,
            Concatenation::kPayload);
}

TEST(ParseConfig, SmscEnumsBadValue) {
  ExpectSmscError("bind = \"trx\"", "5:8",
                  "smsc.bind must be one of \"transmitter\", \"receiver\", \"transceiver\", "
                  "\"pair\", not \"trx\"");
  ExpectSmscError("bind = \"Transceiver\"", "5:8", "smsc.bind must be one of");
  ExpectSmscError("bind = 1", "5:8", "smsc.bind must be a string, not an integer");
  ExpectSmscError("dlr_id_format = \"dec\"", "5:17",
                  "smsc.dlr_id_format must be one of \"auto\", \"hex\", \"decimal\", "
                  "\"hex-decimal\", not \"dec\"");
  ExpectSmscError("concatenation = \"udh\"", "5:17",
                  "smsc.concatenation must be one of \"udh8\", \"udh16\", \"sar\", \"payload\", "
                  "not \"udh\"");
}

TEST(ParseConfig, SmscRequiredKeys) {
  ExpectError("[[smsc]]\nhost = \"h\"\nsystem_id = \"s\"\n", "1:1",
              "[[smsc]] is missing the required key \"name\"");
  ExpectError("[[smsc]]\nname = \"a\"\nsystem_id = \"s\"\n", "1:1",
              "[[smsc]] is missing the required key \"host\"");
  ExpectError("[[smsc]]\nname = \"a\"\nhost = \"h\"\n", "1:1",
              "[[smsc]] is missing the required key \"system_id\"");
  // The second entry's header is where its problem is.
  ExpectError(std::string(kMinimalSmsc) + "\n[[smsc]]\nname = \"b\"\n", "6:1",
              "missing the required key \"host\"");
  ExpectError("smsc = [{name = \"x\", host = \"h\"}]\n", "1:9", "missing the required key");
}

TEST(ParseConfig, SmscNotAnArrayOfTables) {
  ExpectError("[smsc]\nname = \"a\"\n", "1:1",
              "\"smsc\" must be an array of tables ([[smsc]]), not a table");
  ExpectError("smsc = \"a\"\n", "1:8",
              "\"smsc\" must be an array of tables ([[smsc]]), not a "
              "string");
  ExpectError("smsc = [1]\n", "1:9", "smsc entries must be tables ([[smsc]]), not an integer");
}

TEST(ParseConfig, SmscTls) {
  const Config plain = ParseSmscOk("");
  EXPECT_FALSE(plain.smsc[0].tls);
  const Config c = ParseSmscOk(
      "tls = true\ntls_ca_file = \"/etc/smsgw/carrier-ca.pem\"\ntls_cert_file = \"c.pem\"\n"
      "tls_key_file = \"k.pem\"\n");
  EXPECT_TRUE(c.smsc[0].tls);
  EXPECT_EQ(c.smsc[0].tls_ca_file, "/etc/smsgw/carrier-ca.pem");
  EXPECT_EQ(c.smsc[0].tls_cert_file, "c.pem");
  EXPECT_EQ(c.smsc[0].tls_key_file, "k.pem");
  EXPECT_FALSE(ParseConfig(std::string(kMinimalSmsc) + "tls_ca_file = \"ca.pem\"\n", "t"))
      << "tls files without tls = true";
  EXPECT_FALSE(
      ParseConfig(std::string(kMinimalSmsc) + "tls = true\ntls_cert_file = \"c.pem\"\n", "t"))
      << "a client certificate without its key";
  ExpectSmscError("tls = \"yes\"", "5:7", "smsc.tls must be true or false");
}

TEST(ParseConfig, SmscUnknownKey) {
  ExpectSmscError("username = \"x\"", "5:1",
                  "unknown key \"username\" in [[smsc]] (known: name, host, port, system_id, "
                  "password, system_type, bind, binds, window, tps, enquire_link, dlr_id_format, "
                  "concatenation, source_ton, source_npi, dest_ton, dest_npi, types, prefixes, "
                  "priority, response_timeout, tls, tls_ca_file, tls_cert_file, tls_key_file)");
}

TEST(ParseConfig, SmscNameBadValue) {
  ExpectError("[[smsc]]\nname = \"\"\nhost = \"h\"\nsystem_id = \"s\"\n", "2:8",
              "smsc.name must be 1 to 32 letters, digits, '_' or '-', not \"\"");
  ExpectError("[[smsc]]\nname = \"a b\"\nhost = \"h\"\nsystem_id = \"s\"\n", "2:8",
              "smsc.name must be 1 to 32");
  ExpectError(
      "[[smsc]]\nname = \"" + std::string(33, 'x') + "\"\nhost = \"h\"\nsystem_id = \"s\"\n", "2:8",
      "smsc.name must be 1 to 32");
  EXPECT_EQ(
      ParseOk("[[smsc]]\nname = \"" + std::string(32, 'x') + "\"\nhost = \"h\"\nsystem_id = \"s\"")
          .smsc[0]
          .name,
      std::string(32, 'x'));
  ExpectError("[[smsc]]\nname = 1\nhost = \"h\"\nsystem_id = \"s\"\n", "2:8",
              "smsc.name must be a string, not an integer");
}

TEST(ParseConfig, SmscNamesUnique) {
  ExpectError(
      std::string(kMinimalSmsc) + "[[smsc]]\nname = \"a\"\nhost = \"h\"\nsystem_id = \"s\"\n",
      "6:8", "smsc.name \"a\" is used twice (first on line 2)");
  // Names are compared exactly: "A" is another connector.
  EXPECT_EQ(ParseOk(std::string(kMinimalSmsc) +
                    "[[smsc]]\nname = \"A\"\nhost = \"h\"\nsystem_id = \"s\"\n")
                .smsc.size(),
            2u);
}

TEST(ParseConfig, SmscHost) {
  EXPECT_EQ(ParseSmscOk("").smsc[0].host, "smsc.example.com");
  ExpectError("[[smsc]]\nname = \"a\"\nhost = \"\"\nsystem_id = \"s\"\n", "3:8",
              "smsc.host must be a host name or an IP address (IPv6 without brackets), not \"\"");
  ExpectError("[[smsc]]\nname = \"a\"\nhost = \"h:2775\"\nsystem_id = \"s\"\n", "3:8",
              "smsc.host must be a host name");
  ExpectError("[[smsc]]\nname = \"a\"\nhost = \"[::1]\"\nsystem_id = \"s\"\n", "3:8",
              "smsc.host must be a host name");
  ExpectError("[[smsc]]\nname = \"a\"\nhost = \"a b\"\nsystem_id = \"s\"\n", "3:8",
              "smsc.host must be a host name");
  ExpectError("[[smsc]]\nname = \"a\"\nhost = \"ab:12\"\nsystem_id = \"s\"\n", "3:8",
              "smsc.host must be a host name");
  EXPECT_EQ(
      ParseOk("[[smsc]]\nname = \"a\"\nhost = \"fe80::1%eth0\"\nsystem_id = \"s\"").smsc[0].host,
      "fe80::1%eth0");
  EXPECT_EQ(ParseOk("[[smsc]]\nname = \"a\"\nhost = \"192.0.2.1\"\nsystem_id = \"s\"").smsc[0].host,
            "192.0.2.1");
}

TEST(ParseConfig, SmscPort) {
  EXPECT_EQ(ParseSmscOk("port = 1").smsc[0].port, 1);
  EXPECT_EQ(ParseSmscOk("port = 65535").smsc[0].port, 65535);
  ExpectSmscError("port = 0", "5:8", "smsc.port must be between 1 and 65535, not 0");
  ExpectSmscError("port = 65536", "5:8", "smsc.port must be between 1 and 65535, not 65536");
  ExpectSmscError("port = \"2775\"", "5:8", "smsc.port must be an integer, not a string");
}

TEST(ParseConfig, SmscCredentials) {
  EXPECT_EQ(ParseSmscOk("password = \"12345678\"").smsc[0].password, "12345678");
  EXPECT_EQ(ParseSmscOk("system_type = \"123456789012\"").smsc[0].system_type, "123456789012");
  ExpectSmscError("password = \"123456789\"", "5:12",
                  "smsc.password must be at most 8 characters, not 9");
  ExpectSmscError("system_type = \"1234567890123\"", "5:15",
                  "smsc.system_type must be at most 12 characters, not 13");
  ExpectSmscError("password = \"a\\u0000b\"", "5:12", "smsc.password must not contain a NUL");
  ExpectSmscError("password = 1234", "5:12", "smsc.password must be a string, not an integer");
  ExpectError("[[smsc]]\nname = \"a\"\nhost = \"h\"\nsystem_id = \"1234567890123456\"\n", "4:13",
              "smsc.system_id must be at most 15 characters, not 16");
  ExpectError("[[smsc]]\nname = \"a\"\nhost = \"h\"\nsystem_id = \"\"\n", "4:13",
              "smsc.system_id must not be empty");
  EXPECT_EQ(ParseOk("[[smsc]]\nname = \"a\"\nhost = \"h\"\nsystem_id = \"123456789012345\"")
                .smsc[0]
                .system_id,
            "123456789012345");
}

TEST(ParseConfig, SmscIntegerRanges) {
  Config c = ParseSmscOk("binds = 16\nwindow = 1000\ntps = 100000");
  EXPECT_EQ(c.smsc[0].binds, 16);
  EXPECT_EQ(c.smsc[0].window, 1000);
  EXPECT_EQ(c.smsc[0].tps, 100000);
  c = ParseSmscOk("binds = 1\nwindow = 1\ntps = 0");
  EXPECT_EQ(c.smsc[0].binds, 1);
  EXPECT_EQ(c.smsc[0].window, 1);
  ExpectSmscError("binds = 0", "5:9", "smsc.binds must be between 1 and 16, not 0");
  ExpectSmscError("binds = 17", "5:9", "smsc.binds must be between 1 and 16, not 17");
  ExpectSmscError("window = 0", "5:10", "smsc.window must be between 1 and 1000, not 0");
  ExpectSmscError("window = 1001", "5:10", "smsc.window must be between 1 and 1000, not 1001");
  ExpectSmscError("tps = -1", "5:7", "smsc.tps must be between 0 and 100000, not -1");
  ExpectSmscError("tps = 100001", "5:7", "smsc.tps must be between 0 and 100000, not 100001");
  ExpectSmscError("tps = 1.5", "5:7", "smsc.tps must be an integer, not a float");
}

TEST(ParseConfig, SmscTonNpi) {
  Config c = ParseSmscOk("source_ton = 0\nsource_npi = 255\ndest_ton = 1\ndest_npi = 9");
  EXPECT_EQ(c.smsc[0].source_ton, 0);
  EXPECT_EQ(c.smsc[0].source_npi, 255);
  EXPECT_EQ(c.smsc[0].dest_ton, 1);
  EXPECT_EQ(c.smsc[0].dest_npi, 9);
  ExpectSmscError("source_ton = 256", "5:14", "smsc.source_ton must be between 0 and 255, not 256");
  ExpectSmscError("source_npi = -1", "5:14", "smsc.source_npi must be between 0 and 255, not -1");
  ExpectSmscError("dest_ton = 300", "5:12", "smsc.dest_ton must be between 0 and 255");
  ExpectSmscError("dest_npi = \"1\"", "5:12", "smsc.dest_npi must be an integer, not a string");
}

TEST(ParseConfig, SmscEnquireLink) {
  EXPECT_EQ(ParseSmscOk("response_timeout = \"2s\"").smsc[0].response_timeout, seconds{2});
  EXPECT_EQ(ParseSmscOk("").smsc[0].response_timeout, seconds{10});
  ExpectSmscError("response_timeout = \"6m\"", "5:20",
                  "smsc.response_timeout must be between 1s and 5m, not 6m");
  EXPECT_EQ(ParseSmscOk("enquire_link = \"1s\"").smsc[0].enquire_link, seconds{1});
  EXPECT_EQ(ParseSmscOk("enquire_link = \"1h\"").smsc[0].enquire_link, seconds{3600});
  ExpectSmscError("enquire_link = \"0\"", "5:16",
                  "smsc.enquire_link must be between 1s and 1h, not 0s");
  ExpectSmscError("enquire_link = \"1h1s\"", "5:16", "must be between 1s and 1h, not 1h1s");
  ExpectSmscError("enquire_link = \"500ms\"", "5:16",
                  "smsc.enquire_link: bad duration \"500ms\": milliseconds are not allowed");
  ExpectSmscError("enquire_link = 30", "5:16",
                  "smsc.enquire_link must be a string, not an integer");
}

TEST(ParseConfig, SmscTypes) {
  EXPECT_EQ(ParseSmscOk("types = [\"otp\", \"DEFAULT\"]").smsc[0].types,
            (std::vector<core::RouteType>{core::RouteType::kOtp, core::RouteType::kDefault}));
  EXPECT_TRUE(ParseSmscOk("types = []").smsc[0].types.empty());
  ExpectSmscError("types = [\"OTP\", \"SPAM\"]", "5:17",
                  "smsc.types: unknown route type \"SPAM\" (known: OTP, TXN, TXND, MKT, DEFAULT)");
  ExpectSmscError("types = [\"OTP\", \"otp\"]", "5:17", "smsc.types: \"otp\" is listed twice");
  ExpectSmscError("types = \"OTP\"", "5:9", "smsc.types must be an array of strings, not a string");
  ExpectSmscError("types = [1]", "5:10", "smsc.types entries must be a string, not an integer");
}

TEST(ParseConfig, SmscTypesMustSuitTheRegion) {
  // SG (the default) has OTP and DEFAULT only.
  ExpectSmscError("types = [\"OTP\", \"TXN\"]", "5:17",
                  "smsc.types: TXN is not a route type of region SG (allowed: OTP, DEFAULT)");
  // Without a region key the default (SG) applies.
  ExpectError(std::string(kMinimalSmsc) + "types = [\"MKT\"]\n", "5:10",
              "MKT is not a route type of region SG");
  EXPECT_EQ(ParseOk("region = \"IN\"\n" + std::string(kMinimalSmsc) + "types = [\"MKT\"]\n")
                .smsc[0]
                .types,
            (std::vector<core::RouteType>{core::RouteType::kMkt}));
  ExpectError("region = \"IN\"\n" + std::string(kMinimalSmsc) + "types = [\"DEFAULT\"]\n", "6:10",
              "DEFAULT is not a route type of region IN (allowed: OTP, TXN, TXND, MKT)");
}

TEST(ParseConfig, SmscPrefixes) {
  EXPECT_EQ(ParseSmscOk("prefixes = [\"1\", \"44\", \"123456789012345\"]").smsc[0].prefixes,
            (std::vector<std::string>{"1", "44", "123456789012345"}));
  EXPECT_TRUE(ParseSmscOk("prefixes = []").smsc[0].prefixes.empty());
  ExpectSmscError("prefixes = [\"+91\"]", "5:13",
                  "smsc.prefixes: \"+91\" is not an E.164 prefix (1 to 15 digits, no '+')");
  ExpectSmscError("prefixes = [\"\"]", "5:13", "not an E.164 prefix");
  ExpectSmscError("prefixes = [\"9 1\"]", "5:13", "not an E.164 prefix");
  ExpectSmscError("prefixes = [\"1234567890123456\"]", "5:13", "not an E.164 prefix");
  ExpectSmscError("prefixes = [\"91\", \"91\"]", "5:19", "smsc.prefixes: \"91\" is listed twice");
  ExpectSmscError("prefixes = [91]", "5:13", "smsc.prefixes entries must be a string");
  ExpectSmscError("prefixes = \"91\"", "5:12", "smsc.prefixes must be an array of strings");
}

TEST(ParseConfig, SmscPriority) {
  EXPECT_EQ(ParseSmscOk("priority = 10").smsc[0].priority, 10);
  EXPECT_EQ(ParseSmscOk("priority = -2147483648").smsc[0].priority, -2147483648LL);
  EXPECT_EQ(ParseSmscOk("priority = 2147483647").smsc[0].priority, 2147483647);
  ExpectSmscError("priority = 2147483648", "5:12",
                  "smsc.priority must be between -2147483648 and 2147483647, not 2147483648");
  ExpectSmscError("priority = \"high\"", "5:12", "smsc.priority must be an integer, not a string");
}

// --- [simulator]

TEST(ParseConfig, SimulatorDefaults) {
  Config c = ParseOk("");
  EXPECT_FALSE(c.simulator.enabled.has_value());
  EXPECT_EQ(c.simulator.listen, (Endpoint{"127.0.0.1", 0}));
  EXPECT_EQ(c.simulator.receipt_delay, std::chrono::milliseconds{1000});
}

TEST(ParseConfig, SimulatorEveryKey) {
  Config c = ParseOk(
      "[simulator]\nenabled = true\nlisten = \"127.0.0.1:2775\"\nreceipt_delay = \"250ms\"\n");
  EXPECT_EQ(c.simulator.enabled, true);
  EXPECT_EQ(c.simulator.listen, (Endpoint{"127.0.0.1", 2775}));
  EXPECT_EQ(c.simulator.receipt_delay, std::chrono::milliseconds{250});
  EXPECT_EQ(ParseOk("[simulator]\nreceipt_delay = \"0\"").simulator.receipt_delay,
            std::chrono::milliseconds{0});
  EXPECT_EQ(ParseOk("[simulator]\nreceipt_delay = \"1h\"").simulator.receipt_delay,
            std::chrono::milliseconds{3'600'000});
}

TEST(ParseConfig, SimulatorEnabledFollowsSmscUnlessSet) {
  EXPECT_TRUE(SimulatorEnabled(ParseOk("")));
  EXPECT_FALSE(SimulatorEnabled(ParseOk("[simulator]\nenabled = false")));
  EXPECT_FALSE(SimulatorEnabled(ParseSmscOk("")));
  EXPECT_TRUE(SimulatorEnabled(ParseSmscOk("[simulator]\nenabled = true")));
}

TEST(ParseConfig, SimulatorBadValues) {
  ExpectError("[simulator]\nenabled = \"yes\"\n", "2:11",
              "simulator.enabled must be true or false, not a string");
  ExpectError("[simulator]\nlisten = \"localhost\"\n", "2:10", "simulator.listen: missing port");
  ExpectError("[simulator]\nlisten = 2775\n", "2:10",
              "simulator.listen must be a string, not an integer");
  ExpectError("[simulator]\nreceipt_delay = \"1h1ms\"\n", "2:17",
              "simulator.receipt_delay must be between 0s and 1h, not 1h1ms");
  ExpectError("[simulator]\nreceipt_delay = \"1.5s\"\n", "2:17",
              "simulator.receipt_delay: bad duration \"1.5s\"");
  ExpectError("[simulator]\nreceipt_delay = 1000\n", "2:17",
              "simulator.receipt_delay must be a string, not an integer");
  ExpectError("[simulator]\nport = 1\n", "2:1",
              "unknown key \"port\" in [simulator] (known: enabled, listen, receipt_delay)");
  ExpectError("simulator = true\n", "1:13", "\"simulator\" must be a table");
}

// --- [delivery]

TEST(ParseConfig, DeliveryDefaults) {
  Config c = ParseOk("");
  EXPECT_EQ(c.delivery.validity, seconds{48 * 3600});
  EXPECT_EQ(c.delivery.claim_lease, seconds{60});
  EXPECT_EQ(c.delivery.retry_min, std::chrono::milliseconds{1000});
  EXPECT_EQ(c.delivery.retry_max, std::chrono::milliseconds{300'000});
  EXPECT_EQ(c.delivery.mo_reassembly_timeout, seconds{300});
}

TEST(ParseConfig, DeliveryEveryKey) {
  Config c = ParseOk(
      "[delivery]\nvalidity = \"1d\"\nclaim_lease = \"30s\"\nretry_min = \"500ms\"\n"
      "retry_max = \"10m\"\nmo_reassembly_timeout = \"2m30s\"\n");
  EXPECT_EQ(c.delivery.mo_reassembly_timeout, seconds{150});
  EXPECT_EQ(c.delivery.validity, seconds{86400});
  EXPECT_EQ(c.delivery.claim_lease, seconds{30});
  EXPECT_EQ(c.delivery.retry_min, std::chrono::milliseconds{500});
  EXPECT_EQ(c.delivery.retry_max, std::chrono::milliseconds{600'000});
}

TEST(ParseConfig, DeliveryRanges) {
  EXPECT_EQ(ParseOk("[delivery]\nvalidity = \"1m\"").delivery.validity, seconds{60});
  EXPECT_EQ(ParseOk("[delivery]\nvalidity = \"7d\"").delivery.validity, seconds{7 * 86400});
  EXPECT_EQ(ParseOk("[delivery]\nclaim_lease = \"5s\"").delivery.claim_lease, seconds{5});
  EXPECT_EQ(ParseOk("[delivery]\nclaim_lease = \"1h\"").delivery.claim_lease, seconds{3600});
  EXPECT_EQ(ParseOk("[delivery]\nretry_min = \"100ms\"").delivery.retry_min,
            std::chrono::milliseconds{100});
  EXPECT_EQ(ParseOk("[delivery]\nretry_min = \"1h\"\nretry_max = \"1d\"").delivery.retry_max,
            std::chrono::milliseconds{86'400'000});
  ExpectError("[delivery]\nvalidity = \"59s\"\n", "2:12",
              "delivery.validity must be between 1m and 7d, not 59s");
  ExpectError("[delivery]\nvalidity = \"7d1s\"\n", "2:12", "must be between 1m and 7d, not 7d1s");
  ExpectError("[delivery]\nclaim_lease = \"4s\"\n", "2:15",
              "delivery.claim_lease must be between 5s and 1h, not 4s");
  ExpectError("[delivery]\nclaim_lease = \"2h\"\n", "2:15", "must be between 5s and 1h, not 2h");
  ExpectError("[delivery]\nretry_min = \"99ms\"\n", "2:13",
              "delivery.retry_min must be between 100ms and 1h, not 99ms");
  ExpectError("[delivery]\nretry_max = \"1d1s\"\n", "2:13",
              "delivery.retry_max must be between 100ms and 1d, not 1d1s");
  ExpectError("[delivery]\nvalidity = \"500ms\"\n", "2:12", "milliseconds are not allowed");
  ExpectError("[delivery]\nvalidity = 3600\n", "2:12",
              "delivery.validity must be a string, not an integer");
}

TEST(ParseConfig, DeliveryMoReassemblyTimeoutRange) {
  EXPECT_EQ(ParseOk("[delivery]\nmo_reassembly_timeout = \"10s\"").delivery.mo_reassembly_timeout,
            seconds{10});
  EXPECT_EQ(ParseOk("[delivery]\nmo_reassembly_timeout = \"1d\"").delivery.mo_reassembly_timeout,
            seconds{86400});
  ExpectError("[delivery]\nmo_reassembly_timeout = \"9s\"\n", "2:25",
              "delivery.mo_reassembly_timeout must be between 10s and 1d, not 9s");
  ExpectError("[delivery]\nmo_reassembly_timeout = \"1d1s\"\n", "2:25",
              "delivery.mo_reassembly_timeout must be between 10s and 1d, not 1d1s");
  ExpectError("[delivery]\nmo_reassembly_timeout = \"30s500ms\"\n", "2:25",
              "milliseconds are not allowed");
  ExpectError("[delivery]\nmo_reassembly_timeout = 300\n", "2:25",
              "delivery.mo_reassembly_timeout must be a string, not an integer");
}

TEST(ParseConfig, DeliveryRetryMinNotAboveMax) {
  EXPECT_EQ(ParseOk("[delivery]\nretry_min = \"2s\"\nretry_max = \"2s\"").delivery.retry_max,
            std::chrono::milliseconds{2000});
  ExpectError("[delivery]\nretry_min = \"2s\"\nretry_max = \"1s\"\n", "3:13",
              "delivery.retry_max (1s) must not be less than delivery.retry_min (2s)");
  // Only retry_min given, beyond the default retry_max: the error points at retry_min.
  ExpectError("[delivery]\nretry_min = \"10m\"\n", "2:13",
              "delivery.retry_max (5m) must not be less than delivery.retry_min (10m)");
  ExpectError("[delivery]\nretry_max = \"500ms\"\n", "2:13",
              "delivery.retry_max (500ms) must not be less than delivery.retry_min (1s)");
  ExpectError("[delivery]\nlease = \"1m\"\n", "2:1",
              "unknown key \"lease\" in [delivery] (known: validity, claim_lease, retry_min, "
              "retry_max, mo_reassembly_timeout, receipt_timeout)");
}

TEST(ParseConfig, DeliveryReceiptTimeout) {
  EXPECT_EQ(ParseOk("").delivery.receipt_timeout, std::chrono::hours(72));
  EXPECT_EQ(ParseOk("[delivery]\nreceipt_timeout = \"2s\"").delivery.receipt_timeout, seconds{2});
  ExpectError("[delivery]\nreceipt_timeout = \"31d\"\n", "2:19",
              "delivery.receipt_timeout must be between 1s and 30d, not 31d");
  ExpectError("[delivery]\nreceipt_timeout = \"0s\"\n", "2:19", "delivery.receipt_timeout");
}

// --- [webhooks]

TEST(ParseConfig, WebhooksDefaults) {
  const Config c = ParseOk("");
  EXPECT_TRUE(c.webhooks.enabled);
  EXPECT_EQ(c.webhooks.connect_timeout, std::chrono::milliseconds{5000});
  EXPECT_EQ(c.webhooks.request_timeout, std::chrono::milliseconds{10'000});
  EXPECT_EQ(c.webhooks.per_host_connections, 8);
  EXPECT_EQ(c.webhooks.max_held, 5000);
  EXPECT_EQ(c.webhooks.per_host_held, 1000);
  EXPECT_EQ(c.webhooks.claim_lease, seconds{60});
}

TEST(ParseConfig, WebhooksValues) {
  const Config c = ParseOk(
      "[webhooks]\nenabled = false\nconnect_timeout = \"250ms\"\nrequest_timeout = \"30s\"\n"
      "per_host_connections = 2\nmax_held = 200\nper_host_held = 50\nclaim_lease = \"10s\"\n"
      "tls_ca_file = \"/etc/smsgw/internal-ca.pem\"");
  EXPECT_FALSE(c.webhooks.enabled);
  EXPECT_EQ(c.webhooks.tls_ca_file, "/etc/smsgw/internal-ca.pem");
  EXPECT_EQ(c.webhooks.connect_timeout, std::chrono::milliseconds{250});
  EXPECT_EQ(c.webhooks.request_timeout, std::chrono::milliseconds{30'000});
  EXPECT_EQ(c.webhooks.per_host_connections, 2);
  EXPECT_EQ(c.webhooks.max_held, 200);
  EXPECT_EQ(c.webhooks.per_host_held, 50);
  EXPECT_EQ(c.webhooks.claim_lease, seconds{10});
}

TEST(ParseConfig, WebhooksRanges) {
  ExpectError("[webhooks]\nconnect_timeout = \"50ms\"\n", "2:19",
              "webhooks.connect_timeout must be between 100ms and 1m, not 50ms");
  ExpectError("[webhooks]\nrequest_timeout = \"6m\"\n", "2:19",
              "webhooks.request_timeout must be between 1s and 5m, not 6m");
  ExpectError("[webhooks]\nper_host_connections = 0\n", "2:24", "webhooks.per_host_connections");
  ExpectError("[webhooks]\nmax_held = 5\n", "2:12", "webhooks.max_held");
  ExpectError("[webhooks]\nper_host_held = 300\nmax_held = 200\n", "2:17",
              "webhooks.per_host_held (300) must not be more than webhooks.max_held (200)");
  ExpectError("[webhooks]\nclaim_lease = \"500ms\"\n", "2:15", "milliseconds are not allowed");
  ExpectError("[webhooks]\nenabled = \"yes\"\n", "2:11", "webhooks.enabled must be true or false");
  ExpectError("[webhooks]\nretries = 3\n", "2:1", "unknown key \"retries\" in [webhooks]");
  ExpectError("[webhooks]\ntls_ca_file = \"\"\n", "2:15",
              "webhooks.tls_ca_file must be a file path");
}

TEST(ParseConfig, WebhooksTargets) {
  const Config c = ParseOk(
      "[webhooks]\nallow_targets = [\"127.0.0.1/32\", \"::1\"]\ndeny_targets = [\"10.0.0.0/8\"]\n");
  ASSERT_EQ(c.webhooks.allow_targets.size(), 2u);
  EXPECT_EQ(c.webhooks.allow_targets[0], *core::ParseIpNetwork("127.0.0.1/32"));
  ASSERT_EQ(c.webhooks.deny_targets.size(), 1u);
  EXPECT_EQ(c.webhooks.deny_targets[0].prefix, 104);
  EXPECT_TRUE(ParseOk("").webhooks.allow_targets.empty());
  ExpectError("[webhooks]\nallow_targets = [\"127.0.0.1/33\"]\n", "2:18",
              "webhooks.allow_targets: \"127.0.0.1/33\": the prefix length must be 0 to 32");
  ExpectError("[webhooks]\ndeny_targets = [\"intranet\"]\n", "2:17",
              "webhooks.deny_targets: \"intranet\" is not an IP address or network");
  ExpectError("[webhooks]\ndeny_targets = \"10.0.0.0/8\"\n", "2:16",
              "webhooks.deny_targets must be an array of strings");
}

// --- [opt_out]

TEST(ParseConfig, OptOutWords) {
  const Config defaults = ParseOk("");
  EXPECT_EQ(defaults.opt_out.words.stop, (std::vector<std::string>{"STOP", "UNSUBSCRIBE"}));
  EXPECT_EQ(defaults.opt_out.words.stop_all, std::vector<std::string>{"STOPALL"});
  EXPECT_EQ(defaults.opt_out.words.start, std::vector<std::string>{"START"});
  EXPECT_TRUE(defaults.opt_out.exempt_otp);
  const Config c = ParseOk(
      "[opt_out]\nstop_words = [\"ARRET\", \"STOP\"]\nstop_all_words = []\n"
      "exempt_otp = false\n");
  EXPECT_EQ(c.opt_out.words.stop, (std::vector<std::string>{"ARRET", "STOP"}));
  EXPECT_TRUE(c.opt_out.words.stop_all.empty());
  EXPECT_EQ(c.opt_out.words.start, std::vector<std::string>{"START"}) << "unset keeps its default";
  EXPECT_FALSE(c.opt_out.exempt_otp);
  ExpectError("[opt_out]\nstop_words = [\"STOP NOW\"]\n", "2:15",
              "opt_out.stop_words: \"STOP NOW\" is not a word of 1 to 30 ASCII letters or digits");
  ExpectError("[opt_out]\nexempt_otp = 1\n", "2:14", "opt_out.exempt_otp must be true or false");
}

// --- unknown keys and tables

TEST(ParseConfig, UnknownTopLevelKey) {
  ExpectError(
      "region = \"SG\"\nregoin = \"IN\"\n", "2:1",
      "unknown key \"regoin\" (known: region, server, admin, console, log, store, node, limits, "
      "schedule, text, smsc, simulator, smpp_server, delivery, webhooks, opt_out)");
}

TEST(ParseConfig, UnknownTable) {
  ExpectError("[server]\nlisten = \"127.0.0.1:1\"\n\n[smscs]\nhost = \"x\"\n", "4:2",
              "unknown table [smscs]");
}

TEST(ParseConfig, UnknownKeyInEachTable) {
  ExpectError("[server]\nport = 8080\n", "2:1",
              "unknown key \"port\" in [server] (known: listen, max_connections, "
              "max_connections_per_source, header_timeout, tls_cert, tls_key)");
  ExpectError("[store]\nfile = \"x\"\n", "2:1",
              "unknown key \"file\" in [store] (known: path, url, pool_size, statement_timeout)");
  ExpectError("[limits]\nmax_recipients = 100\n", "2:1",
              "unknown key \"max_recipients\" in [limits] (known: max_body_bytes, "
              "sends_per_second, recipients_per_second)");
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
