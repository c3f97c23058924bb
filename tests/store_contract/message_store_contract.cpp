// The MessageStore half of the store contract (see store_contract.h).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "store_contract/store_contract.h"

namespace smsgw::store_contract {
namespace {

using ::testing::UnorderedElementsAre;

constexpr char kSid[] = "HXIN0000000001IN";
constexpr char kOtherSid[] = "HXSG0000000002SG";

// Every field of `got` equals `want`'s (one EXPECT per field, so a failure names the field).
void ExpectSameMessage(const core::Message& got, const core::Message& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.request_id, want.request_id);
  EXPECT_EQ(got.sid, want.sid);
  EXPECT_EQ(got.recipient, want.recipient);
  EXPECT_EQ(got.sender, want.sender);
  EXPECT_EQ(got.body, want.body);
  EXPECT_EQ(got.type, want.type);
  EXPECT_EQ(got.encoding, want.encoding);
  EXPECT_EQ(got.segments, want.segments);
  EXPECT_EQ(got.flash, want.flash);
  EXPECT_EQ(got.unicode, want.unicode);
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.send_at, want.send_at);
  EXPECT_EQ(got.expires_at, want.expires_at);
  EXPECT_EQ(got.template_id, want.template_id);
  EXPECT_EQ(got.template_data, want.template_data);
  EXPECT_EQ(got.entity_id, want.entity_id);
  EXPECT_EQ(got.ref, want.ref);
  EXPECT_EQ(got.ref1, want.ref1);
  EXPECT_EQ(got.ref2, want.ref2);
  EXPECT_EQ(got.ref_custom, want.ref_custom);
  EXPECT_EQ(got.campaign_name, want.campaign_name);
  EXPECT_EQ(got.callback_profile_id, want.callback_profile_id);
  EXPECT_EQ(got.callback, want.callback);
  EXPECT_EQ(got.channel, want.channel);
  EXPECT_EQ(got.source, want.source);
  EXPECT_EQ(got.state, want.state);
  EXPECT_EQ(got.status_details, want.status_details);
}

// A message whose every field differs from its default and from TestMessage's.
core::Message FullMessage(std::string id) {
  core::Message m = TestMessage(std::move(id), kSid);
  m.recipient = "6591234567";
  m.sender = "ACME";
  m.body = "Grüße, नमस्ते, 你好 👋 — \"quotes\" 'and' \\ backslash\nnew line\ttab";
  m.type = core::RouteType::kMkt;
  m.encoding = core::Encoding::kUcs2;
  m.segments = 3;
  m.flash = true;
  m.unicode = "1";
  m.created_at = TestTime(1234);
  m.send_at = TestTime(86'400'000 + 5);
  m.expires_at = TestTime(86'400'000 + 600'005);
  m.template_id = "tmpl-42";
  m.template_data = R"({"name":"Ann","code":"77"})";
  m.entity_id = "1201159000000000042";
  m.ref = "r0";
  m.ref1 = "r1";
  m.ref2 = "r2";
  m.ref_custom = R"(["a","b"])";
  m.campaign_name = "spring sale";
  m.callback_profile_id = "IN_0d4c6f5e-8a11-4c1e-9b6a-1f2e3d4c5b6a";
  m.callback = R"({"url":"https://example.com/cb","method":"POST"})";
  m.channel = "sms";
  m.source = "api";
  m.state = core::MessageState::kScheduled;
  m.status_details = "SCHEDULED";
  return m;
}

TEST_P(MessageStoreContract, EnqueuedMessagesRoundTripEveryField) {
  const core::Message full = FullMessage("req-1:1");
  ASSERT_TRUE(messages().Enqueue({&full, 1}));
  auto got = StoredMessage(message_log(), kSid, full.id);
  ASSERT_TRUE(got) << got.error().message;
  ExpectSameMessage(*got, full);
}

TEST_P(MessageStoreContract, EmptyStringsAndAbsentSendAtRoundTrip) {
  core::Message bare;
  bare.id = "req-2:1";
  bare.sid = kSid;
  bare.created_at = TestTime();
  ASSERT_FALSE(bare.send_at.has_value());
  ASSERT_TRUE(messages().Enqueue({&bare, 1}));
  auto got = StoredMessage(message_log(), kSid, bare.id);
  ASSERT_TRUE(got) << got.error().message;
  ExpectSameMessage(*got, bare);
  EXPECT_FALSE(got->send_at.has_value());
  EXPECT_FALSE(got->expires_at.has_value());
}

TEST_P(MessageStoreContract, LongUnicodeBodyRoundTrips) {
  core::Message m = TestMessage("req-3:1");
  m.body.clear();
  for (int i = 0; i < 500; ++i) {
    m.body += "abc \u00fc \U0001F600 ";  // 8 characters: 1-, 2- and 4-byte UTF-8 sequences
  }
  m.encoding = core::Encoding::kUcs2;
  m.segments = 60;
  ASSERT_TRUE(messages().Enqueue({&m, 1}));
  auto got = StoredMessage(message_log(), kSid, m.id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->body, m.body);

  core::Message ascii = TestMessage("req-3:2");
  ascii.body = std::string(4000, 'x');
  ASSERT_TRUE(messages().Enqueue({&ascii, 1}));
  auto got_ascii = StoredMessage(message_log(), kSid, ascii.id);
  ASSERT_TRUE(got_ascii);
  EXPECT_EQ(got_ascii->body, ascii.body);
}

TEST_P(MessageStoreContract, EveryEnumValueRoundTrips) {
  std::vector<core::Message> batch;
  for (int state = 0; state <= static_cast<int>(core::MessageState::kNotSent); ++state) {
    for (int type = 0; type <= static_cast<int>(core::RouteType::kDefault); ++type) {
      for (int encoding = 0; encoding <= static_cast<int>(core::Encoding::kBinary); ++encoding) {
        core::Message m = TestMessage("enum:" + std::to_string(state) + "-" + std::to_string(type) +
                                      "-" + std::to_string(encoding));
        m.state = static_cast<core::MessageState>(state);
        m.type = static_cast<core::RouteType>(type);
        m.encoding = static_cast<core::Encoding>(encoding);
        batch.push_back(std::move(m));
      }
    }
  }
  ASSERT_TRUE(messages().Enqueue(batch));
  for (const core::Message& want : batch) {
    auto got = StoredMessage(message_log(), kSid, want.id);
    ASSERT_TRUE(got) << want.id << ": " << got.error().message;
    EXPECT_EQ(got->state, want.state) << want.id;
    EXPECT_EQ(got->type, want.type) << want.id;
    EXPECT_EQ(got->encoding, want.encoding) << want.id;
  }
}

TEST_P(MessageStoreContract, EmptyBatchSucceeds) { EXPECT_TRUE(messages().Enqueue({})); }

TEST_P(MessageStoreContract, BatchWithAnExistingIdWritesNothing) {
  const core::Message existing = TestMessage("req-4:1");
  ASSERT_TRUE(messages().Enqueue({&existing, 1}));

  std::vector<core::Message> batch = {TestMessage("req-5:1"), TestMessage("req-4:1"),
                                      TestMessage("req-5:2")};
  batch[1].body = "a different body";
  auto enqueued = messages().Enqueue(batch);
  ASSERT_FALSE(enqueued);
  EXPECT_EQ(enqueued.error().code, core::Errc::kConflict) << enqueued.error().message;

  for (const char* id : {"req-5:1", "req-5:2"}) {
    auto got = StoredMessage(message_log(), kSid, id);
    ASSERT_FALSE(got) << id << " was written by a failed batch";
    EXPECT_EQ(got.error().code, core::Errc::kNotFound);
  }
  auto kept = StoredMessage(message_log(), kSid, "req-4:1");
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->body, existing.body);
}

store::IdempotencyRecord Key(std::string sid, std::string key, int64_t at_ms,
                             std::string fingerprint = "f1") {
  return store::IdempotencyRecord{std::move(sid), std::move(key), std::move(fingerprint),
                                  R"({"id":"req"})", TestTime(at_ms)};
}

TEST_P(MessageStoreContract, IdempotencyKeysAreStoredWithTheirMessages) {
  const core::Message m = TestMessage("req-7:1");
  const store::IdempotencyRecord key = Key(kSid, "order-7", 1000);
  ASSERT_TRUE(messages().Enqueue({&m, 1}, {&key, 1}));
  auto found = messages().FindIdempotencyKey(kSid, "order-7", TestTime(0));
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->fingerprint, "f1");
  EXPECT_EQ((*found)->response, R"({"id":"req"})");
  EXPECT_EQ((*found)->created_at, TestTime(1000));
  // Per account, and only within `not_before`.
  EXPECT_FALSE(*messages().FindIdempotencyKey(kOtherSid, "order-7", TestTime(0)));
  EXPECT_FALSE(*messages().FindIdempotencyKey(kSid, "order-7", TestTime(1001)));
  EXPECT_FALSE(*messages().FindIdempotencyKey(kSid, "order-8", TestTime(0)));
}

// A retry that races the first request (or follows it within the window) writes nothing at all.
TEST_P(MessageStoreContract, ATakenIdempotencyKeyWritesNothing) {
  const core::Message first = TestMessage("req-8:1");
  const store::IdempotencyRecord key = Key(kSid, "order-8", 1000);
  ASSERT_TRUE(messages().Enqueue({&first, 1}, {&key, 1}));
  const core::Message retry = TestMessage("req-9:1");
  const store::IdempotencyRecord again = Key(kSid, "order-8", 5000, "f2");
  auto enqueued = messages().Enqueue({&retry, 1}, {&again, 1});
  ASSERT_FALSE(enqueued);
  EXPECT_EQ(enqueued.error().code, core::Errc::kConflict) << enqueued.error().message;
  EXPECT_FALSE(StoredMessage(message_log(), kSid, "req-9:1"));
  EXPECT_EQ((**messages().FindIdempotencyKey(kSid, "order-8", TestTime(0))).fingerprint, "f1");
  // Another account's key of the same name is its own.
  const store::IdempotencyRecord other = Key(kOtherSid, "order-8", 5000);
  EXPECT_TRUE(messages().Enqueue({}, {&other, 1}));
}

// Two processes taking one key at the same moment (a client retrying on another node before its
// first answer came back): exactly one request is stored, the other is kConflict and writes
// nothing. A store that reads the key and then writes it, without the two being one step, fails.
TEST_P(MessageStoreContract, TwoInstancesRacingForOneKeyStoreOneRequest) {
  auto other = OpenAnother();
  ASSERT_NE(other, nullptr);
  store::MessageStore* const stores[2] = {&messages(), &other->messages()};
  for (int round = 0; round < 20; ++round) {
    const std::string key = "race-" + std::to_string(round);
    core::Result<void> results[2];
    std::latch start(2);
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i) {
      threads.emplace_back([&, i] {
        const core::Message m =
            TestMessage("r" + std::to_string(round) + "i" + std::to_string(i) + ":1");
        const store::IdempotencyRecord k = Key(kSid, key, 1000 + round, "f" + std::to_string(i));
        start.arrive_and_wait();
        results[i] = stores[i]->Enqueue({&m, 1}, {&k, 1});
      });
    }
    for (std::thread& thread : threads) {
      thread.join();
    }
    ASSERT_NE(results[0].has_value(), results[1].has_value()) << "round " << round;
    const int winner = results[0] ? 0 : 1;
    EXPECT_EQ(results[1 - winner].error().code, core::Errc::kConflict)
        << results[1 - winner].error().message;
    const std::string prefix = "r" + std::to_string(round) + "i";
    EXPECT_TRUE(StoredMessage(message_log(), kSid, prefix + std::to_string(winner) + ":1"));
    EXPECT_FALSE(StoredMessage(message_log(), kSid, prefix + std::to_string(1 - winner) + ":1"));
    EXPECT_EQ((**messages().FindIdempotencyKey(kSid, key, TestTime(0))).fingerprint,
              "f" + std::to_string(winner));
  }
}

TEST_P(MessageStoreContract, AnExpiredIdempotencyKeyIsReplaced) {
  const store::IdempotencyRecord old_key = Key(kSid, "order-9", 1000, "old");
  ASSERT_TRUE(messages().Enqueue({}, {&old_key, 1}));
  const int64_t day = 24 * 3600 * 1000;
  const store::IdempotencyRecord new_key = Key(kSid, "order-9", 1000 + day + 1, "new");
  const core::Message m = TestMessage("req-10:1");
  ASSERT_TRUE(messages().Enqueue({&m, 1}, {&new_key, 1}));
  EXPECT_EQ((**messages().FindIdempotencyKey(kSid, "order-9", TestTime(0))).fingerprint, "new");
  EXPECT_TRUE(StoredMessage(message_log(), kSid, "req-10:1"));
}

TEST_P(MessageStoreContract, BatchRepeatingAnIdWritesNothing) {
  const std::vector<core::Message> batch = {TestMessage("req-6:1"), TestMessage("req-6:2"),
                                            TestMessage("req-6:1")};
  auto enqueued = messages().Enqueue(batch);
  ASSERT_FALSE(enqueued);
  EXPECT_EQ(enqueued.error().code, core::Errc::kConflict);
  EXPECT_FALSE(StoredMessage(message_log(), kSid, "req-6:1"));
  EXPECT_FALSE(StoredMessage(message_log(), kSid, "req-6:2"));
  // The failed batch left the store usable.
  ASSERT_TRUE(messages().Enqueue({&batch[0], 2}));
  EXPECT_TRUE(StoredMessage(message_log(), kSid, "req-6:2"));
}

TEST_P(MessageStoreContract, StoredMessagesAreScopedToTheAccount) {
  const core::Message m = TestMessage("req-7:1", kSid);
  ASSERT_TRUE(messages().Enqueue({&m, 1}));
  auto other = StoredMessage(message_log(), kOtherSid, m.id);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, core::Errc::kNotFound);
  auto unknown = StoredMessage(message_log(), kSid, "req-7:2");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, core::Errc::kNotFound);
}

TEST_P(MessageStoreContract, GetStatusesReturnsOnlyTheAccountsKnownIds) {
  std::vector<core::Message> batch = {TestMessage("req-8:1", kSid), TestMessage("req-8:2", kSid),
                                      TestMessage("req-9:1", kOtherSid)};
  batch[1].state = core::MessageState::kNotSent;
  batch[1].status_details = "INVALID_NUMBER";
  ASSERT_TRUE(messages().Enqueue(batch));

  const std::vector<std::string> ids = {"req-8:2", "req-9:1", "req-8:1", "no-such:1", "req-8:2"};
  auto statuses = messages().GetStatuses(kSid, ids);
  ASSERT_TRUE(statuses) << statuses.error().message;
  std::vector<std::string> got;
  for (const store::StatusRecord& r : *statuses) {
    got.push_back(r.id + " " + std::to_string(static_cast<int>(r.state)) + " " + r.status_details);
  }
  EXPECT_THAT(got, UnorderedElementsAre("req-8:1 0 QUEUED", "req-8:2 6 INVALID_NUMBER"));

  auto other = messages().GetStatuses(kOtherSid, ids);
  ASSERT_TRUE(other);
  ASSERT_EQ(other->size(), 1u);
  EXPECT_EQ(other->front().id, "req-9:1");

  auto none = messages().GetStatuses(kSid, {});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST_P(MessageStoreContract, GetStatusesTakesAHundredIds) {
  std::vector<core::Message> batch;
  std::vector<std::string> ids;
  for (int i = 1; i <= 100; ++i) {
    batch.push_back(TestMessage("req-10:" + std::to_string(i)));
    ids.push_back(batch.back().id);
  }
  ASSERT_TRUE(messages().Enqueue(batch));
  auto statuses = messages().GetStatuses(kSid, ids);
  ASSERT_TRUE(statuses);
  EXPECT_EQ(statuses->size(), 100u);
}

TEST_P(MessageStoreContract, CommittedMessagesSurviveReopen) {
  const core::Message full = FullMessage("req-11:1");
  ASSERT_TRUE(messages().Enqueue({&full, 1}));
  ASSERT_NO_FATAL_FAILURE(Reopen());
  auto got = StoredMessage(message_log(), kSid, full.id);
  ASSERT_TRUE(got) << got.error().message;
  ExpectSameMessage(*got, full);
}

TEST_P(MessageStoreContract, AnotherInstanceSeesCommittedMessages) {
  auto second = OpenAnother();
  ASSERT_NE(second, nullptr);
  const core::Message m = TestMessage("req-12:1");
  ASSERT_TRUE(messages().Enqueue({&m, 1}));
  auto got = StoredMessage(second->message_log(), kSid, m.id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->body, m.body);
  // And writes from the other instance are seen here, with no conflict between the two writers.
  const core::Message n = TestMessage("req-12:2");
  ASSERT_TRUE(second->messages().Enqueue({&n, 1}));
  EXPECT_TRUE(StoredMessage(message_log(), kSid, n.id));
}

TEST_P(MessageStoreContract, ConcurrentEnqueuesFromManyThreadsAreAllStored) {
  constexpr int kThreads = 6;
  constexpr int kBatchesPerThread = 20;
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int b = 0; b < kBatchesPerThread; ++b) {
        const std::string request = "t" + std::to_string(t) + "b" + std::to_string(b);
        const std::vector<core::Message> batch = {TestMessage(request + ":1"),
                                                  TestMessage(request + ":2")};
        if (!messages().Enqueue(batch)) {
          ++failures[t];
        }
        // Reads interleave with other threads' writes.
        if (!StoredMessage(message_log(), kSid, request + ":2")) {
          ++failures[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(failures[t], 0) << "thread " << t;
  }
  std::vector<std::string> ids;
  for (int t = 0; t < kThreads; ++t) {
    for (int b = 0; b < kBatchesPerThread; ++b) {
      ids.push_back("t" + std::to_string(t) + "b" + std::to_string(b) + ":1");
    }
  }
  auto statuses = messages().GetStatuses(kSid, ids);
  ASSERT_TRUE(statuses);
  EXPECT_EQ(statuses->size(), ids.size());
}

}  // namespace
}  // namespace smsgw::store_contract
