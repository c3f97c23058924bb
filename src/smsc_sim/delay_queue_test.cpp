#include "smsc_sim/delay_queue.h"

#include <gtest/gtest.h>

#include <vector>

namespace smsgw::smsc_sim {
namespace {

using namespace std::chrono_literals;

TEST(DelayQueue, RunsInTimeOrderThenInsertionOrder) {
  smpp::asio::io_context io;
  DelayQueue queue(io.get_executor());
  std::vector<int> ran;
  const auto now = DelayQueue::Clock::now();
  queue.At(now + 30ms, [&] { ran.push_back(3); });
  queue.At(now + 10ms, [&] { ran.push_back(1); });
  queue.At(now + 20ms, [&] { ran.push_back(2); });
  queue.At(now + 20ms, [&] { ran.push_back(22); });
  queue.At(now - 1s, [&] { ran.push_back(0); });  // already due
  io.run_for(5s);
  EXPECT_EQ(ran, (std::vector<int>{0, 1, 2, 22, 3}));
  EXPECT_EQ(queue.size(), 0u);
  EXPECT_GE(DelayQueue::Clock::now() - now, 30ms);
}

TEST(DelayQueue, ACallbackMayScheduleAnother) {
  smpp::asio::io_context io;
  DelayQueue queue(io.get_executor());
  std::vector<int> ran;
  queue.After(5ms, [&] {
    ran.push_back(1);
    queue.After(5ms, [&] { ran.push_back(2); });
  });
  io.run_for(5s);
  EXPECT_EQ(ran, (std::vector<int>{1, 2}));
}

TEST(DelayQueue, StopDropsWhatIsPending) {
  smpp::asio::io_context io;
  DelayQueue queue(io.get_executor());
  bool ran = false;
  queue.After(20ms, [&] { ran = true; });
  queue.Stop();
  queue.After(1ms, [&] { ran = true; });  // ignored after Stop
  io.run_for(5s);                         // returns once the cancelled wait completes
  EXPECT_FALSE(ran);
  EXPECT_EQ(queue.size(), 0u);
}

}  // namespace
}  // namespace smsgw::smsc_sim
