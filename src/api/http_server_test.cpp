#include "api/http_server.h"

#include <gtest/gtest.h>

namespace smsgw::api {
namespace {

TEST(ConnectionCapFor, LeavesDescriptorsForTheRestOfTheProcess) {
  EXPECT_EQ(ConnectionCapFor(10'000, 1024), 768u);                // a quarter kept back
  EXPECT_EQ(ConnectionCapFor(10'000, 1'048'576), 10'000u);        // the configured cap rules
  EXPECT_EQ(ConnectionCapFor(2'000'000, 1'048'576), 1'048'064u);  // at most 512 kept back
  EXPECT_EQ(ConnectionCapFor(500, 1024), 500u);
  EXPECT_EQ(ConnectionCapFor(10'000, 8), 16u);  // never below 16
}

}  // namespace
}  // namespace smsgw::api
