// `serve` and the CLI on a PostgreSQL store ([store] url): the same API, delivery and status API
// as on SQLite, one store shared by two processes (the CLI and serve), and what was accepted still
// there after a restart, a kill -9 under load included (crash_test.cpp on SQLite). Each test has a
// schema of its own on the suite's server (tests/postgres, CTest fixture `postgres`).

#include <chrono>
#include <memory>
#include <thread>

#include "fixture.h"
#include "load.h"
#include "postgres/test_schema.h"

namespace smsgw::itest {
namespace {

constexpr char kBody[] = R"({"to":"+919876543210","sender":"ACMEIN","body":"Hello"})";

class PostgresServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SMSGW_TEST_SCHEMA_OR_SKIP(schema_);
    // The url is the store's address and may hold a password: serve must never print it.
    gw_.AddSecret(schema_->uri());
    gw_.set_config(gw_.dir().WriteFile(
        "smsgw.toml", "[store]\nurl = \"" + schema_->uri() +
                          "\"\n[simulator]\nreceipt_delay = \"50ms\"\n[node]\nid = \"pg-node-1\"\n"
                          // A restart after kill -9 watches the dead life's beat for half of this.
                          "bind_lease = \"3s\"\n"));
    account_ = gw_.CreateAccount("acme");  // the CLI, on the same store
    ASSERT_FALSE(HasFailure());
    gw_.Start();
    ASSERT_NE(gw_.port(), 0);
  }

  std::string MessagesPath() const { return "/v1/" + account_.sid + "/messages"; }

  std::unique_ptr<test_postgres::TestSchema> schema_;
  Smsgw gw_;
  Account account_;
};

TEST_F(PostgresServeTest, AMessageIsDeliveredAndStillThereAfterARestart) {
  HttpResponse sent = gw_.Post(MessagesPath(), kBody, account_.api_key);
  ASSERT_EQ(sent.status, 200) << sent.body;
  const std::string id = MessageIds(sent).at(0);
  const StatusEntry e = WaitFinalOne(gw_, account_, id);
  EXPECT_EQ(e.status, "Delivered");
  EXPECT_EQ(e.details, "DELIVRD");

  EXPECT_EQ(gw_.Stop(), 0);
  gw_.Start();
  ASSERT_NE(gw_.port(), 0);
  EXPECT_EQ(WaitFinalOne(gw_, account_, id).status, "Delivered");
}

// The CLI is another process on the store, as another node would be: a key it revokes is refused
// by serve within a second (the store's cache versions, NOTIFY and their poll).
TEST_F(PostgresServeTest, AKeyRevokedByAnotherProcessIsRefusedWithinASecond) {
  const std::string key = gw_.CreateKey(account_.sid);
  ASSERT_FALSE(key.empty());
  ASSERT_EQ(gw_.Post(MessagesPath(), kBody, key).status, 200);  // cached by serve now
  CommandResult r = gw_.Cli({"key", "revoke", "--sid", account_.sid, "--key", key});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto revoked = std::chrono::steady_clock::now();
  int status = 200;
  while (std::chrono::steady_clock::now() - revoked < std::chrono::seconds(1)) {
    status = gw_.Post(MessagesPath(), kBody, key).status;
    if (status == 401) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(status, 401) << "the revoked key still worked a second later";
  EXPECT_EQ(gw_.Post(MessagesPath(), kBody, account_.api_key).status, 200);
}

// The durability promise on PostgreSQL: kill -9 under concurrent load, restart, and every
// acknowledged message is there.
TEST_F(PostgresServeTest, Kill9UnderLoadLosesNothingAcknowledged) {
  const std::vector<std::string> acked = AckedBeforeKill9(gw_, MessagesPath(), account_.api_key);
  ASSERT_FALSE(HasFailure());
  gw_.Start();
  ASSERT_NE(gw_.port(), 0) << "no clean restart";
  ExpectAllFound(gw_, account_, acked);
}

}  // namespace
}  // namespace smsgw::itest
