#include "console/sessions.h"

#include <gtest/gtest.h>

#include "fakes/manual_clock.h"

namespace smsgw::console {
namespace {

using namespace std::chrono_literals;

TEST(SessionsTest, CreatedSessionIsFoundByItsTokenOnly) {
  fakes::ManualClock clock;
  Sessions sessions({30min, 12h}, clock);
  const Sessions::Created created = sessions.Create("HXSG0000000001SG", std::string(64, 'a'));
  EXPECT_TRUE(LooksLikeToken(created.token));
  EXPECT_TRUE(LooksLikeToken(created.csrf));
  EXPECT_NE(created.token, created.csrf);
  auto found = sessions.Find(created.token);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->sid, "HXSG0000000001SG");
  EXPECT_EQ(found->key_hash, std::string(64, 'a'));
  EXPECT_EQ(found->csrf, created.csrf);
  EXPECT_FALSE(sessions.Find(created.csrf));
  EXPECT_FALSE(sessions.Find(""));
  EXPECT_FALSE(sessions.Find(std::string(64, 'g')));
}

TEST(SessionsTest, IdleSessionExpiresAndUseKeepsItAlive) {
  fakes::ManualClock clock;
  Sessions sessions({30min, 12h}, clock);
  const Sessions::Created created = sessions.Create("A1");
  clock.Advance(29min);
  ASSERT_TRUE(sessions.Find(created.token));  // moves the idle deadline
  clock.Advance(29min);
  ASSERT_TRUE(sessions.Find(created.token));
  clock.Advance(30min);
  EXPECT_FALSE(sessions.Find(created.token));
  EXPECT_EQ(sessions.SizeForTest(), 0u);  // forgotten, not just refused
}

TEST(SessionsTest, AbsoluteLifetimeEndsABusySession) {
  fakes::ManualClock clock;
  Sessions sessions({30min, 1h}, clock);
  const Sessions::Created created = sessions.Create("A1");
  for (int i = 0; i < 5; ++i) {
    clock.Advance(11min);
    ASSERT_TRUE(sessions.Find(created.token)) << i;
  }
  clock.Advance(6min);  // 61 minutes after sign-in, 6 after the last use
  EXPECT_FALSE(sessions.Find(created.token));
}

TEST(SessionsTest, RemoveEndsOnlyThatSession) {
  fakes::ManualClock clock;
  Sessions sessions({30min, 12h}, clock);
  const Sessions::Created a = sessions.Create("A1");
  const Sessions::Created b = sessions.Create("A1");
  sessions.Remove(a.token);
  EXPECT_FALSE(sessions.Find(a.token));
  EXPECT_TRUE(sessions.Find(b.token));
}

TEST(SessionsTest, AtTheCapTheSessionNearestItsEndMakesRoom) {
  fakes::ManualClock clock;
  Sessions sessions({30min, 12h}, clock);
  const Sessions::Created oldest = sessions.Create("S0");
  clock.Advance(1s);
  const Sessions::Created second = sessions.Create("S1");
  clock.Advance(1s);
  for (size_t i = 2; i < Sessions::kMaxSessions; ++i) {
    sessions.Create("S" + std::to_string(i));
  }
  ASSERT_EQ(sessions.SizeForTest(), Sessions::kMaxSessions);
  const Sessions::Created fresh = sessions.Create("new");
  EXPECT_EQ(sessions.SizeForTest(), Sessions::kMaxSessions);
  EXPECT_FALSE(sessions.Find(oldest.token));
  EXPECT_TRUE(sessions.Find(second.token));
  EXPECT_TRUE(sessions.Find(fresh.token));
}

TEST(SessionsTest, OneAccountsSignInsDropOnlyItsOwnSessions) {
  fakes::ManualClock clock;
  Sessions sessions({30min, 12h}, clock);
  const Sessions::Created other = sessions.Create("B");
  const Sessions::Created first = sessions.Create("A");
  clock.Advance(1s);
  const Sessions::Created second = sessions.Create("A");
  clock.Advance(1s);
  for (size_t i = 2; i < Sessions::kMaxSessionsPerAccount + 10; ++i) {
    sessions.Create("A");
  }
  EXPECT_EQ(sessions.SizeForTest(), Sessions::kMaxSessionsPerAccount + 1);
  EXPECT_FALSE(sessions.Find(first.token));
  EXPECT_FALSE(sessions.Find(second.token));
  EXPECT_TRUE(sessions.Find(other.token));  // older than all of A's, yet kept
}

TEST(SessionsTest, SecretsEqualComparesWholeValues) {
  EXPECT_TRUE(SecretsEqual("abc", "abc"));
  EXPECT_FALSE(SecretsEqual("abc", "abd"));
  EXPECT_FALSE(SecretsEqual("abc", "ab"));
  EXPECT_FALSE(SecretsEqual("", "a"));
}

}  // namespace
}  // namespace smsgw::console
