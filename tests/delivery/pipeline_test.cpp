// The delivery pipeline in process: a real SqliteStore, the Dispatcher, Recorder and Connectors on
// a delivery thread, and the SMSC simulator on 127.0.0.1 (faults chosen by destination, see
// docs/simulator.md). Each test enqueues messages and waits for the state the store reports; the
// inbound tests have the simulator send MO messages and wait for what the InboundHandler stored.

#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include "core/ids.h"
#include "delivery/connector.h"
#include "delivery/dispatcher.h"
#include "delivery/inbound.h"
#include "delivery/mo_part.h"
#include "delivery/mo_text.h"
#include "delivery/recorder.h"
#include "delivery/router.h"
#include "fakes/temp_dir.h"
#include "fakes/test_message.h"
#include "smpp/codec/command_status.h"
#include "smsc_sim/test_esme.h"
#include "store/sqlite/sqlite_store.h"

namespace smsgw::delivery {
namespace {

namespace asio = smpp::asio;
using namespace std::chrono_literals;
using core::MessageState;

constexpr auto kWait = 20s;  // ASan on a shared machine

config::SmscConfig Smsc(std::string name, uint16_t port) {
  config::SmscConfig c;
  c.name = std::move(name);
  c.host = "127.0.0.1";
  c.port = port;
  c.system_id = "smsgw";
  c.password = "smsgw";
  c.window = 10;
  return c;
}

// A port nothing listens on: bound and closed at once.
uint16_t ClosedPort() {
  asio::io_context io;
  smpp::tcp::acceptor a(io, {asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::sqlite::SqliteStore::Open(dir_.File("smsgw.db"));
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }

  void TearDown() override { StopPipeline(); }

  // `mo` takes the connectors' MO messages (none: they are answered ESME_RX_T_APPN).
  void StartPipeline(std::vector<config::SmscConfig> smsc, MoHandler mo = {}) {
    smsc_ = std::move(smsc);
    recorder_ = std::make_unique<Recorder>(*store_);
    std::vector<Connector*> raw;
    for (const auto& c : smsc_) {
      connectors_.push_back(std::make_unique<Connector>(io_, c, false, *recorder_, mo));
      raw.push_back(connectors_.back().get());
    }
    DispatcherOptions options;
    options.owner = "test-node/1";
    options.retry_min = 50ms;
    options.retry_max = 200ms;
    options.poll = 5ms;
    options.bind_grace = 2s;
    dispatcher_ =
        std::make_unique<Dispatcher>(io_, *store_, *recorder_, raw, Router(smsc_), clock_, options);
    for (auto& c : connectors_) {
      c->Start();
    }
    dispatcher_->Start();
    thread_ = std::thread([this] { io_.run(); });
  }

  void StopPipeline() {
    if (!dispatcher_) {
      return;
    }
    std::promise<void> done;
    dispatcher_->Stop([this, &done] {
      auto left = std::make_shared<size_t>(connectors_.size());
      for (auto& c : connectors_) {
        c->Stop([left, &done] {
          if (--*left == 0) {
            done.set_value();
          }
        });
      }
    });
    done.get_future().wait();
    guard_.reset();
    thread_.join();
    recorder_->Stop();
    dispatcher_.reset();
    connectors_.clear();
  }

  std::string Enqueue(std::string recipient, std::string body = "hello",
                      core::RouteType type = core::RouteType::kDefault,
                      core::Encoding encoding = core::Encoding::kGsm7) {
    core::Message m = fakes::MakeMessage(core::NewUuid() + ":1");
    m.recipient = std::move(recipient);
    m.body = std::move(body);
    m.type = type;
    m.encoding = encoding;
    m.created_at = clock_.Now();
    auto done = store_->Enqueue(std::span(&m, 1));
    EXPECT_TRUE(done) << done.error().message;
    return m.id;
  }

  // Waits until the message reaches `state`; returns its detail (the last one read on timeout).
  store::MessageDetail WaitFor(const std::string& id, MessageState state) {
    const auto deadline = std::chrono::steady_clock::now() + kWait;
    store::MessageDetail last;
    while (std::chrono::steady_clock::now() < deadline) {
      auto d = store_->GetDetail(fakes::MakeMessage("x:1").sid, id);
      if (d) {
        last = std::move(*d);
        if (last.message.state == state) {
          return last;
        }
      }
      std::this_thread::sleep_for(10ms);
    }
    ADD_FAILURE() << id << " never reached state " << static_cast<int>(state) << "; it is "
                  << static_cast<int>(last.message.state) << " " << last.message.status_details
                  << " (last error: " << last.last_error << ")";
    return last;
  }

  fakes::TempDir dir_;
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  core::SystemClock clock_;
  asio::io_context io_{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard_{
      asio::make_work_guard(io_)};
  std::vector<config::SmscConfig> smsc_;
  std::unique_ptr<Recorder> recorder_;
  std::vector<std::unique_ptr<Connector>> connectors_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::thread thread_;
};

TEST_F(PipelineTest, SingleMessageIsDelivered) {
  smsc_sim::testing::RunningSimulator sim(smsc_sim::testing::TestConfig());
  StartPipeline({Smsc("sim", sim.port())});
  const std::string id = Enqueue("919876543210");
  const store::MessageDetail d = WaitFor(id, MessageState::kDelivered);
  EXPECT_EQ(d.message.status_details, "DELIVRD");
  ASSERT_EQ(d.parts.size(), 1u);
  EXPECT_EQ(d.parts[0].connector, "sim");
  EXPECT_FALSE(d.parts[0].smsc_id.empty());
  EXPECT_EQ(d.parts[0].state, core::PartState::kDelivered);
  ASSERT_GE(d.history.size(), 2u);
  EXPECT_EQ(d.history.front().state, MessageState::kSubmitted);
  EXPECT_EQ(d.history.back().state, MessageState::kDelivered);
}

TEST_F(PipelineTest, MultipartGsmAndUcsMessagesAreDeliveredWhole) {
  smsc_sim::testing::RunningSimulator sim(smsc_sim::testing::TestConfig());
  StartPipeline({Smsc("sim", sim.port())});
  const std::string gsm = Enqueue("919876543210", std::string(400, 'g'));
  const std::string ucs = Enqueue("919876543211", "Привет, мир! " + std::string(100, 'x'),
                                  core::RouteType::kDefault, core::Encoding::kUcs2);
  EXPECT_EQ(WaitFor(gsm, MessageState::kDelivered).parts.size(), 3u);
  EXPECT_EQ(WaitFor(ucs, MessageState::kDelivered).parts.size(), 2u);
}

TEST_F(PipelineTest, ReceiptBeforeRespIsHeldThenApplied) {
  smsc_sim::testing::RunningSimulator sim(smsc_sim::testing::TestConfig());
  StartPipeline({Smsc("sim", sim.port())});
  const std::string id = Enqueue("919876549999");
  EXPECT_EQ(WaitFor(id, MessageState::kDelivered).message.status_details, "DELIVRD");
}

TEST_F(PipelineTest, SmscFaultsEndInTheirStatus) {
  smsc_sim::testing::RunningSimulator sim(smsc_sim::testing::TestConfig());
  StartPipeline({Smsc("sim", sim.port())});
  const std::string rejected = Enqueue("919876549992");
  const std::string undeliv = Enqueue("919876549994");
  const std::string expired = Enqueue("919876549995");
  const std::string throttled = Enqueue("919876549991");
  const std::string queue_full = Enqueue("919876549998");
  EXPECT_EQ(WaitFor(rejected, MessageState::kNotSent).message.status_details, "ESME_RINVDSTADR");
  EXPECT_EQ(WaitFor(undeliv, MessageState::kUndelivered).message.status_details, "UNDELIV");
  EXPECT_EQ(WaitFor(expired, MessageState::kUndelivered).message.status_details, "EXPIRED");
  EXPECT_EQ(WaitFor(throttled, MessageState::kDelivered).attempts, 0);
  EXPECT_EQ(WaitFor(queue_full, MessageState::kDelivered).attempts, 0);
}

TEST_F(PipelineTest, NoRouteEndsNotSent) {
  smsc_sim::testing::RunningSimulator sim(smsc_sim::testing::TestConfig());
  config::SmscConfig us = Smsc("us-only", sim.port());
  us.prefixes = {"1"};
  StartPipeline({us});
  const std::string id = Enqueue("919876543210");
  EXPECT_EQ(WaitFor(id, MessageState::kNotSent).message.status_details, "NO-ROUTE");
}

TEST_F(PipelineTest, ConnectorDownFailsOverToTheNext) {
  smsc_sim::testing::RunningSimulator sim(smsc_sim::testing::TestConfig());
  config::SmscConfig down = Smsc("down", ClosedPort());
  down.priority = 0;
  config::SmscConfig up = Smsc("backup", sim.port());
  up.priority = 1;
  StartPipeline({down, up});
  const std::string id = Enqueue("919876543210");
  const store::MessageDetail d = WaitFor(id, MessageState::kDelivered);
  ASSERT_EQ(d.parts.size(), 1u);
  EXPECT_EQ(d.parts[0].connector, "backup");
}

TEST_F(PipelineTest, NoBoundConnectorLeavesTheMessageQueuedUntilOneBinds) {
  const uint16_t port = ClosedPort();
  StartPipeline({Smsc("late", port)});
  const std::string id = Enqueue("919876543210");
  // Past the bind grace (2 s here): a claim now could only end in a NO-BIND retry.
  std::this_thread::sleep_for(2300ms);
  const store::MessageDetail waiting = *store_->GetDetail(fakes::MakeMessage("x:1").sid, id);
  EXPECT_EQ(waiting.message.state, MessageState::kQueued);
  EXPECT_EQ(waiting.attempts, 0) << "claimed and handed back while nothing could send it";
  EXPECT_EQ(dispatcher_->stats().claimed, 0u);

  // The SMSC comes up on the connector's port: the next reconnect binds, and it is sent.
  smsc_sim::SimulatorConfig late = smsc_sim::testing::TestConfig();
  late.listen_port = port;
  smsc_sim::testing::RunningSimulator sim(late);
  const store::MessageDetail d = WaitFor(id, MessageState::kDelivered);
  EXPECT_EQ(d.attempts, 0);
}

TEST_F(PipelineTest, NoResponseIsRetriedWithoutHoldingUpOthers) {
  smsc_sim::testing::RunningSimulator sim(smsc_sim::testing::TestConfig());
  config::SmscConfig smsc = Smsc("sim", sim.port());
  smsc.response_timeout = std::chrono::seconds(1);
  StartPipeline({smsc});
  const std::string silent = Enqueue("919876549993");
  const std::string other = Enqueue("919876543210");
  WaitFor(other, MessageState::kDelivered);
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  store::MessageDetail d;
  while (std::chrono::steady_clock::now() < deadline) {
    d = *store_->GetDetail(fakes::MakeMessage("x:1").sid, silent);
    if (d.attempts >= 1) {
      break;
    }
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_GE(d.attempts, 1);
  EXPECT_NE(d.last_error.find("response"), std::string::npos) << d.last_error;
  EXPECT_FALSE(core::IsFinal(d.message.state));
}

TEST_F(PipelineTest, LinkDropsAreRetriedWithoutLosingOthers) {
  smsc_sim::testing::RunningSimulator sim(smsc_sim::testing::TestConfig());
  StartPipeline({Smsc("sim", sim.port())});
  std::vector<std::string> ids;
  for (int i = 0; i < 50; ++i) {
    ids.push_back(Enqueue("91987654" + std::to_string(1000 + i)));
  }
  const std::string dropper = Enqueue("919876549990");
  for (const std::string& id : ids) {
    WaitFor(id, MessageState::kDelivered);
  }
  auto d = store_->GetDetail(fakes::MakeMessage("x:1").sid, dropper);
  ASSERT_TRUE(d);
  EXPECT_FALSE(core::IsFinal(d->message.state));
}

TEST_F(PipelineTest, ExpiredInQueueEndsNotSent) {
  smsc_sim::testing::RunningSimulator sim(smsc_sim::testing::TestConfig());
  StartPipeline({Smsc("sim", sim.port())});
  core::Message m = fakes::MakeMessage(core::NewUuid() + ":1");
  m.created_at = clock_.Now() - std::chrono::hours(49);
  ASSERT_TRUE(store_->Enqueue(std::span(&m, 1)));
  EXPECT_EQ(WaitFor(m.id, MessageState::kNotSent).message.status_details, "EXPIRED");
}

// A validity of its own (an SMPP submit's validity_period) shorter than [delivery] validity:
// past it, the message ends as the gateway's expiry ends it, and is never submitted.
TEST_F(PipelineTest, ItsOwnExpiryEndsItNotSentBeforeTheGatewaysValidity) {
  smsc_sim::testing::RunningSimulator sim(smsc_sim::testing::TestConfig());
  StartPipeline({Smsc("sim", sim.port())});
  core::Message m = fakes::MakeMessage(core::NewUuid() + ":1");
  m.created_at = clock_.Now() - std::chrono::minutes(10);
  m.expires_at = clock_.Now() - std::chrono::seconds(1);
  ASSERT_TRUE(store_->Enqueue(std::span(&m, 1)));
  const std::string fresh = Enqueue("919876543210");  // without one: sent as usual
  const auto expired = WaitFor(m.id, MessageState::kNotSent);
  EXPECT_EQ(expired.message.status_details, "EXPIRED");
  EXPECT_TRUE(expired.parts.empty()) << "never submitted";
  EXPECT_EQ(WaitFor(fresh, MessageState::kDelivered).message.status_details, "DELIVRD");
}

TEST_F(PipelineTest, StopHandsBackWhatIsNotSentAndARestartFinishesIt) {
  smsc_sim::testing::RunningSimulator sim(smsc_sim::testing::TestConfig());
  StartPipeline({Smsc("sim", sim.port())});
  std::vector<std::string> ids;
  for (int i = 0; i < 500; ++i) {
    ids.push_back(Enqueue("91987650" + std::to_string(1000 + i)));
  }
  StopPipeline();
  auto released = store_->ReleaseClaims("test-node/2", clock_.Now());
  ASSERT_TRUE(released) << released.error().message;
  io_.restart();
  guard_.emplace(asio::make_work_guard(io_));
  StartPipeline({Smsc("sim", sim.port())});
  for (const std::string& id : ids) {
    WaitFor(id, MessageState::kDelivered);
  }
}

TEST_F(PipelineTest, LinkDroppedMidWindowLosesNothing) {
  smsc_sim::testing::RunningSimulator sim(smsc_sim::testing::TestConfig());
  StartPipeline({Smsc("sim", sim.port())});
  std::vector<std::string> ids;
  for (int i = 0; i < 2000; ++i) {
    ids.push_back(Enqueue("91987650" + std::to_string(1000 + i)));
  }
  // Drop while the window is full (some accepted, some in flight, some queued), twice.
  for (int drop = 0; drop < 2; ++drop) {
    const auto deadline = std::chrono::steady_clock::now() + kWait;
    while (dispatcher_->stats().parts_submitted < 300u * (drop + 1) &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(1ms);
    }
    sim.sim().DropConnections();
  }
  for (const std::string& id : ids) {
    WaitFor(id, MessageState::kDelivered);
  }
}

// Parts of each message, in the order the simulator accepted them, from its PDU log: the UDH
// (05 00 03 ref total seq) gives the part number; only accepted submits carry a message_id
// (a throttled one is logged too, without).
std::map<std::string, std::vector<int>> PartOrderByDestination(const std::string& log_path) {
  std::map<std::string, std::vector<int>> out;
  std::ifstream in(log_path);
  std::string line;
  const std::regex submit(
      R"re("dir":"in".*"command":"submit_sm".*"dest":"(\d+)".*"short_message":"050003[0-9a-f]{4}([0-9a-f]{2}))re");
  std::smatch m;
  while (std::getline(in, line)) {
    if (line.find("\"message_id\"") != std::string::npos && std::regex_search(line, m, submit)) {
      out[m[1]].push_back(std::stoi(m[2], nullptr, 16));
    }
  }
  return out;
}

TEST_F(PipelineTest, ThrottleStormKeepsPartsInOrder) {
  smsc_sim::SimulatorConfig config = smsc_sim::testing::TestConfig();
  config.max_rate = 30;  // per second: a burst of 120 parts is mostly answered ESME_RTHROTTLED
  config.log_path = dir_.File("pdus.jsonl");
  smsc_sim::testing::RunningSimulator sim(config);
  StartPipeline({Smsc("sim", sim.port())});
  std::vector<std::string> ids;
  for (int i = 0; i < 40; ++i) {
    ids.push_back(Enqueue("91987650" + std::to_string(1000 + i), std::string(400, 'a' + i % 26)));
  }
  for (const std::string& id : ids) {
    EXPECT_EQ(WaitFor(id, MessageState::kDelivered).parts.size(), 3u);
  }
  EXPECT_GT(connectors_[0]->stats()[0].throttled, 10u);
  const auto order = PartOrderByDestination(config.log_path);
  EXPECT_EQ(order.size(), ids.size());
  for (const auto& [dest, parts] : order) {
    EXPECT_EQ(parts, (std::vector<int>{1, 2, 3})) << dest;
  }
}

// --- inbound (MO) messages

// The pipeline with an InboundHandler behind its connectors. `wrap`, when given, stands between
// the connectors and the handler, as a lossy network or a lost answer would.
class InboundPipelineTest : public PipelineTest {
 protected:
  using Wrap = std::function<MoHandler(MoHandler)>;

  void TearDown() override {
    StopPipeline();  // the connectors first: they hand MO messages to the handler
    if (inbound_) {
      inbound_->Stop();
    }
  }

  void StartInbound(uint16_t port, InboundOptions options = {}, const Wrap& wrap = nullptr) {
    inbound_ = std::make_unique<InboundHandler>(*store_, clock_, options);
    MoHandler mo = inbound_->AsMoHandler();
    StartPipeline({Smsc("sim", port)}, wrap ? wrap(std::move(mo)) : std::move(mo));
  }

  // Has the simulator send `request` once the connector's bind is up (it sends MO only to a bound
  // receiver); the number of parts it sent.
  size_t Inject(smsc_sim::testing::RunningSimulator& sim, smsc_sim::MoRequest request) {
    const auto deadline = std::chrono::steady_clock::now() + kWait;
    while (!connectors_[0]->bound() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(5ms);
    }
    auto sent = sim.sim().InjectMo(std::move(request)).get();
    EXPECT_TRUE(sent) << sent.error().message;
    return sent ? sent->sequence_numbers.size() : 0;
  }

  // Waits until `n` inbound messages are stored; returns them newest first.
  std::vector<store::InboundMessage> WaitForInbound(size_t n) {
    const auto deadline = std::chrono::steady_clock::now() + kWait;
    std::vector<store::InboundMessage> stored;
    while (std::chrono::steady_clock::now() < deadline) {
      auto listed = store_->ListInbound("", 100, store::InboundFilter::kAll);
      EXPECT_TRUE(listed) << listed.error().message;
      if (listed && listed->size() >= n) {
        return *listed;
      }
      std::this_thread::sleep_for(10ms);
    }
    ADD_FAILURE() << n << " inbound messages were never stored";
    return stored;
  }

  // The handler counts a part or a message after the commit that stores it, so a reader can see
  // the message before the counter moves: waits until `done(stats)`, and returns the stats.
  template <class Done>
  InboundStats WaitForStats(Done done) {
    const auto deadline = std::chrono::steady_clock::now() + kWait;
    InboundStats s = inbound_->stats();
    while (!done(s) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(5ms);
      s = inbound_->stats();
    }
    return s;
  }

  size_t WaitingParts() {
    auto n = store_->CountWaitingInboundParts();
    EXPECT_TRUE(n) << n.error().message;
    return n ? *n : 0;
  }

  std::unique_ptr<InboundHandler> inbound_;
};

smsc_sim::MoRequest MoFor(std::string text, text::UnicodeMode encoding,
                          text::ConcatMethod concat = text::ConcatMethod::kUdh8) {
  smsc_sim::MoRequest r;
  r.from = "+14155550100";
  r.to = "56767";
  r.text = std::move(text);
  r.encoding = encoding;
  r.concat = concat;
  return r;
}

// The part number of an MO PDU (1 when it is not concatenated).
int PartNumber(const smpp::codec::Pdu& pdu) {
  auto part = ReadMoPart(pdu, "", core::TimePoint());
  return part && part->concat ? part->concat->seqnum : 1;
}

TEST_F(InboundPipelineTest, AGsmMoIsStored) {
  smsc_sim::testing::RunningSimulator sim(smsc_sim::testing::TestConfig());
  StartInbound(sim.port());
  const std::string text = "Hello from a handset: {ok} 5\u20AC @home";
  ASSERT_EQ(Inject(sim, MoFor(text, text::UnicodeMode::kGsm7)), 1u);
  const auto stored = WaitForInbound(1);
  ASSERT_EQ(stored.size(), 1u);
  const store::InboundMessage& m = stored[0];
  EXPECT_EQ(m.text, text);
  EXPECT_EQ(m.connector, "sim");
  EXPECT_EQ(m.source, "14155550100");
  EXPECT_EQ(m.destination, "56767");
  EXPECT_EQ(m.parts_total, 1);
  EXPECT_EQ(m.parts_received, 1);
  EXPECT_TRUE(m.parts_missing.empty());
  EXPECT_EQ(m.received_at, m.stored_at);
  EXPECT_EQ(sim.sim().stats().deliveries_dropped, 0u);
}

TEST_F(InboundPipelineTest, AMultipartUcs2MoWithUdhIsStoredWhole) {
  smsc_sim::testing::RunningSimulator sim(smsc_sim::testing::TestConfig());
  StartInbound(sim.port());
  std::string text;
  for (int i = 0; i < 20; ++i) {
    text += "\u041F\u0440\u0438\u0432\u0435\u0442 \U0001F44B " + std::to_string(i) + " ";
  }
  const size_t parts = Inject(sim, MoFor(text, text::UnicodeMode::kUcs2));
  ASSERT_GE(parts, 3u);
  const auto stored = WaitForInbound(1);
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].text, text);
  EXPECT_EQ(stored[0].parts_total, static_cast<int>(parts));
  EXPECT_EQ(stored[0].parts_received, static_cast<int>(parts));
  EXPECT_TRUE(stored[0].parts_missing.empty());
  EXPECT_EQ(WaitingParts(), 0u);
  EXPECT_EQ(WaitForStats([&](const InboundStats& s) { return s.parts >= parts; }).parts, parts);
}

TEST_F(InboundPipelineTest, SarAndSixteenBitUdhMultipartMosAreStoredWhole) {
  smsc_sim::testing::RunningSimulator sim(smsc_sim::testing::TestConfig());
  StartInbound(sim.port());
  const std::string sar = "SAR " + std::string(400, 's') + " [end]";
  const std::string udh16 = "UDH16 " + std::string(350, 'u') + " ~end~";
  ASSERT_EQ(Inject(sim, MoFor(sar, text::UnicodeMode::kGsm7, text::ConcatMethod::kSar)), 3u);
  ASSERT_EQ(Inject(sim, MoFor(udh16, text::UnicodeMode::kGsm7, text::ConcatMethod::kUdh16)), 3u);
  const auto stored = WaitForInbound(2);
  ASSERT_EQ(stored.size(), 2u);
  std::set<std::string> texts = {stored[0].text, stored[1].text};
  EXPECT_EQ(texts, (std::set<std::string>{sar, udh16}));
  for (const store::InboundMessage& m : stored) {
    EXPECT_EQ(m.parts_total, 3);
    EXPECT_EQ(m.parts_received, 3);
  }
  EXPECT_EQ(WaitingParts(), 0u);
}

TEST_F(InboundPipelineTest, APartThatNeverComesIsStoredIncompleteAfterTheTimeout) {
  smsc_sim::testing::RunningSimulator sim(smsc_sim::testing::TestConfig());
  InboundOptions options;
  options.reassembly_timeout = 300ms;
  options.sweep_interval = 20ms;
  // Part 2 is lost on the way: acknowledged, never handed over.
  StartInbound(sim.port(), options, [](MoHandler inner) -> MoHandler {
    return [inner](std::string_view connector,
                   smpp::codec::Pdu pdu) -> smpp::asio::awaitable<uint32_t> {
      if (PartNumber(pdu) == 2) {
        co_return 0;
      }
      co_return co_await inner(connector, std::move(pdu));
    };
  });
  const std::string a(153, 'a'), b(153, 'b'), c(100, 'c');
  ASSERT_EQ(Inject(sim, MoFor(a + b + c, text::UnicodeMode::kGsm7)), 3u);
  const auto stored = WaitForInbound(1);
  ASSERT_EQ(stored.size(), 1u);
  const store::InboundMessage& m = stored[0];
  EXPECT_EQ(m.text, a + std::string(kMissingPartMarker) + c);
  EXPECT_EQ(m.parts_total, 3);
  EXPECT_EQ(m.parts_received, 2);
  EXPECT_EQ(m.parts_missing, std::vector<int>{2});
  EXPECT_GE(m.stored_at - m.received_at, options.reassembly_timeout);
  EXPECT_EQ(WaitingParts(), 0u);
  EXPECT_EQ(WaitForStats([](const InboundStats& s) { return s.incomplete >= 1; }).incomplete, 1u);
}

TEST_F(InboundPipelineTest, APartSentAgainIsNotStoredTwice) {
  smsc_sim::testing::RunningSimulator sim(smsc_sim::testing::TestConfig());
  // Parts 1 and 3 are stored, but our answer is lost the first time (the SMSC sees a temporary
  // error) and the simulator sends them again after its deliver_retry. Part 3 completes the
  // message, so its second copy arrives after the message was stored.
  auto seen = std::make_shared<std::set<int>>();
  StartInbound(sim.port(), {}, [seen](MoHandler inner) -> MoHandler {
    return [inner, seen](std::string_view connector,
                         smpp::codec::Pdu pdu) -> smpp::asio::awaitable<uint32_t> {
      const int part = PartNumber(pdu);
      const uint32_t status = co_await inner(connector, std::move(pdu));
      if (part != 2 && seen->insert(part).second) {
        co_return static_cast<uint32_t>(smpp::codec::CommandStatus::kTemporaryAppError);
      }
      co_return status;
    };
  });
  const std::string text = std::string(153, 'x') + std::string(153, 'y') + "z";
  ASSERT_EQ(Inject(sim, MoFor(text, text::UnicodeMode::kGsm7)), 3u);
  // Three parts and two second copies answered.
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  while (sim.sim().stats().received["deliver_sm_resp"] < 5 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  ASSERT_EQ(sim.sim().stats().received["deliver_sm_resp"], 5u);
  const auto stored = WaitForInbound(1);
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].text, text);
  EXPECT_EQ(WaitingParts(), 0u);
  const InboundStats s = inbound_->stats();
  EXPECT_EQ(s.parts, 3u);
  EXPECT_EQ(s.repeats, 2u);
  EXPECT_EQ(s.messages, 1u);
  EXPECT_EQ(sim.sim().stats().deliveries_dropped, 0u);
}

}  // namespace
}  // namespace smsgw::delivery
