// The ClusterStore half of the store contract (see store_contract.h): beats and the nodes they
// count, a restarted node's earlier life ended at once, bind leases acquired, renewed, lost and
// released, the status view with the claims each owner holds, and two instances acquiring one
// connector's binds at once. Leases run on the store's clock, so lapses are waited out for real
// with short leases.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <functional>
#include <latch>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "store_contract/store_contract.h"

namespace smsgw::store_contract {
namespace {

using std::chrono::milliseconds;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kSid[] = "HXIN0000000001IN";
constexpr milliseconds kShort{200};   // a lease the test waits out
constexpr milliseconds kLapsed{400};  // how long it waits: past kShort on any store clock
constexpr milliseconds kLong = std::chrono::seconds(30);  // a lease that holds for the test

store::ClusterView View(store::ClusterStore& cluster, std::string_view owner,
                        milliseconds lease = kLong) {
  auto view = cluster.Beat(owner, lease);
  EXPECT_TRUE(view) << view.error().message;
  return view ? *view : store::ClusterView{-1, -1};
}

// The nodes alive, as the beat counted them.
int Beat(store::ClusterStore& cluster, std::string_view owner, milliseconds lease = kLong) {
  return View(cluster, owner, lease).alive;
}

std::vector<int> Acquire(store::ClusterStore& cluster, std::string_view connector, int slots,
                         std::string_view owner, int want, milliseconds lease = kLong) {
  auto taken = cluster.AcquireBinds(connector, slots, owner, want, lease);
  EXPECT_TRUE(taken) << taken.error().message;
  return taken ? *taken : std::vector<int>{-1};
}

std::vector<int> Renew(store::ClusterStore& cluster, std::string_view connector,
                       std::string_view owner, milliseconds lease = kLong) {
  auto held = cluster.RenewBinds(connector, owner, lease);
  EXPECT_TRUE(held) << held.error().message;
  return held ? *held : std::vector<int>{-1};
}

void Release(store::ClusterStore& cluster, std::string_view connector, int slot,
             std::string_view owner) {
  auto released = cluster.ReleaseBind(connector, slot, owner);
  EXPECT_TRUE(released) << released.error().message;
}

store::ClusterStatus Status(store::ClusterStore& cluster) {
  auto status = cluster.Status();
  EXPECT_TRUE(status) << status.error().message;
  return status ? *status : store::ClusterStatus{};
}

// The nodes' owners, in the status' order.
std::vector<std::string> Owners(const store::ClusterStatus& status) {
  std::vector<std::string> owners;
  for (const store::NodeBeat& node : status.nodes) {
    owners.push_back(node.owner);
  }
  return owners;
}

// "<connector>/<slot>=<owner>" of every lease, in the status' order.
std::vector<std::string> Binds(const store::ClusterStatus& status) {
  std::vector<std::string> binds;
  for (const store::BindLease& lease : status.binds) {
    binds.push_back(lease.connector + "/" + std::to_string(lease.slot) + "=" + lease.owner);
  }
  return binds;
}

// "<owner>:<messages>,<webhooks>" of every owner holding claims.
std::vector<std::string> Claims(const store::ClusterStatus& status) {
  std::vector<std::string> claims;
  for (const store::ClaimsHeld& held : status.claims) {
    claims.push_back(held.owner + ":" + std::to_string(held.messages) + "," +
                     std::to_string(held.webhooks));
  }
  return claims;
}

TEST_P(ClusterStoreContract, ABeatCountsLiveNodesAndALapsedOneStopsCounting) {
  EXPECT_EQ(Beat(cluster(), "gw-1/10:a", kShort), 1) << "this one included";
  EXPECT_EQ(Beat(cluster(), "gw-2/20:b"), 2);
  const store::ClusterStatus first = Status(cluster());
  ASSERT_EQ(first.nodes.size(), 2u);
  const core::TimePoint started = first.nodes[0].started_at;
  EXPECT_EQ(first.nodes[0].beat_at, started);
  EXPECT_GT(first.nodes[0].expires_at, first.nodes[0].beat_at);

  std::this_thread::sleep_for(kLapsed);
  EXPECT_EQ(Beat(cluster(), "gw-2/20:b"), 1) << "gw-1's beat lapsed";
  const store::ClusterStatus lapsed = Status(cluster());
  EXPECT_THAT(Owners(lapsed), ElementsAre("gw-1/10:a", "gw-2/20:b")) << "lapsed nodes are listed";
  ASSERT_EQ(lapsed.nodes.size(), 2u);
  EXPECT_LE(lapsed.nodes[0].expires_at, lapsed.now);
  EXPECT_GT(lapsed.nodes[1].expires_at, lapsed.now);
  auto nodes = cluster().Nodes();  // the same list, alone
  ASSERT_TRUE(nodes) << nodes.error().message;
  ASSERT_EQ(nodes->nodes.size(), 2u);
  EXPECT_EQ(nodes->nodes[0].owner, "gw-1/10:a");
  EXPECT_EQ(nodes->nodes[1].beat_at, lapsed.nodes[1].beat_at);
  EXPECT_LE(nodes->nodes[0].expires_at, nodes->now);
  EXPECT_GE(nodes->now, lapsed.now);

  EXPECT_EQ(Beat(cluster(), "gw-1/10:a"), 2) << "beating again, it counts again";
  const store::ClusterStatus again = Status(cluster());
  ASSERT_EQ(again.nodes.size(), 2u);
  EXPECT_EQ(again.nodes[0].started_at, started) << "its first beat";
  EXPECT_GT(again.nodes[0].beat_at, started);
}

TEST_P(ClusterStoreContract, ABeatRanksTheNodeAmongTheLiveOnesOldestFirst) {
  EXPECT_EQ(View(cluster(), "gw-9/1:z", kShort).rank, 0);
  std::this_thread::sleep_for(milliseconds(5));  // first beats a clock tick apart
  store::ClusterView second = View(cluster(), "gw-1/1:a");
  EXPECT_EQ(second.alive, 2);
  EXPECT_EQ(second.rank, 1) << "younger, whatever its name";
  EXPECT_EQ(View(cluster(), "gw-9/1:z", kShort).rank, 0) << "beating again keeps its age";

  std::this_thread::sleep_for(kLapsed);
  const store::ClusterView alone = View(cluster(), "gw-1/1:a");
  EXPECT_EQ(alone.alive, 1);
  EXPECT_EQ(alone.rank, 0) << "gw-9's beat lapsed: it is not counted ahead";

  EXPECT_EQ(View(cluster(), "gw-9/1:z").rank, 0) << "back from a pause: the same life, as old";
  // A restarted node is a new life: the youngest.
  const store::ClusterView restarted = View(cluster(), "gw-9/2:y");
  EXPECT_EQ(restarted.alive, 2) << "gw-9's new life ended its old one";
  EXPECT_EQ(restarted.rank, 1);
  EXPECT_EQ(View(cluster(), "gw-1/1:a").rank, 0);
}

TEST_P(ClusterStoreContract, ARestartedNodeEndsItsEarlierLifeAtOnceAndOnlyItsOwn) {
  EXPECT_EQ(Beat(cluster(), "gw-1/100:a"), 1);
  EXPECT_EQ(Beat(cluster(), "gw-10/5:x"), 2);  // shares "gw-1" but not "gw-1/"
  EXPECT_EQ(Beat(cluster(), "gw-2/7:c"), 3);
  EXPECT_THAT(Acquire(cluster(), "smsc-a", 4, "gw-1/100:a", 2), ElementsAre(0, 1));
  EXPECT_THAT(Acquire(cluster(), "smsc-b", 1, "gw-1/100:a", 1), ElementsAre(0));
  EXPECT_THAT(Acquire(cluster(), "smsc-a", 4, "gw-10/5:x", 1), ElementsAre(2));
  EXPECT_THAT(Acquire(cluster(), "smsc-a", 4, "gw-2/7:c", 1), ElementsAre(3));

  // gw-1 restarts after a crash: its new life's first beat ends the old one's beat and leases,
  // though both are far from lapsing.
  EXPECT_EQ(Beat(cluster(), "gw-1/200:b"), 3);
  const store::ClusterStatus status = Status(cluster());
  EXPECT_THAT(Owners(status), ElementsAre("gw-1/200:b", "gw-10/5:x", "gw-2/7:c"));
  EXPECT_THAT(Binds(status), ElementsAre("smsc-a/2=gw-10/5:x", "smsc-a/3=gw-2/7:c"));
  EXPECT_THAT(Acquire(cluster(), "smsc-a", 4, "gw-1/200:b", 4), ElementsAre(0, 1));

  // Its later beats end nothing: the new life's leases stay.
  EXPECT_EQ(Beat(cluster(), "gw-1/200:b"), 3);
  EXPECT_THAT(Renew(cluster(), "smsc-a", "gw-1/200:b"), ElementsAre(0, 1));
}

TEST_P(ClusterStoreContract, LeaveDropsTheBeatAndEveryLeaseOfTheOwner) {
  EXPECT_EQ(Beat(cluster(), "gw-1/1:a"), 1);
  EXPECT_EQ(Beat(cluster(), "gw-2/1:b"), 2);
  EXPECT_THAT(Acquire(cluster(), "smsc-a", 2, "gw-1/1:a", 1), ElementsAre(0));
  EXPECT_THAT(Acquire(cluster(), "smsc-b", 2, "gw-1/1:a", 2), ElementsAre(0, 1));
  EXPECT_THAT(Acquire(cluster(), "smsc-a", 2, "gw-2/1:b", 1), ElementsAre(1));

  ASSERT_TRUE(cluster().Leave("gw-1/1:a"));
  const store::ClusterStatus status = Status(cluster());
  EXPECT_THAT(Owners(status), ElementsAre("gw-2/1:b"));
  EXPECT_THAT(Binds(status), ElementsAre("smsc-a/1=gw-2/1:b"));
  EXPECT_THAT(Acquire(cluster(), "smsc-b", 2, "gw-2/1:b", 2), ElementsAre(0, 1)) << "free at once";
  EXPECT_TRUE(cluster().Leave("gw-9/1:z")) << "an owner that never beat";
}

TEST_P(ClusterStoreContract, AcquireBindsTakesTheLowestFreeSlotsWithinSlotsAndWant) {
  EXPECT_THAT(Acquire(cluster(), "smsc-a", 3, "a/1", 1), ElementsAre(0));
  EXPECT_THAT(Acquire(cluster(), "smsc-a", 3, "b/1", 5), ElementsAre(1, 2)) << "3 slots only";
  EXPECT_THAT(Acquire(cluster(), "smsc-a", 3, "c/1", 1), IsEmpty()) << "every slot is live";
  EXPECT_THAT(Acquire(cluster(), "smsc-a", 3, "a/1", 1), IsEmpty()) << "its own is held already";
  EXPECT_THAT(Acquire(cluster(), "smsc-a", 4, "c/1", 0), IsEmpty()) << "wants none";
  EXPECT_THAT(Acquire(cluster(), "smsc-a", 5, "c/1", 1), ElementsAre(3)) << "a larger budget";
  EXPECT_THAT(Acquire(cluster(), "smsc-b", 2, "b/1", 2), ElementsAre(0, 1)) << "per connector";

  Release(cluster(), "smsc-a", 1, "b/1");
  EXPECT_THAT(Acquire(cluster(), "smsc-a", 3, "c/1", 2), ElementsAre(1));
  EXPECT_THAT(Binds(Status(cluster())),
              ElementsAre("smsc-a/0=a/1", "smsc-a/1=c/1", "smsc-a/2=b/1", "smsc-a/3=c/1",
                          "smsc-b/0=b/1", "smsc-b/1=b/1"));
}

TEST_P(ClusterStoreContract, ALapsedLeaseIsTakenOverAndItsLoserRenewsOnlyWhatItStillHolds) {
  EXPECT_THAT(Acquire(cluster(), "smsc-a", 2, "a/1", 2, kShort), ElementsAre(0, 1));
  EXPECT_THAT(Acquire(cluster(), "smsc-a", 2, "b/1", 1), IsEmpty()) << "both live";

  std::this_thread::sleep_for(kLapsed);
  EXPECT_THAT(Acquire(cluster(), "smsc-a", 2, "b/1", 1), ElementsAre(0)) << "lapsed: taken over";
  // a/1 still has slot 1 (lapsed, but nobody took it): renewed; slot 0 is lost.
  EXPECT_THAT(Renew(cluster(), "smsc-a", "a/1"), ElementsAre(1));
  EXPECT_THAT(Acquire(cluster(), "smsc-a", 2, "c/1", 2), IsEmpty()) << "renewed: live again";
  EXPECT_THAT(Binds(Status(cluster())), ElementsAre("smsc-a/0=b/1", "smsc-a/1=a/1"));
  EXPECT_THAT(Renew(cluster(), "smsc-a", "c/1"), IsEmpty()) << "holds nothing";
  EXPECT_THAT(Renew(cluster(), "smsc-b", "a/1"), IsEmpty()) << "per connector";

  // A renewal moves the lease's end from now: kShort leases renewed with kLong outlive kShort.
  EXPECT_THAT(Acquire(cluster(), "smsc-c", 2, "a/1", 2, kShort), ElementsAre(0, 1));
  EXPECT_THAT(Renew(cluster(), "smsc-c", "a/1", kLong), ElementsAre(0, 1));
  std::this_thread::sleep_for(kLapsed);
  EXPECT_THAT(Acquire(cluster(), "smsc-c", 2, "b/1", 2), IsEmpty());
}

TEST_P(ClusterStoreContract, ReleaseBindGivesBackOnlyTheOwnersOwnSlot) {
  EXPECT_THAT(Acquire(cluster(), "smsc-a", 2, "a/1", 1), ElementsAre(0));
  EXPECT_THAT(Acquire(cluster(), "smsc-a", 2, "b/1", 1), ElementsAre(1));
  Release(cluster(), "smsc-a", 0, "b/1");  // not b's: nothing happens
  Release(cluster(), "smsc-a", 5, "b/1");  // nobody's
  Release(cluster(), "smsc-x", 1, "b/1");  // another connector
  EXPECT_THAT(Binds(Status(cluster())), ElementsAre("smsc-a/0=a/1", "smsc-a/1=b/1"));

  Release(cluster(), "smsc-a", 0, "a/1");
  EXPECT_THAT(Binds(Status(cluster())), ElementsAre("smsc-a/1=b/1")) << "at once";
  EXPECT_THAT(Acquire(cluster(), "smsc-a", 2, "c/1", 2), ElementsAre(0));
}

TEST_P(ClusterStoreContract, NonPositiveLeasesAreRefused) {
  for (const milliseconds lease : {milliseconds(0), milliseconds(-5)}) {
    auto beat = cluster().Beat("a/1", lease);
    ASSERT_FALSE(beat);
    EXPECT_EQ(beat.error().code, core::Errc::kInvalidArgument);
    auto acquired = cluster().AcquireBinds("smsc-a", 2, "a/1", 1, lease);
    ASSERT_FALSE(acquired);
    EXPECT_EQ(acquired.error().code, core::Errc::kInvalidArgument);
    auto renewed = cluster().RenewBinds("smsc-a", "a/1", lease);
    ASSERT_FALSE(renewed);
    EXPECT_EQ(renewed.error().code, core::Errc::kInvalidArgument);
  }
  EXPECT_THAT(Owners(Status(cluster())), IsEmpty());
  EXPECT_THAT(Binds(Status(cluster())), IsEmpty());
}

// Claims are made as the delivery and webhook suites make them: messages by ClaimDue, a webhook
// (of a cancelled message with an inline callback) by ClaimWebhooks.
TEST_P(ClusterStoreContract, StatusListsNodesBindsAndTheClaimsEachOwnerHolds) {
  const store::ClusterStatus empty = Status(cluster());
  EXPECT_THAT(Owners(empty), IsEmpty());
  EXPECT_THAT(Binds(empty), IsEmpty());
  EXPECT_THAT(Claims(empty), IsEmpty());

  ASSERT_TRUE(accounts().CreateAccount(store::Account{kSid, "acme", TestTime(), 0}));
  core::Message hooked = TestMessage("w:1", kSid);
  hooked.callback = R"({"url":"https://a.example.com/"})";
  ASSERT_TRUE(messages().Enqueue(std::vector<core::Message>{hooked}));
  ASSERT_TRUE(deliveries().Cancel(kSid, "w:1", TestTime(50)));
  ASSERT_TRUE(messages().Enqueue(
      std::vector<core::Message>{TestMessage("m:1", kSid), TestMessage("m:2", kSid)}));
  auto claimed = deliveries().ClaimDue("gw-1/1:a", TestTime(100), kLong, 10);
  ASSERT_TRUE(claimed) << claimed.error().message;
  ASSERT_EQ(claimed->size(), 2u);
  auto hooks = webhooks().ClaimWebhooks("gw-2/1:b", TestTime(200), kLong, 10);
  ASSERT_TRUE(hooks) << hooks.error().message;
  ASSERT_EQ(hooks->size(), 1u);

  EXPECT_EQ(Beat(cluster(), "gw-2/1:b"), 1);
  EXPECT_EQ(Beat(cluster(), "gw-1/1:a"), 2);
  EXPECT_THAT(Acquire(cluster(), "smsc-b", 2, "gw-1/1:a", 2), ElementsAre(0, 1));
  EXPECT_THAT(Acquire(cluster(), "smsc-a", 2, "gw-2/1:b", 1), ElementsAre(0));

  const auto before = std::chrono::system_clock::now();
  const store::ClusterStatus status = Status(cluster());
  // The store's clock (PostgreSQL: the server's, on this host too) is the test's, give or take.
  EXPECT_LT(std::chrono::abs(status.now - before), std::chrono::seconds(5));
  EXPECT_THAT(Owners(status), ElementsAre("gw-1/1:a", "gw-2/1:b"));
  for (const store::NodeBeat& node : status.nodes) {
    EXPECT_LE(node.beat_at, status.now);
    EXPECT_GT(node.expires_at, status.now);
  }
  EXPECT_THAT(Binds(status),
              ElementsAre("smsc-a/0=gw-2/1:b", "smsc-b/0=gw-1/1:a", "smsc-b/1=gw-1/1:a"));
  ASSERT_EQ(status.binds.size(), 3u);
  EXPECT_GT(status.binds[0].expires_at, status.now);
  EXPECT_THAT(Claims(status), ElementsAre("gw-1/1:a:2,0", "gw-2/1:b:0,1"));
}

// Two nodes' bind keepers, several owners each, acquiring one connector's 2 binds at once, holding
// them a moment and releasing them: no slot is ever granted to two owners at once. A store that
// reads the free slots and then writes its leases, without a lock or a guard on the write, grants
// one slot to two nodes that ask together.
TEST_P(ClusterStoreContract, TwoInstancesAcquiringOneConnectorNeverGrantASlotTwice) {
  auto other = OpenAnother();
  ASSERT_NE(other, nullptr);
  constexpr int kOwnersPerInstance = 3;
  constexpr int kRounds = 15;
  std::mutex mu;
  std::array<std::string, 2> holder;  // who holds each slot now, by what the store granted
  int granted = 0;
  int twice = 0;
  std::latch start(2 * kOwnersPerInstance);
  const auto keeper = [&](store::ClusterStore& cluster, const std::string& owner) {
    start.arrive_and_wait();
    for (int round = 0; round < kRounds; ++round) {
      auto taken = cluster.AcquireBinds("smsc-a", 2, owner, 2, kLong);
      if (!taken) {
        ADD_FAILURE() << owner << ": " << taken.error().message;
        continue;
      }
      {
        std::lock_guard lock(mu);
        for (const int slot : *taken) {
          if (slot < 0 || slot > 1) {
            ADD_FAILURE() << owner << " got slot " << slot << " of 2";
            continue;
          }
          twice += holder[slot].empty() ? 0 : 1;
          holder[slot] = owner;
          ++granted;
        }
      }
      std::this_thread::sleep_for(milliseconds(2));
      {
        std::lock_guard lock(mu);  // let go before the store does: a later grant is legitimate
        for (const int slot : *taken) {
          if (slot >= 0 && slot <= 1 && holder[slot] == owner) {
            holder[slot].clear();
          }
        }
      }
      for (const int slot : *taken) {
        Release(cluster, "smsc-a", slot, owner);
      }
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < kOwnersPerInstance; ++i) {
    threads.emplace_back(keeper, std::ref(cluster()), "gw-a/" + std::to_string(i));
    threads.emplace_back(keeper, std::ref(other->cluster()), "gw-b/" + std::to_string(i));
  }
  for (std::thread& t : threads) {
    t.join();
  }
  EXPECT_EQ(twice, 0) << "slots granted while another owner held them";
  EXPECT_GE(granted, kRounds) << "the keepers took turns with the slots";
  EXPECT_THAT(Binds(Status(cluster())), IsEmpty()) << "every grant was released";
}

}  // namespace
}  // namespace smsgw::store_contract
