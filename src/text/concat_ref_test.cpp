#include "text/concat_ref.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

namespace smsgw::text {
namespace {

TEST(ConcatRefAllocator, CyclesPerDestination) {
  ConcatRefAllocator refs(100, 0);
  std::set<uint16_t> seen;
  for (int i = 0; i < 256; ++i) {
    const uint16_t r = refs.Next("919876543210");
    EXPECT_LT(r, 256);
    seen.insert(r);
  }
  EXPECT_EQ(seen.size(), 256u);  // 256 long messages in flight to one handset, all distinct
  const uint16_t first = refs.Next("919876543210");
  EXPECT_TRUE(seen.count(first));  // and then the cycle repeats
}

TEST(ConcatRefAllocator, DestinationsAreIndependent) {
  ConcatRefAllocator refs(100, 0);
  const uint16_t a1 = refs.Next("A");
  const uint16_t b1 = refs.Next("B");
  const uint16_t a2 = refs.Next("A");
  EXPECT_EQ(static_cast<uint8_t>(a2 - a1), 1);
  EXPECT_NE(a1, b1);  // new destinations start at different points
  EXPECT_EQ(refs.Next("B"), static_cast<uint16_t>((b1 + 1) & 0xFF));
}

TEST(ConcatRefAllocator, SixteenBitReferencesUseTheFullRange) {
  ConcatRefAllocator refs(10, 0xFFFE);
  EXPECT_EQ(refs.Next("x", RefWidth::k16Bit), 0xFFFE);
  EXPECT_EQ(refs.Next("x", RefWidth::k16Bit), 0xFFFF);
  EXPECT_EQ(refs.Next("x", RefWidth::k16Bit), 0x0000);
}

TEST(ConcatRefAllocator, ForgetsTheLeastRecentlyUsedBeyondCapacity) {
  ConcatRefAllocator refs(2, 0);
  const uint16_t a = refs.Next("A", RefWidth::k16Bit);
  refs.Next("B");
  refs.Next("A");  // A is now the most recent
  refs.Next("C");  // evicts B
  EXPECT_EQ(refs.SizeForTest(), 2u);
  EXPECT_EQ(refs.Next("A", RefWidth::k16Bit), static_cast<uint16_t>(a + 2));  // A survived
  refs.Next("B");                                                             // B is new again
  EXPECT_EQ(refs.SizeForTest(), 2u);
}

TEST(ConcatRefAllocator, IsThreadSafe) {
  ConcatRefAllocator refs(1000, 0);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 2000;
  std::vector<std::vector<uint16_t>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&refs, &got, t] {
      for (int i = 0; i < kPerThread; ++i) {
        got[t].push_back(refs.Next("shared", RefWidth::k16Bit));
        refs.Next("own-" + std::to_string(t * kPerThread + i));
      }
    });
  }
  for (std::thread& th : threads) {
    th.join();
  }
  std::set<uint16_t> all;
  for (const auto& v : got) {
    all.insert(v.begin(), v.end());
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_LE(refs.SizeForTest(), 1000u);
}

}  // namespace
}  // namespace smsgw::text
