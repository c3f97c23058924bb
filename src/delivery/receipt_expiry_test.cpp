// ReceiptExpiry over a real SQLite store and a manual clock: a part without a receipt ends
// UnDelivered / NO-RECEIPT once the timeout has passed, and not before.

#include "delivery/receipt_expiry.h"

#include <gtest/gtest.h>

#include "fakes/manual_clock.h"
#include "fakes/temp_dir.h"
#include "fakes/test_message.h"
#include "store/sqlite/sqlite_store.h"

namespace smsgw::delivery {
namespace {

using namespace std::chrono_literals;

// Stores message `id` created at the clock's now, claims it and records its one part accepted
// by the SMSC: a part that waits for its receipt.
void SubmitWaitingForReceipt(store::sqlite::SqliteStore& store, const fakes::ManualClock& clock,
                             const std::string& id) {
  core::Message m = fakes::MakeMessage(id);
  m.created_at = clock.Now();
  ASSERT_TRUE(store.Enqueue({&m, 1}));
  ASSERT_TRUE(store.ClaimDue("node", clock.Now(), 60s, 10));
  store::PartAccepted part;
  part.message_id = id;
  part.connector = "c";
  part.smsc_id = part.smsc_id_raw = "smsc-" + id;
  part.at = clock.Now();
  ASSERT_TRUE(store.RecordAccepted({&part, 1}));
}

TEST(ReceiptExpiry, EndsPartsOnlyAfterTheTimeout) {
  fakes::TempDir dir;
  auto opened = store::sqlite::SqliteStore::Open(dir.File("smsgw.db"));
  ASSERT_TRUE(opened) << opened.error().message;
  store::sqlite::SqliteStore& store = **opened;
  fakes::ManualClock clock;
  ASSERT_NO_FATAL_FAILURE(SubmitWaitingForReceipt(store, clock, "req:1"));

  ReceiptExpiry expiry(store, clock, {std::chrono::hours(72), 1s, 10});
  clock.Advance(std::chrono::hours(71));
  auto early = expiry.RunOnce();
  ASSERT_TRUE(early) << early.error().message;
  EXPECT_EQ(*early, 0u);
  EXPECT_EQ(store.GetDetail(fakes::kTestSid, "req:1")->message.status_details, "SUBMITTED");
  clock.Advance(std::chrono::hours(1) + 1ms);
  EXPECT_EQ(*expiry.RunOnce(), 1u);
  auto ended = store.GetDetail(fakes::kTestSid, "req:1");
  ASSERT_TRUE(ended) << ended.error().message;
  EXPECT_EQ(ended->message.state, core::MessageState::kUndelivered);
  EXPECT_EQ(ended->message.status_details, "NO-RECEIPT");
  EXPECT_EQ(expiry.expired(), 1u);
}

// The loop thread runs the same step on its interval and stops promptly.
TEST(ReceiptExpiry, TheLoopEndsWhatIsDueAndStops) {
  fakes::TempDir dir;
  auto opened = store::sqlite::SqliteStore::Open(dir.File("smsgw.db"));
  ASSERT_TRUE(opened);
  store::sqlite::SqliteStore& store = **opened;
  fakes::ManualClock clock;
  ASSERT_NO_FATAL_FAILURE(SubmitWaitingForReceipt(store, clock, "req:2"));
  clock.Advance(2s);
  ReceiptExpiry expiry(store, clock, {1s, 10ms, 10});
  expiry.Start();
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (expiry.expired() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  expiry.Stop();
  EXPECT_EQ(expiry.expired(), 1u);
}

}  // namespace
}  // namespace smsgw::delivery
