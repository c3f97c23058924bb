#include "core/ids.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <thread>

namespace smsgw::core {
namespace {

TEST(Ids, UuidIsVersion7AndUnique) {
  const std::regex shape("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = NewUuid();
    EXPECT_TRUE(std::regex_match(id, shape)) << id;
    EXPECT_TRUE(seen.insert(id).second);
  }
}

TEST(Ids, UuidsSortByCreationTime) {
  const std::string first = NewUuid();
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  const std::string second = NewUuid();
  EXPECT_LT(first, second);
}

TEST(Ids, SidAndKeyHaveKaleyraShape) {
  EXPECT_TRUE(std::regex_match(NewAccountSid(Region::kIn), std::regex("HXIN[0-9]{10}IN")));
  const std::string key = NewApiKey();
  EXPECT_TRUE(std::regex_match(key, std::regex("A[0-9a-f]{32}")));
  EXPECT_TRUE(LooksLikeApiKey(key));
  EXPECT_FALSE(LooksLikeApiKey("B" + key.substr(1)));
  EXPECT_FALSE(LooksLikeApiKey(key.substr(1)));
  EXPECT_NE(NewApiKey(), key);
}

TEST(Ids, Sha256KnownVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace smsgw::core
