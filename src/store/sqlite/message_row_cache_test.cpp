#include "store/sqlite/message_row_cache.h"

#include <gtest/gtest.h>

#include <string>

#include "fakes/test_message.h"

namespace smsgw::store::sqlite {
namespace {

MessageRow Row(const std::string& id) { return RowOf(fakes::MakeMessage(id)); }

TEST(MessageRowCache, FindsWhatWasPutAndForgetsWhatWasErased) {
  MessageRowCache cache(4);
  cache.Put(Row("a:1"));
  const MessageRow* found = cache.Find("a:1");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->message.id, "a:1");
  EXPECT_EQ(cache.Find("b:1"), nullptr);
  cache.Erase("a:1");
  EXPECT_EQ(cache.Find("a:1"), nullptr);
  cache.Erase("a:1");  // erasing what is not there is nothing
  EXPECT_EQ(cache.size(), 0u);
}

TEST(MessageRowCache, PastTheCapacityTheOldestGoes) {
  MessageRowCache cache(3);
  for (const char* id : {"a:1", "b:1", "c:1", "d:1"}) {
    cache.Put(Row(id));
  }
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_EQ(cache.Find("a:1"), nullptr);
  EXPECT_NE(cache.Find("d:1"), nullptr);
}

TEST(MessageRowCache, AReplacedEntryKeepsItsNewPlace) {
  MessageRowCache cache(3);
  cache.Put(Row("a:1"));
  cache.Put(Row("b:1"));
  MessageRow newer = Row("a:1");
  newer.callback = "newer";
  cache.Put(newer);  // a:1's first place is now stale
  cache.Put(Row("c:1"));
  // The stale place went first: a:1 stays, with the newer row.
  ASSERT_NE(cache.Find("a:1"), nullptr);
  EXPECT_EQ(cache.Find("a:1")->callback, "newer");
  cache.Put(Row("d:1"));
  EXPECT_EQ(cache.Find("b:1"), nullptr);
  EXPECT_NE(cache.Find("a:1"), nullptr);
  EXPECT_LE(cache.size(), 3u);
}

TEST(MessageRowCache, ErasedEntriesNeverLetItGrowPastTheCapacity) {
  MessageRowCache cache(8);
  for (int i = 0; i < 1000; ++i) {
    cache.Put(Row("m:" + std::to_string(i)));
    if (i % 2 == 0) {
      cache.Erase("m:" + std::to_string(i));
    }
    ASSERT_LE(cache.size(), 8u);
  }
  EXPECT_NE(cache.Find("m:999"), nullptr);
}

TEST(MessageRowCache, ACapacityOfZeroCachesNothing) {
  MessageRowCache cache(0);
  cache.Put(Row("a:1"));
  EXPECT_EQ(cache.Find("a:1"), nullptr);
}

// Only what the table gives back: a row from the cache and one read from the table report the
// same message (the store's tests compare the two through a webhook).
TEST(MessageRowCache, RowOfKeepsTheReportedFieldsOnly) {
  core::Message m = fakes::MakeMessage("a:1");
  m.body = "a body the webhook does not report";
  m.ref = "r";
  m.campaign_name = "spring";
  m.callback_profile_id = "p-1";
  const MessageRow row = RowOf(m);
  EXPECT_EQ(row.message.ref, "r");
  EXPECT_EQ(row.message.campaign_name, "spring");
  EXPECT_EQ(row.callback_profile_id, "p-1");
  EXPECT_TRUE(row.message.body.empty());
  EXPECT_EQ(row.registered_delivery, 0) << "an API send asks for no SMPP receipt";
  m.smpp_system_id = "acme1";
  m.registered_delivery = 1;
  EXPECT_EQ(RowOf(m).registered_delivery, 1);
  EXPECT_EQ(RowOf(m).smpp_system_id, "acme1");
}

}  // namespace
}  // namespace smsgw::store::sqlite
