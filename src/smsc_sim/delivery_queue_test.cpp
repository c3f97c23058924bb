#include "smsc_sim/delivery_queue.h"

#include <gtest/gtest.h>

namespace smsgw::smsc_sim {
namespace {

QueuedDeliver Item(std::string id) { return QueuedDeliver{{}, std::move(id)}; }

std::vector<std::string> Ids(const std::deque<QueuedDeliver>& items) {
  std::vector<std::string> ids;
  for (const auto& item : items) {
    ids.push_back(item.message_id);
  }
  return ids;
}

TEST(DeliveryQueue, KeepsEachSystemIdApartOldestFirst) {
  DeliveryQueue queue(10);
  queue.Push("a", Item("1"));
  queue.Push("b", Item("2"));
  queue.Push("a", Item("3"));
  EXPECT_EQ(queue.size(), 3u);
  EXPECT_EQ(queue.size("a"), 2u);
  EXPECT_EQ(Ids(queue.Take("a")), (std::vector<std::string>{"1", "3"}));
  EXPECT_EQ(queue.size(), 1u);
  EXPECT_TRUE(queue.Take("a").empty());
  EXPECT_EQ(Ids(queue.Take("b")), (std::vector<std::string>{"2"}));
  EXPECT_EQ(queue.size(), 0u);
}

TEST(DeliveryQueue, DropsTheOldestBeyondItsBound) {
  DeliveryQueue queue(2);
  EXPECT_EQ(queue.Push("a", Item("1")), 0u);
  EXPECT_EQ(queue.Push("a", Item("2")), 0u);
  EXPECT_EQ(queue.Push("a", Item("3")), 1u);
  EXPECT_EQ(queue.Push("b", Item("4")), 0u);  // the bound is per system_id
  EXPECT_EQ(queue.size(), 3u);
  EXPECT_EQ(Ids(queue.Take("a")), (std::vector<std::string>{"2", "3"}));
}

}  // namespace
}  // namespace smsgw::smsc_sim
