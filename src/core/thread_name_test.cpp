#include "core/thread_name.h"

#include <gtest/gtest.h>
#include <pthread.h>

#include <string>
#include <string_view>
#include <thread>

namespace smsgw::core {
namespace {

// The name a new thread reads back after NameThisThread(`name`).
std::string NameSeenAfterNaming(std::string_view name) {
  std::string seen;
  std::thread t([&] {
    NameThisThread(name);
    char buffer[16] = {};
    pthread_getname_np(pthread_self(), buffer, sizeof(buffer));
    seen = buffer;
  });
  t.join();
  return seen;
}

TEST(ThreadNameTest, NamesTheCallingThread) {
  EXPECT_EQ(NameSeenAfterNaming("dlv-claim"), "dlv-claim");
}

TEST(ThreadNameTest, ALongNameIsCutToFifteenBytes) {
  EXPECT_EQ(NameSeenAfterNaming("a-name-longer-than-fifteen-bytes"), "a-name-longer-t");
}

}  // namespace
}  // namespace smsgw::core
