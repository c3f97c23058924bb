// The BindKeeper with real parts: two nodes (each its own delivery thread, SqliteStore instance
// on one file, Connector and keeper) share one [[smsc]] whose carrier, the simulator on
// 127.0.0.1, allows 2 binds and counts them from its side. Leases are short (1 s) so that
// takeovers happen within the test; the rounds run every fifth of it.

#include "delivery/bind_keeper.h"

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "delivery/recorder.h"
#include "fakes/temp_dir.h"
#include "smsc_sim/simulator.h"
#include "store/sqlite/sqlite_store.h"

namespace smsgw::delivery {
namespace {

namespace asio = smpp::asio;
using namespace std::chrono_literals;

constexpr auto kWait = 20s;  // ASan on a shared machine
constexpr auto kLease = 1000ms;

TEST(ShareOf, SplitsEverySlotAndGivesTheRemainderToTheOldest) {
  EXPECT_EQ(ShareOf(2, {1, 0}), 2);
  EXPECT_EQ(ShareOf(2, {2, 0}), 1);
  EXPECT_EQ(ShareOf(2, {2, 1}), 1);
  // 4 binds on 3 nodes: 2, 1, 1 (not 2, 2, 0).
  EXPECT_EQ(ShareOf(4, {3, 0}), 2);
  EXPECT_EQ(ShareOf(4, {3, 1}), 1);
  EXPECT_EQ(ShareOf(4, {3, 2}), 1);
  // One bind on three nodes: the oldest keeps it, so a join does not move it.
  EXPECT_EQ(ShareOf(1, {3, 0}), 1);
  EXPECT_EQ(ShareOf(1, {3, 1}), 0);
  EXPECT_EQ(ShareOf(1, {3, 2}), 0);
  EXPECT_EQ(ShareOf(2, {0, 0}), 2) << "no count read yet: this node alone";
  EXPECT_EQ(ShareOf(3, {2, 5}), 1) << "a rank past the count is the youngest";
}

TEST(PlanBinds, LeasesUpToTheShareAndGivesBackTheHighestSlots) {
  EXPECT_EQ(PlanBinds(2, {}).acquire, 2);
  EXPECT_EQ(PlanBinds(2, {0}).acquire, 1);
  EXPECT_EQ(PlanBinds(1, {1}).acquire, 0);
  EXPECT_TRUE(PlanBinds(1, {1}).close.empty());
  const BindPlan joined = PlanBinds(2, {0, 1, 2, 3});
  EXPECT_EQ(joined.acquire, 0);
  EXPECT_EQ(joined.close, (std::vector<int>{3, 2}));
  EXPECT_EQ(PlanBinds(0, {0}).close, (std::vector<int>{0}));
}

// A ClusterStore that can be made unreachable, for the fence.
class Unreachable final : public store::ClusterStore {
 public:
  explicit Unreachable(store::ClusterStore& real) : real_(real) {}
  void set_down(bool down) { down_ = down; }

  core::Result<store::ClusterView> Beat(std::string_view owner,
                                        std::chrono::milliseconds lease) override {
    return Down<store::ClusterView>([&] { return real_.Beat(owner, lease); });
  }
  core::Result<void> Leave(std::string_view owner) override {
    return Down<void>([&] { return real_.Leave(owner); });
  }
  core::Result<std::vector<int>> AcquireBinds(std::string_view connector, int slots,
                                              std::string_view owner, int want,
                                              std::chrono::milliseconds lease) override {
    return Down<std::vector<int>>(
        [&] { return real_.AcquireBinds(connector, slots, owner, want, lease); });
  }
  core::Result<std::vector<int>> RenewBinds(std::string_view connector, std::string_view owner,
                                            std::chrono::milliseconds lease) override {
    return Down<std::vector<int>>([&] { return real_.RenewBinds(connector, owner, lease); });
  }
  core::Result<void> ReleaseBind(std::string_view connector, int slot,
                                 std::string_view owner) override {
    return Down<void>([&] { return real_.ReleaseBind(connector, slot, owner); });
  }
  core::Result<store::ClusterStatus> Status() override { return real_.Status(); }
  core::Result<store::ClusterNodes> Nodes() override { return real_.Nodes(); }

 private:
  template <class T, class F>
  core::Result<T> Down(F call) {
    if (down_) {
      return core::MakeError(core::Errc::kUnavailable, "the store is out of reach (test)");
    }
    return call();
  }
  store::ClusterStore& real_;
  std::atomic<bool> down_{false};
};

// One node: a store instance, a delivery thread, a connector and its keeper.
class Node {
 public:
  Node(const std::string& db, const config::SmscConfig& smsc, std::string owner) {
    auto opened = store::sqlite::SqliteStore::Open(db);
    EXPECT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    cluster_ = std::make_unique<Unreachable>(*store_);
    recorder_ = std::make_unique<Recorder>(*store_);
    connector_ =
        std::make_unique<Connector>(io_, smsc, false, *recorder_, MoHandler{}, nullptr, 200ms);
    keeper_ = std::make_unique<BindKeeper>(*cluster_, std::vector{connector_.get()},
                                           BindKeeperOptions{std::move(owner), kLease});
    thread_ = std::thread([this] { io_.run(); });
  }
  ~Node() { Stop(true); }

  void Start() { ASSERT_TRUE(keeper_->Start()); }

  // Graceful: the sessions close, then the leases go back at once. Not graceful (a crash): the
  // sessions close (as the kernel closes a dead process's sockets) and nothing is given back.
  void Stop(bool graceful) {
    if (stopped_) {
      return;
    }
    stopped_ = true;
    keeper_->Stop();
    std::promise<void> closed;
    connector_->Stop([&] { closed.set_value(); });
    EXPECT_EQ(closed.get_future().wait_for(kWait), std::future_status::ready);
    if (graceful) {
      keeper_->Leave();
    }
    guard_.reset();
    thread_.join();
    recorder_->Stop();
  }

  int open() const { return keeper_->stats().slots_open; }
  const BindKeeper& keeper() const { return *keeper_; }
  Unreachable& cluster() { return *cluster_; }

 private:
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  std::unique_ptr<Unreachable> cluster_;
  asio::io_context io_{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard_{
      asio::make_work_guard(io_)};
  std::unique_ptr<Recorder> recorder_;
  std::unique_ptr<Connector> connector_;
  std::unique_ptr<BindKeeper> keeper_;
  std::thread thread_;
  bool stopped_ = false;
};

class BindKeeperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    smsc_sim::SimulatorConfig sim;
    sim.listen_port = 0;
    sim.max_binds = Binds();  // the carrier's budget, enforced on its side too
    sim_ = std::make_unique<smsc_sim::Simulator>(sim_io_, sim);
    smsc_.name = "carrier";
    smsc_.host = "127.0.0.1";
    smsc_.port = sim_->Start();
    smsc_.system_id = "smsgw";
    smsc_.password = "smsgw";
    smsc_.binds = Binds();
    sim_thread_ = std::thread([this] { sim_io_.run(); });
  }
  void TearDown() override {
    a_.reset();
    b_.reset();
    sim_->Stop();
    sim_thread_.join();
    const auto stats = sim_->stats();
    EXPECT_LE(stats.bound_peak, static_cast<uint64_t>(Binds()))
        << "more binds open at once than the carrier allows";
    EXPECT_EQ(stats.binds_refused, 0u) << "a bind was tried beyond the budget";
  }

  virtual int Binds() const { return 2; }
  std::unique_ptr<Node> MakeNode(const std::string& owner) {
    return std::make_unique<Node>(dir_.File("smsgw.db"), smsc_, owner);
  }
  uint64_t SimBound() const { return sim_->stats().bound; }

  template <class F>
  bool Eventually(F done, std::chrono::milliseconds limit = kWait) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) {
        return false;
      }
      std::this_thread::sleep_for(10ms);
    }
    return true;
  }

  fakes::TempDir dir_;
  asio::io_context sim_io_{1};
  std::unique_ptr<smsc_sim::Simulator> sim_;
  std::thread sim_thread_;
  config::SmscConfig smsc_;
  std::unique_ptr<Node> a_, b_;
};

TEST_F(BindKeeperTest, ANodeAloneOpensEveryBind) {
  a_ = MakeNode("node-a/1:x");
  a_->Start();
  ASSERT_TRUE(Eventually([&] { return SimBound() == 2; }));
  EXPECT_EQ(a_->open(), 2);
  EXPECT_EQ(a_->keeper().stats().nodes, 1);
}

// A node joining takes half the budget: the first node closes its highest bind and gives its
// lease back once closed, and only then does the newcomer open it.
TEST_F(BindKeeperTest, ANodeJoiningGetsItsShareWithoutExceedingTheBudget) {
  a_ = MakeNode("node-a/1:x");
  a_->Start();
  ASSERT_TRUE(Eventually([&] { return SimBound() == 2; }));
  b_ = MakeNode("node-b/1:y");
  b_->Start();
  ASSERT_TRUE(Eventually([&] { return a_->open() == 1 && b_->open() == 1 && SimBound() == 2; }))
      << "a holds " << a_->open() << ", b " << b_->open() << ", the SMSC sees " << SimBound();
}

class OddBindsTest : public BindKeeperTest {
 protected:
  int Binds() const override { return 3; }
};

// Binds that do not divide evenly: every one is open, and the odd one stays with the node that
// already held it (the older), whatever the names; the newcomer takes only its even share.
TEST_F(OddBindsTest, EveryBindIsOpenAndTheOlderNodeKeepsTheOddOne) {
  a_ = MakeNode("node-z/1:x");
  a_->Start();
  ASSERT_TRUE(Eventually([&] { return SimBound() == 3; }));
  b_ = MakeNode("node-a/1:y");
  b_->Start();
  ASSERT_TRUE(Eventually([&] { return a_->open() == 2 && b_->open() == 1 && SimBound() == 3; }))
      << "z holds " << a_->open() << ", a " << b_->open() << ", the SMSC sees " << SimBound();
  // It stays so: a few rounds later nothing has moved.
  std::this_thread::sleep_for(kLease);
  EXPECT_EQ(a_->open(), 2);
  EXPECT_EQ(b_->open(), 1);
  EXPECT_EQ(sim_->stats().bound_peak, 3u);
}

TEST_F(BindKeeperTest, AGracefulStopHandsTheBindsOverAtOnce) {
  a_ = MakeNode("node-a/1:x");
  b_ = MakeNode("node-b/1:y");
  a_->Start();
  b_->Start();
  ASSERT_TRUE(Eventually([&] { return a_->open() == 1 && b_->open() == 1 && SimBound() == 2; }));
  a_->Stop(true);
  const auto stopped = std::chrono::steady_clock::now();
  ASSERT_TRUE(Eventually([&] { return b_->open() == 2 && SimBound() == 2; }));
  // Not waiting out a lease: the next rounds see one node and a free slot.
  EXPECT_LT(std::chrono::steady_clock::now() - stopped, kLease);
}

TEST_F(BindKeeperTest, ADeadNodesBindsAreTakenOverAfterItsLease) {
  a_ = MakeNode("node-a/1:x");
  b_ = MakeNode("node-b/1:y");
  a_->Start();
  b_->Start();
  ASSERT_TRUE(Eventually([&] { return a_->open() == 1 && b_->open() == 1 && SimBound() == 2; }));
  a_->Stop(false);
  const auto died = std::chrono::steady_clock::now();
  ASSERT_TRUE(Eventually([&] { return SimBound() == 1; }));
  ASSERT_TRUE(Eventually([&] { return b_->open() == 2 && SimBound() == 2; }));
  const auto took = std::chrono::steady_clock::now() - died;
  // a's last renewal was at most a round before it died; b looks every round after the lapse.
  EXPECT_GE(took, kLease - kLease / 5);
  EXPECT_LT(took, kLease + kLease);
}

// Out of reach of the store for half a lease, a node closes its binds before the leases can
// lapse; once the store answers again it opens those still leased to it.
TEST_F(BindKeeperTest, ANodeThatCannotReachTheStoreClosesItsBindsAndReopensThemAfter) {
  a_ = MakeNode("node-a/1:x");
  a_->Start();
  ASSERT_TRUE(Eventually([&] { return SimBound() == 2; }));
  a_->cluster().set_down(true);
  const auto down = std::chrono::steady_clock::now();
  ASSERT_TRUE(Eventually([&] { return SimBound() == 0; }));
  const auto closed = std::chrono::steady_clock::now() - down;
  EXPECT_LT(closed, kLease) << "closed only after the lease could have lapsed";
  EXPECT_EQ(a_->keeper().stats().fenced, 1u);
  a_->cluster().set_down(false);
  ASSERT_TRUE(Eventually([&] { return a_->open() == 2 && SimBound() == 2; }));
}

}  // namespace
}  // namespace smsgw::delivery
