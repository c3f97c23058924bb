// InboundHandler over a real SqliteStore in a temp dir (wrapped to fail on demand): what the SMSC
// is answered, what is stored, and the reassembly timeout.

#include "delivery/inbound.h"

#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <thread>

#include "delivery/mo_text.h"
#include "fakes/temp_dir.h"
#include "smpp/codec/command_status.h"
#include "store/sqlite/sqlite_store.h"

namespace smsgw::delivery {
namespace {

namespace asio = smpp::asio;
namespace codec = smpp::codec;
using namespace std::chrono_literals;

constexpr uint32_t kTemporary = static_cast<uint32_t>(codec::CommandStatus::kTemporaryAppError);
constexpr uint32_t kPermanent = static_cast<uint32_t>(codec::CommandStatus::kPermanentAppError);

// The SQLite store, whose AddInboundPart fails while `fail` is set (a busy or broken disk).
class FlakyInboundStore final : public store::InboundStore {
 public:
  explicit FlakyInboundStore(store::InboundStore& real) : real_(real) {}
  std::atomic<bool> fail{false};

  core::Result<store::InboundPartResult> AddInboundPart(const store::InboundPart& part,
                                                        core::TimePoint repeats_since,
                                                        const store::InboundAssembler& assemble,
                                                        const core::OptOutWords* opt_out) override {
    if (fail) {
      return core::MakeError(core::Errc::kUnavailable, "database is locked");
    }
    return real_.AddInboundPart(part, repeats_since, assemble, opt_out);
  }
  core::Result<size_t> ExpireInboundParts(core::TimePoint cutoff, core::TimePoint now,
                                          const store::InboundAssembler& assemble,
                                          const core::OptOutWords* opt_out) override {
    return real_.ExpireInboundParts(cutoff, now, assemble, opt_out);
  }
  core::Result<std::vector<store::InboundMessage>> ListInbound(
      std::string_view before_id, size_t limit, store::InboundFilter filter) override {
    return real_.ListInbound(before_id, limit, filter);
  }
  core::Result<store::InboundMessage> GetInbound(std::string_view id) override {
    return real_.GetInbound(id);
  }
  core::Result<size_t> CountWaitingInboundParts() override {
    return real_.CountWaitingInboundParts();
  }
  core::Result<size_t> CountUnmatchedInbound() override { return real_.CountUnmatchedInbound(); }

 private:
  store::InboundStore& real_;
};

codec::Pdu Mo(std::vector<uint8_t> short_message, uint8_t esm_class = 0, uint8_t data_coding = 0) {
  codec::DeliverSm sm;
  sm.source = {1, 1, "14155550100"};
  sm.dest = {3, 0, "56767"};
  sm.esm_class = esm_class;
  sm.data_coding = data_coding;
  sm.short_message = std::move(short_message);
  return codec::Pdu{0, 1, std::move(sm)};
}

// Part `seqnum` of 2 (reference 5), UCS-2.
codec::Pdu UcsPart(int seqnum, std::vector<uint8_t> utf16) {
  std::vector<uint8_t> bytes = {0x05, 0x00, 0x03, 0x05, 0x02, static_cast<uint8_t>(seqnum)};
  bytes.insert(bytes.end(), utf16.begin(), utf16.end());
  return Mo(std::move(bytes), 0x40, 0x08);
}

class InboundHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::sqlite::SqliteStore::Open(dir_.File("smsgw.db"));
    ASSERT_TRUE(opened) << opened.error().message;
    sqlite_ = std::move(*opened);
    store_.emplace(*sqlite_);
  }

  void Start(InboundOptions options = {}) {
    handler_ = std::make_unique<InboundHandler>(*store_, clock_, options);
  }

  // Runs one Handle on an io_context of its own, as a connector's session would.
  uint32_t Deliver(codec::Pdu pdu) {
    asio::io_context io;
    auto guard = asio::make_work_guard(io);
    std::optional<uint32_t> status;
    asio::co_spawn(io, handler_->AsMoHandler()("smsc-a", std::move(pdu)),
                   [&](std::exception_ptr e, uint32_t s) {
                     EXPECT_FALSE(e);
                     status = s;
                     guard.reset();
                   });
    io.run();
    EXPECT_TRUE(status.has_value());
    return status.value_or(0xFFFFFFFF);
  }

  std::vector<store::InboundMessage> Stored() {
    auto all = sqlite_->ListInbound("", 100, store::InboundFilter::kAll);
    EXPECT_TRUE(all) << all.error().message;
    return all ? *all : std::vector<store::InboundMessage>{};
  }

  fakes::TempDir dir_;
  std::unique_ptr<store::sqlite::SqliteStore> sqlite_;
  std::optional<FlakyInboundStore> store_;
  core::SystemClock clock_;
  std::unique_ptr<InboundHandler> handler_;
};

TEST_F(InboundHandlerTest, AReadableMoIsStoredBeforeItIsAcknowledged) {
  Start();
  EXPECT_EQ(Deliver(Mo({'H', 'e', 'l', 'l', 'o'})), 0u);
  // Deliver returned: the answer came, so the message is already committed.
  const auto stored = Stored();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].text, "Hello");
  EXPECT_EQ(stored[0].connector, "smsc-a");
  EXPECT_EQ(stored[0].source, "14155550100");
  EXPECT_EQ(stored[0].destination, "56767");
  EXPECT_EQ(handler_->stats().messages, 1u);
}

TEST_F(InboundHandlerTest, AnUnreadableMoIsRefusedForGood) {
  Start();
  EXPECT_EQ(Deliver(Mo({0x01, 0x02}, 0, 0x04)), kPermanent);           // binary data_coding
  EXPECT_EQ(Deliver(Mo({0x09, 0x00, 0x03, 0x01}, 0x40)), kPermanent);  // malformed UDH
  EXPECT_EQ(Deliver(codec::Pdu{0, 1, codec::SubmitSm{}}), kPermanent);
  EXPECT_TRUE(Stored().empty());
  EXPECT_EQ(handler_->stats().unreadable, 3u);
}

TEST_F(InboundHandlerTest, AStoreFailureAsksForTheMoAgain) {
  Start();
  store_->fail = true;
  EXPECT_EQ(Deliver(Mo({'h', 'i'})), kTemporary);
  EXPECT_TRUE(Stored().empty());
  EXPECT_EQ(handler_->stats().store_errors, 1u);
  store_->fail = false;
  EXPECT_EQ(Deliver(Mo({'h', 'i'})), 0u);
  EXPECT_EQ(Stored().size(), 1u);
}

TEST_F(InboundHandlerTest, PartsAreAssembledAndARepeatIsAcknowledgedOnce) {
  Start();
  EXPECT_EQ(Deliver(UcsPart(1, {0x00, 'A', 0xD8, 0x3D})), 0u);
  EXPECT_TRUE(Stored().empty());
  EXPECT_EQ(Deliver(UcsPart(1, {0x00, 'A', 0xD8, 0x3D})), 0u) << "a repeat is still ours";
  EXPECT_EQ(Deliver(UcsPart(2, {0xDE, 0x00})), 0u);
  EXPECT_EQ(Deliver(UcsPart(2, {0xDE, 0x00})), 0u);
  const auto stored = Stored();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].text, "A\U0001F600");
  EXPECT_EQ(stored[0].parts_received, 2);
  const InboundStats s = handler_->stats();
  EXPECT_EQ(s.parts, 2u);
  EXPECT_EQ(s.repeats, 2u);
  EXPECT_EQ(s.messages, 1u);
}

TEST_F(InboundHandlerTest, APartThatNeverComesIsMarkedAfterTheTimeout) {
  InboundOptions options;
  options.reassembly_timeout = 100ms;
  options.sweep_interval = 10ms;
  Start(options);
  EXPECT_EQ(Deliver(UcsPart(2, {0x00, 'z'})), 0u);
  // The sweep counts a message after its commit: waiting on the count, not on the row, leaves no
  // window in which the row is seen and the count not yet.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (handler_->stats().incomplete == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  const auto stored = Stored();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].text, std::string(kMissingPartMarker) + "z");
  EXPECT_EQ(stored[0].parts_missing, std::vector<int>{1});
  EXPECT_GE(stored[0].stored_at - stored[0].received_at, 100ms);
  EXPECT_EQ(handler_->stats().incomplete, 1u);
  auto waiting = sqlite_->CountWaitingInboundParts();
  ASSERT_TRUE(waiting);
  EXPECT_EQ(*waiting, 0u);
}

TEST_F(InboundHandlerTest, AfterStopMosAreAskedForAgain) {
  Start();
  handler_->Stop();
  EXPECT_EQ(Deliver(Mo({'l', 'a', 't', 'e'})), kTemporary);
  EXPECT_TRUE(Stored().empty());
}

}  // namespace
}  // namespace smsgw::delivery
