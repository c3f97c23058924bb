// What PostgresStore does beyond the store contract (tests/store_contract): how other nodes learn
// of cache changes, lost connections, and migrations run by nodes starting together. Each test has
// a schema of its own on the suite's server (tests/postgres).

#include "store/postgres/postgres_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "postgres/test_schema.h"
#include "store/postgres/migrations.h"

namespace smsgw::store::postgres {
namespace {

using std::chrono::milliseconds;

constexpr const char* kSid = "HXIN0000000001IN";

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { SMSGW_TEST_SCHEMA_OR_SKIP(schema_); }

  std::unique_ptr<PostgresStore> Open(milliseconds version_poll = milliseconds(500)) {
    PostgresStore::Options options;
    options.conninfo = schema_->uri();
    options.pool_size = 2;
    options.version_poll = version_poll;
    auto store = PostgresStore::Open(options);
    EXPECT_TRUE(store) << store.error().message;
    return store ? std::move(*store) : nullptr;
  }

  // How long `condition` took to hold, or nullopt after `within`.
  static std::optional<milliseconds> TimeUntil(const std::function<bool()>& condition,
                                               milliseconds within) {
    const auto start = std::chrono::steady_clock::now();
    while (!condition()) {
      if (std::chrono::steady_clock::now() - start > within) {
        return std::nullopt;
      }
      std::this_thread::sleep_for(milliseconds(2));
    }
    return std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start);
  }

  std::unique_ptr<test_postgres::TestSchema> schema_;
};

TEST_F(PostgresStoreTest, AKeyChangeReachesAnotherNodeByNotificationLongBeforeThePoll) {
  auto a = Open(std::chrono::minutes(10));
  auto b = Open(std::chrono::minutes(10));
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(a->accounts().CreateAccount(Account{kSid, "acme", core::FromUnixMillis(0), 0}));
  const uint64_t before = b->accounts().KeysVersion();
  ASSERT_TRUE(a->accounts().AddKey(kSid, std::string(64, 'a'), core::FromUnixMillis(0)));
  EXPECT_NE(a->accounts().KeysVersion(), before) << "the node that made the change sees it at once";
  auto took = TimeUntil([&] { return b->accounts().KeysVersion() == a->accounts().KeysVersion(); },
                        milliseconds(1000));
  ASSERT_TRUE(took) << "no notification within 1 s (the poll is 10 min)";
  EXPECT_EQ(b->templates().TemplatesVersion(), a->templates().TemplatesVersion())
      << "only the keys version moved";
}

TEST_F(PostgresStoreTest, WithoutANotificationThePollFindsTheChange) {
  auto store = Open(milliseconds(100));
  ASSERT_TRUE(store);
  const uint64_t before = store->templates().TemplatesVersion();
  // A change written by SQL alone, with no NOTIFY: as on an engine without LISTEN.
  ASSERT_EQ(schema_->Run("UPDATE cache_versions SET version = version + 1 WHERE name = 'registry'"),
            std::nullopt);
  EXPECT_TRUE(TimeUntil([&] { return store->templates().TemplatesVersion() == before + 1; },
                        milliseconds(1000)));
  EXPECT_EQ(store->senders().SendersVersion(), store->templates().TemplatesVersion())
      << "one registry version";
}

TEST_F(PostgresStoreTest, ConnectionsClosedByTheServerAreReplaced) {
  auto store = Open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->accounts().CreateAccount(Account{kSid, "acme", core::FromUnixMillis(0), 0}));
  ASSERT_TRUE(store->accounts().ListAccounts());  // the pool now holds an idle connection
  // What a server restart or an idle timeout does to the pool's connections (and the listener's).
  ASSERT_EQ(schema_->Run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                         "application_name = '" +
                         schema_->name() + "' AND pid <> pg_backend_pid()"),
            std::nullopt);
  auto listed = store->accounts().ListAccounts();
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(listed->size(), 1u);
  auto added = store->accounts().AddKey(kSid, std::string(64, 'b'), core::FromUnixMillis(0));
  EXPECT_TRUE(added) << added.error().message;
  // The listener reconnects too: a change from another node still arrives.
  auto other = Open();
  ASSERT_TRUE(other);
  ASSERT_TRUE(other->accounts().SetSmartEncoding(kSid, true));
  EXPECT_TRUE(
      TimeUntil([&] { return store->accounts().KeysVersion() == other->accounts().KeysVersion(); },
                milliseconds(1500)));
}

TEST_F(PostgresStoreTest, NodesStartingTogetherApplyTheMigrationsOnce) {
  std::vector<std::unique_ptr<PostgresStore>> stores(4);
  std::vector<std::thread> threads;
  for (auto& store : stores) {
    threads.emplace_back([&] { store = Open(); });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  for (const auto& store : stores) {
    EXPECT_NE(store, nullptr);
  }
  ASSERT_EQ(schema_->Run("DO $$ BEGIN IF (SELECT count(*) FROM schema_migrations) <> " +
                         std::to_string(LatestSchemaVersion()) +
                         " THEN RAISE 'migrations recorded more than once'; END IF; END $$"),
            std::nullopt);
}

TEST_F(PostgresStoreTest, ASchemaFromANewerSmsgwIsRefusedUntouched) {
  ASSERT_TRUE(Open());
  ASSERT_EQ(schema_->Run("INSERT INTO schema_migrations VALUES (" +
                         std::to_string(LatestSchemaVersion() + 1) + ", 0)"),
            std::nullopt);
  PostgresStore::Options options;
  options.conninfo = schema_->uri();
  auto refused = PostgresStore::Open(options);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::Errc::kInvalidArgument);
  EXPECT_NE(refused.error().message.find("newer"), std::string::npos) << refused.error().message;
}

TEST_F(PostgresStoreTest, NodesSwitchingOneAccountsDefaultProfileAtOnceLeaveExactlyOne) {
  auto a = Open();
  auto b = Open();
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(a->accounts().CreateAccount(Account{kSid, "acme", core::FromUnixMillis(0), 0}));
  constexpr int kRounds = 100;
  auto profile = [](int node, int round) {
    CallbackProfile p;
    p.id = "IN_" + std::to_string(node) + "_" + std::to_string(1000 + round);
    p.sid = kSid;
    p.url = "https://hooks.example.com/sms";
    p.method = "POST";
    p.is_default = true;
    p.created_at = p.updated_at = core::FromUnixMillis(round);
    return p;
  };
  // Each node makes a new default every round and, every other round, its previous profile the
  // default again: creates and updates both switch the default while the other node does.
  std::atomic<int> ready{0};
  std::vector<std::string> failures[2];
  auto run = [&](int node, CallbackProfileStore& profiles) {
    ready.fetch_add(1);
    while (ready.load() < 2) {
      std::this_thread::yield();  // both start at once, for as much overlap as can be had
    }
    for (int round = 0; round < kRounds; ++round) {
      if (auto created = profiles.CreateCallbackProfile(profile(node, round)); !created) {
        failures[node].push_back("create: " + created.error().message);
      }
      if (round % 2 == 1) {
        if (auto updated = profiles.UpdateCallbackProfile(profile(node, round - 1)); !updated) {
          failures[node].push_back("update: " + updated.error().message);
        }
      }
    }
  };
  std::thread first(run, 0, std::ref(a->callback_profiles()));
  std::thread second(run, 1, std::ref(b->callback_profiles()));
  first.join();
  second.join();
  for (const auto& node : failures) {
    EXPECT_TRUE(node.empty()) << node.size() << " calls failed, the first: " << node.front();
  }
  auto all = a->callback_profiles().ListCallbackProfiles(kSid);
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(all->size(), 2u * kRounds);
  int defaults = 0;
  for (const CallbackProfile& p : *all) {
    defaults += p.is_default ? 1 : 0;
  }
  EXPECT_EQ(defaults, 1);
}

TEST_F(PostgresStoreTest, NodesEnqueuingAgainstOneCapAtOnceNeverExceedIt) {
  auto a = Open();
  auto b = Open();
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(a->accounts().CreateAccount(Account{kSid, "acme", core::FromUnixMillis(0), 0}));
  constexpr int64_t kCap = 25;
  ASSERT_TRUE(a->country_caps().SetCountryCap(CountryCap{kSid, "IN", kCap, std::nullopt}));
  // Four threads a node, each sending one message at a time: with two connections a node, both
  // nodes always have a transaction counting against the same usage rows.
  constexpr int kThreads = 4;
  constexpr int kSends = 15;
  const core::TimePoint at = core::FromUnixMillis(1'700'000'000'000);
  auto message = [&](int thread, int n) {
    core::Message m;
    m.request_id = "r" + std::to_string(thread) + "_" + std::to_string(n);
    m.id = m.request_id + ":1";
    m.sid = kSid;
    m.recipient = "919876543210";
    m.sender = "ACMEIN";
    m.body = "Your code is 123456";
    m.type = core::RouteType::kOtp;
    m.unicode = "AUTO";
    m.created_at = at + milliseconds(n);
    m.state = core::MessageState::kQueued;
    m.status_details = "QUEUED";
    return m;
  };
  std::atomic<int> ready{0};
  std::vector<std::string> failures[2 * kThreads];
  auto run = [&](int thread, MessageStore& messages) {
    ready.fetch_add(1);
    while (ready.load() < 2 * kThreads) {
      std::this_thread::yield();
    }
    for (int n = 0; n < kSends; ++n) {
      const core::Message m = message(thread, n);
      if (auto enqueued = messages.Enqueue({&m, 1}); !enqueued) {
        failures[thread].push_back(enqueued.error().message);
      }
    }
  };
  std::vector<std::thread> threads;
  std::vector<std::string> ids;
  for (int thread = 0; thread < 2 * kThreads; ++thread) {
    threads.emplace_back(run, thread, std::ref(thread % 2 == 0 ? a->messages() : b->messages()));
    for (int n = 0; n < kSends; ++n) {
      ids.push_back(message(thread, n).id);
    }
  }
  for (auto& thread : threads) {
    thread.join();
  }
  for (const auto& thread : failures) {
    EXPECT_TRUE(thread.empty()) << thread.size() << " sends failed, the first: " << thread.front();
  }
  auto statuses = b->messages().GetStatuses(kSid, ids);
  ASSERT_TRUE(statuses) << statuses.error().message;
  ASSERT_EQ(statuses->size(), ids.size());
  int64_t queued = 0, capped = 0;
  for (const StatusRecord& s : *statuses) {
    if (s.state == core::MessageState::kQueued) {
      ++queued;
    } else if (s.state == core::MessageState::kNotSent && s.status_details == kDailyCapDetails) {
      ++capped;
    } else {
      ADD_FAILURE() << s.id << " is " << static_cast<int>(s.state) << " " << s.status_details;
    }
  }
  EXPECT_EQ(queued, kCap);
  EXPECT_EQ(capped, static_cast<int64_t>(ids.size()) - kCap);
  auto listed = b->country_caps().ListCountryCaps(kSid, at);
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->at(0).today, kCap);
  EXPECT_EQ(listed->at(0).this_month, kCap);
}

TEST_F(PostgresStoreTest, AFilteredListPageStopsAfterABoundedScan) {
  auto store = Open();
  ASSERT_TRUE(store);
  // The only match is the oldest message, behind more rows than one page may read.
  const size_t total = MessageLogReader::kMaxListScan + 50;
  std::vector<core::Message> batch;
  for (size_t n = 0; n < total; ++n) {
    core::Message m;
    m.request_id = "req-" + std::to_string(n);
    m.id = m.request_id + ":1";
    m.sid = kSid;
    m.recipient = "919876543210";
    m.sender = "ACMEIN";
    m.body = "hello";
    m.unicode = "AUTO";
    m.created_at = core::FromUnixMillis(1'700'000'000'000 + static_cast<int64_t>(n));
    m.status_details = "QUEUED";
    m.campaign_name = n == 0 ? "rare" : "common";
    batch.push_back(std::move(m));
  }
  ASSERT_TRUE(store->messages().Enqueue(batch));
  MessageFilter filter;
  filter.campaign_name = "rare";
  auto first = store->message_log().List(kSid, filter, "", 10);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(first->messages.empty());
  ASSERT_FALSE(first->next_cursor.empty()) << "more rows remain to be read";
  auto second = store->message_log().List(kSid, filter, first->next_cursor, 10);
  ASSERT_TRUE(second) << second.error().message;
  ASSERT_EQ(second->messages.size(), 1u);
  EXPECT_EQ(second->messages[0].id, "req-0:1");
  EXPECT_EQ(second->next_cursor, "");
}

TEST_F(PostgresStoreTest, ListTextTheServerWouldRefuseIsCaughtFirst) {
  auto store = Open();
  ASSERT_TRUE(store);
  // Past the digits a cursor is an id: one that is not UTF-8, or holds a NUL, is no cursor.
  for (const std::string& cursor : {std::string("5:\xff"), std::string("5:a\0b", 5),
                                    std::string("5:\xed\xa0\x80"), std::string("5:\xc0\xaf")}) {
    auto page = store->message_log().List(kSid, {}, cursor, 10);
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().code, core::Errc::kInvalidArgument);
  }
  MessageFilter filter;
  filter.sender = "\xff";
  auto page = store->message_log().List(kSid, filter, "", 10);
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_TRUE(page->messages.empty());
  auto detail = store->message_log().GetDetail(kSid, "\xff");
  ASSERT_FALSE(detail);
  EXPECT_EQ(detail.error().code, core::Errc::kNotFound);
}

// A receipt row written on one node wakes the account's sessions on another within about the
// poll (SmppOutboxVersion), not only at their own, slower, poll of the outbox.
TEST_F(PostgresStoreTest, AnotherNodesSmppOutboxRowMovesTheVersionWithinThePoll) {
  auto a = Open(milliseconds(100));
  auto b = Open(milliseconds(100));
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(a->accounts().CreateAccount(Account{kSid, "acme", core::FromUnixMillis(0), 0}));
  core::Message m;
  m.request_id = "r1";
  m.id = "r1:1";
  m.sid = kSid;
  m.recipient = "919876543210";
  m.sender = "ACMEIN";
  m.body = "Your code is 123456";
  m.type = core::RouteType::kOtp;
  m.unicode = "AUTO";
  m.channel = "smpp";
  m.smpp_system_id = "acme1";
  m.registered_delivery = 0x01;
  m.created_at = core::FromUnixMillis(1'700'000'000'000);
  m.state = core::MessageState::kQueued;
  m.status_details = "QUEUED";
  ASSERT_TRUE(a->messages().Enqueue(std::vector<core::Message>{m}));
  std::this_thread::sleep_for(milliseconds(300));  // b's first look (the last id) is done
  const uint64_t before = b->smpp_outbox().SmppOutboxVersion(kSid);
  ASSERT_TRUE(a->deliveries().Cancel(kSid, m.id, m.created_at));
  EXPECT_TRUE(TimeUntil([&] { return b->smpp_outbox().SmppOutboxVersion(kSid) != before; },
                        milliseconds(1000)));
}

TEST_F(PostgresStoreTest, AnUnreachableServerIsUnavailable) {
  PostgresStore::Options options;
  options.conninfo = "postgresql:///smsgw?host=/nonexistent&connect_timeout=2";
  auto refused = PostgresStore::Open(options);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::Errc::kUnavailable);
}

}  // namespace
}  // namespace smsgw::store::postgres
