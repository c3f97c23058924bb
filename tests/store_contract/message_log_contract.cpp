// The MessageLog half of the store contract (see store_contract.h): one message's detail, and an
// account's messages newest first with filters and cursor paging.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "store_contract/store_contract.h"

namespace smsgw::store_contract {
namespace {

using core::MessageState;
using core::RouteType;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

constexpr char kSid[] = "HXIN0000000001IN";
constexpr char kOtherSid[] = "HXSG0000000002SG";

std::string Id(int n) {
  char id[32];
  std::snprintf(id, sizeof id, "req-%02d:1", n);
  return id;
}

std::vector<std::string> Ids(const store::MessagePage& page) {
  std::vector<std::string> ids;
  for (const core::Message& m : page.messages) {
    ids.push_back(m.id);
  }
  return ids;
}

// Every page of `filter` with `limit`, followed to the end; fails the test on an error.
std::vector<std::string> AllPages(store::MessageLog& log, const store::MessageFilter& filter,
                                  size_t limit, size_t* pages = nullptr) {
  std::vector<std::string> ids;
  std::string cursor;
  for (size_t n = 1; n <= 100; ++n) {
    auto page = log.List(kSid, filter, cursor, limit);
    EXPECT_TRUE(page) << page.error().message;
    if (!page) {
      break;
    }
    EXPECT_LE(page->messages.size(), limit);
    for (std::string& id : Ids(*page)) {
      ids.push_back(std::move(id));
    }
    if (page->next_cursor.empty()) {
      if (pages != nullptr) {
        *pages = n;
      }
      break;
    }
    cursor = page->next_cursor;
  }
  return ids;
}

TEST_P(MessageLogContract, ListsNewestFirstAcrossPages) {
  std::vector<core::Message> batch;
  std::vector<std::string> newest_first;
  for (int n = 0; n < 25; ++n) {
    core::Message m = TestMessage(Id(n), kSid);
    m.created_at = TestTime((n / 2) * 1000);  // pairs share a millisecond: ties break by id
    batch.push_back(m);
    core::Message other = TestMessage("other-" + Id(n), kOtherSid);
    other.created_at = m.created_at;
    batch.push_back(other);
    newest_first.insert(newest_first.begin(), Id(n));
  }
  ASSERT_TRUE(messages().Enqueue(batch));

  auto first = message_log().List(kSid, {}, "", 10);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_THAT(Ids(*first), ElementsAreArray(newest_first.begin(), newest_first.begin() + 10));
  EXPECT_FALSE(first->next_cursor.empty());
  EXPECT_EQ(first->messages[0].body, batch[0].body) << "whole messages";

  size_t pages = 0;
  EXPECT_THAT(AllPages(message_log(), {}, 10, &pages), ElementsAreArray(newest_first));
  EXPECT_EQ(pages, 3u);
  EXPECT_THAT(AllPages(message_log(), {}, 1), ElementsAreArray(newest_first));
  EXPECT_THAT(AllPages(message_log(), {}, 25, &pages), ElementsAreArray(newest_first));
  EXPECT_EQ(pages, 1u) << "an exactly full last page says so";
  EXPECT_THAT(AllPages(message_log(), {}, 1000), ElementsAreArray(newest_first));
}

TEST_P(MessageLogContract, AnAccountWithoutMessagesHasOneEmptyPage) {
  auto page = message_log().List(kSid, {}, "", 10);
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_THAT(page->messages, IsEmpty());
  EXPECT_EQ(page->next_cursor, "");
}

// Four messages that differ in every filtered field, and a fifth of another account.
void EnqueueFilterSet(store::MessageStore& messages, store::DeliveryStore& deliveries) {
  auto make = [](int n, std::string recipient, std::string sender, RouteType type, std::string ref,
                 std::string campaign) {
    core::Message m = TestMessage(Id(n), kSid);
    m.recipient = std::move(recipient);
    m.sender = std::move(sender);
    m.type = type;
    m.ref = std::move(ref);
    m.campaign_name = std::move(campaign);
    m.created_at = TestTime(n * 1000);
    return m;
  };
  std::vector<core::Message> batch = {
      make(1, "919800000001", "ACMEIN", RouteType::kOtp, "r1", "c1"),
      make(2, "919800000002", "SHOPIN", RouteType::kMkt, "r2", "c2"),
      make(3, "919800000001", "SHOPIN", RouteType::kTxn, "r1", "c2"),
      make(4, "919800000002", "ACMEIN", RouteType::kOtp, "", "")};
  batch[3].send_at = TestTime(3'600'000);
  batch[3].state = MessageState::kScheduled;
  batch[3].status_details = "SCHEDULED";
  core::Message other = make(5, "919800000001", "ACMEIN", RouteType::kOtp, "r1", "c1");
  other.sid = kOtherSid;
  batch.push_back(other);
  ASSERT_TRUE(messages.Enqueue(batch));
  ASSERT_TRUE(deliveries.Cancel(kSid, Id(2), TestTime(10'000)));
}

TEST_P(MessageLogContract, EveryFilterSelects) {
  ASSERT_NO_FATAL_FAILURE(EnqueueFilterSet(messages(), deliveries()));
  auto list = [&](store::MessageFilter filter) { return AllPages(message_log(), filter, 10); };
  EXPECT_THAT(list({}), ElementsAre(Id(4), Id(3), Id(2), Id(1)));

  store::MessageFilter f;
  f.state = MessageState::kNotSent;
  EXPECT_THAT(list(f), ElementsAre(Id(2)));
  f.state = MessageState::kScheduled;
  EXPECT_THAT(list(f), ElementsAre(Id(4)));
  f.state = MessageState::kDelivered;
  EXPECT_THAT(list(f), IsEmpty());

  f = {};
  f.recipient = "919800000001";
  EXPECT_THAT(list(f), ElementsAre(Id(3), Id(1)));
  f = {};
  f.sender = "ACMEIN";
  EXPECT_THAT(list(f), ElementsAre(Id(4), Id(1)));
  f = {};
  f.type = RouteType::kOtp;
  EXPECT_THAT(list(f), ElementsAre(Id(4), Id(1)));
  f.type = RouteType::kTxnd;
  EXPECT_THAT(list(f), IsEmpty());
  f = {};
  f.ref = "r1";
  EXPECT_THAT(list(f), ElementsAre(Id(3), Id(1)));
  f = {};
  f.campaign_name = "c2";
  EXPECT_THAT(list(f), ElementsAre(Id(3), Id(2)));

  f = {};
  f.created_from = TestTime(2000);
  EXPECT_THAT(list(f), ElementsAre(Id(4), Id(3), Id(2))) << "from is inclusive";
  f = {};
  f.created_to = TestTime(3000);
  EXPECT_THAT(list(f), ElementsAre(Id(2), Id(1))) << "to is exclusive";
  f.created_from = TestTime(2000);
  EXPECT_THAT(list(f), ElementsAre(Id(2)));
  f.created_from = TestTime(3000);
  EXPECT_THAT(list(f), IsEmpty());

  f = {};
  f.recipient = "919800000001";
  f.sender = "SHOPIN";
  EXPECT_THAT(list(f), ElementsAre(Id(3)));
  f.created_to = TestTime(3000);
  EXPECT_THAT(list(f), IsEmpty());
}

TEST_P(MessageLogContract, FilteredPagingReturnsEachMatchOnce) {
  std::vector<core::Message> batch;
  std::vector<std::string> matching;
  for (int n = 0; n < 40; ++n) {
    core::Message m = TestMessage(Id(n), kSid);
    m.created_at = TestTime(n);
    m.campaign_name = n % 3 == 0 ? "spring" : "autumn";
    m.recipient = n % 2 == 0 ? "919800000001" : "919800000002";
    batch.push_back(m);
    if (n % 3 == 0 && n % 2 == 0) {
      matching.insert(matching.begin(), Id(n));
    }
  }
  ASSERT_TRUE(messages().Enqueue(batch));
  store::MessageFilter f;
  f.campaign_name = "spring";
  f.recipient = "919800000001";
  EXPECT_THAT(AllPages(message_log(), f, 2), ElementsAreArray(matching));
  EXPECT_THAT(AllPages(message_log(), f, 3), ElementsAreArray(matching));
}

TEST_P(MessageLogContract, AMalformedCursorOrZeroLimitIsRefused) {
  ASSERT_TRUE(messages().Enqueue(std::vector<core::Message>{TestMessage(Id(1), kSid)}));
  for (const char* cursor : {"abc", "not a cursor", "::::", "-1:req-01:1", "1.5:x",
                             "99999999999999999999999:req-01:1", "\xff\xfe"}) {
    auto page = message_log().List(kSid, {}, cursor, 10);
    ASSERT_FALSE(page) << cursor;
    EXPECT_EQ(page.error().code, core::Errc::kInvalidArgument) << cursor;
  }
  auto zero = message_log().List(kSid, {}, "", 0);
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().code, core::Errc::kInvalidArgument);
}

TEST_P(MessageLogContract, DetailHasPartsAndHistory) {
  core::Message m = TestMessage(Id(1), kSid);
  m.created_at = TestTime(0);
  ASSERT_TRUE(messages().Enqueue(std::vector<core::Message>{m}));
  auto claimed = deliveries().ClaimDue("node-a", TestTime(10), std::chrono::seconds(30), 10);
  ASSERT_TRUE(claimed && claimed->size() == 1u);
  std::vector<store::PartAccepted> parts(2);
  for (int i = 0; i < 2; ++i) {
    parts[i].message_id = Id(1);
    parts[i].part = i + 1;
    parts[i].total_parts = 2;
    parts[i].connector = "smsc-a";
    parts[i].smsc_id = "id" + std::to_string(i + 1);
    parts[i].smsc_id_raw = "ID" + std::to_string(i + 1);
    parts[i].at = TestTime(20 + i);
  }
  ASSERT_TRUE(deliveries().RecordAccepted(parts));
  store::ReceiptRecord receipt;
  receipt.connector = "smsc-a";
  receipt.smsc_id = "id2";
  receipt.state = core::PartState::kUndelivered;
  receipt.stat = "REJECTD";
  receipt.err = "0x0b";
  receipt.at = TestTime(40);
  ASSERT_TRUE(deliveries().ApplyReceipts({&receipt, 1}));

  auto detail = message_log().GetDetail(kSid, Id(1));
  ASSERT_TRUE(detail) << detail.error().message;
  EXPECT_EQ(detail->message.id, Id(1));
  EXPECT_EQ(detail->message.body, m.body);
  EXPECT_EQ(detail->message.state, MessageState::kUndelivered);
  EXPECT_EQ(detail->message.status_details, "REJECTD");
  EXPECT_EQ(detail->attempts, 0);
  EXPECT_EQ(detail->last_error, "");
  EXPECT_EQ(detail->updated_at, TestTime(40));
  ASSERT_EQ(detail->parts.size(), 2u);
  EXPECT_EQ(detail->parts[0].part, 1);
  EXPECT_EQ(detail->parts[0].smsc_id, "ID1");
  EXPECT_EQ(detail->parts[0].state, core::PartState::kSubmitted);
  EXPECT_EQ(detail->parts[0].submitted_at, TestTime(20));
  EXPECT_FALSE(detail->parts[0].done_at.has_value());
  EXPECT_EQ(detail->parts[1].state, core::PartState::kUndelivered);
  EXPECT_EQ(detail->parts[1].stat, "REJECTD");
  EXPECT_EQ(detail->parts[1].err, "0x0b");
  EXPECT_EQ(detail->parts[1].done_at, TestTime(40));
  ASSERT_EQ(detail->history.size(), 2u);
  EXPECT_EQ(detail->history[0].state, MessageState::kSubmitted);
  EXPECT_EQ(detail->history[0].at, TestTime(21));
  EXPECT_EQ(detail->history[1].state, MessageState::kUndelivered);
  EXPECT_EQ(detail->history[1].details, "REJECTD");
  EXPECT_NE(detail->history[0].event_id, detail->history[1].event_id);
}

TEST_P(MessageLogContract, DetailOfAnotherAccountsOrUnknownMessageIsNotFound) {
  ASSERT_TRUE(messages().Enqueue(std::vector<core::Message>{TestMessage(Id(1), kSid)}));
  auto other = message_log().GetDetail(kOtherSid, Id(1));
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, core::Errc::kNotFound);
  auto unknown = message_log().GetDetail(kSid, Id(2));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, core::Errc::kNotFound);
  auto fresh = message_log().GetDetail(kSid, Id(1));
  ASSERT_TRUE(fresh) << fresh.error().message;
  EXPECT_THAT(fresh->parts, IsEmpty());
  EXPECT_THAT(fresh->history, IsEmpty());
}

}  // namespace
}  // namespace smsgw::store_contract
