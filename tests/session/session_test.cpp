// The ESME session (src/smpp/session.h) against the SMSC simulator (src/smsc_sim) on 127.0.0.1,
// in one process: both live on one io_context run by one thread, as in the gateway. Faults
// come from the simulator's destination table (docs/simulator.md). Timeouts are set short so
// the suite stays fast; every wait has a deadline.

#include "smpp/session.h"

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "smpp/codec/command_status.h"
#include "smpp/codec/receipt.h"
#include "smpp/codec/submit_builder.h"
#include "smsc_sim/simulator.h"

namespace smsgw::smpp {
namespace {

using namespace std::chrono_literals;
using codec::CommandStatus;

constexpr auto kWait = 20s;  // upper bound for anything that should happen "soon"

codec::SubmitSm Sm(std::string to, std::string text = "hello", uint8_t registered = 1) {
  codec::SubmitFields fields;
  fields.source = "SMSGW";
  fields.destination = std::move(to);
  fields.registered_delivery = registered;
  auto submits = codec::BuildMessageSubmits(text, text::UnicodeMode::kAuto, {}, fields);
  EXPECT_TRUE(submits.has_value());
  return submits->front();
}

class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_config_.listen_port = 0;
    sim_config_.receipt_delay = 20ms;
    sim_config_.slow_response = 300ms;
    sim_config_.deliver_retry = 100ms;
  }

  void TearDown() override {
    if (session_) {
      std::promise<void> stopped;
      session_->Stop([&] { stopped.set_value(); });
      EXPECT_EQ(stopped.get_future().wait_for(kWait), std::future_status::ready);
    }
    if (sim_) {
      sim_->Stop();
    }
    work_.reset();
    if (thread_.joinable()) {
      thread_.join();
    }
  }

  // Starts the simulator and the session; the loop thread runs both.
  void Start(SessionConfig config = {}, InboundHandler inbound = {}) {
    sim_ = std::make_unique<smsc_sim::Simulator>(io_, sim_config_);
    config.port = sim_->Start();
    config.system_id = config.system_id.empty() ? "smsgw" : config.system_id;
    config.password = config.password.empty() ? "smsgw" : config.password;
    if (!inbound) {
      inbound = [this](codec::Pdu pdu) -> asio::awaitable<uint32_t> {
        std::lock_guard lock(mu_);
        inbound_.push_back(std::move(pdu));
        co_return 0;
      };
    }
    session_ = std::make_unique<Session>(io_, std::move(config), std::move(inbound));
    session_->Start();
    thread_ = std::thread([this] { io_.run(); });
  }

  template <class T>
  T Await(asio::awaitable<T> task) {
    auto future = asio::co_spawn(io_, std::move(task), asio::use_future);
    EXPECT_EQ(future.wait_for(kWait), std::future_status::ready);
    return future.get();
  }
  bool WaitBound() { return Await(session_->WaitBound(10s)); }
  SubmitResult Submit(codec::SubmitSm sm, SubmitOptions options = {}) {
    return Await(session_->Submit(std::move(sm), options));
  }
  // Submits from the loop without waiting; the futures complete with the outcomes.
  std::vector<std::future<SubmitResult>> SubmitAll(std::vector<codec::SubmitSm> sms,
                                                   std::vector<SubmitOptions> options = {}) {
    std::vector<std::future<SubmitResult>> futures;
    for (size_t i = 0; i < sms.size(); ++i) {
      auto promise = std::make_shared<std::promise<SubmitResult>>();
      futures.push_back(promise->get_future());
      session_->Submit(std::move(sms[i]), i < options.size() ? options[i] : SubmitOptions{},
                       [promise](SubmitResult r) { promise->set_value(std::move(r)); });
    }
    return futures;
  }
  // Polls `done` (cheap reads of atomics or snapshots) until true or the deadline.
  template <class F>
  bool Eventually(F done, std::chrono::milliseconds limit = kWait) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) {
        return false;
      }
      std::this_thread::sleep_for(5ms);
    }
    return true;
  }
  size_t Inbound() {
    std::lock_guard lock(mu_);
    return inbound_.size();
  }
  uint64_t SimReceived(const std::string& command) {
    const auto stats = sim_->stats();
    const auto it = stats.received.find(command);
    return it == stats.received.end() ? 0 : it->second;
  }

  asio::io_context io_{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_{
      io_.get_executor()};
  smsc_sim::SimulatorConfig sim_config_;
  std::unique_ptr<smsc_sim::Simulator> sim_;
  std::unique_ptr<Session> session_;
  std::thread thread_;
  std::mutex mu_;
  std::vector<codec::Pdu> inbound_;
};

TEST_F(SessionTest, SubmitsAndReceivesTheReceipt) {
  Start();
  ASSERT_TRUE(WaitBound());
  const SubmitResult result = Submit(Sm("+14155550100"));
  ASSERT_FALSE(result.status) << result.status.message();
  EXPECT_FALSE(result.message_id.empty());
  ASSERT_TRUE(Eventually([&] { return Inbound() == 1; }));
  std::lock_guard lock(mu_);
  const auto& deliver = std::get<codec::DeliverSm>(inbound_[0].body);
  const auto receipt = codec::ParseReceipt(deliver);
  ASSERT_TRUE(receipt.has_value());
  EXPECT_EQ(receipt->message_id, result.message_id);
  EXPECT_EQ(receipt->state, codec::MessageState::kDelivered);
  const auto stats = session_->stats();
  EXPECT_EQ(stats.binds_up, 1);
  EXPECT_EQ(stats.submits_sent, 1u);
  EXPECT_EQ(stats.submits_accepted, 1u);
  EXPECT_EQ(stats.responses_by_status.at(0), 1u);
}

TEST_F(SessionTest, TransmitterAndReceiverPair) {
  SessionConfig config;
  config.bind = BindType::kPair;
  Start(config);
  ASSERT_TRUE(WaitBound());
  ASSERT_TRUE(Eventually([&] { return session_->stats().binds_up == 2; }));
  EXPECT_EQ(SimReceived("bind_transmitter"), 1u);
  EXPECT_EQ(SimReceived("bind_receiver"), 1u);
  ASSERT_FALSE(Submit(Sm("+14155550100")).status);
  // The receipt comes over the receiver link.
  EXPECT_TRUE(Eventually([&] { return Inbound() == 1; }));
}

TEST_F(SessionTest, ReceiverOnlyCannotSubmit) {
  SessionConfig config;
  config.bind = BindType::kReceiver;
  Start(config);
  ASSERT_TRUE(Eventually([&] { return session_->stats().binds_up == 1; }));
  EXPECT_EQ(SimReceived("bind_receiver"), 1u);
  const SubmitResult result = Submit(Sm("+14155550100"));
  EXPECT_EQ(result.status, SessionError::kNoTransmitter);
  EXPECT_FALSE(IsRetriable(result.status));
}

TEST_F(SessionTest, BindRefusedIsReportedAndNotRetriedInALoop) {
  SessionConfig config;
  config.password = "wrong";
  config.reconnect = {10ms, 20ms, 2.0};
  config.bind_refused_retry = 60s;
  Start(config);
  EXPECT_FALSE(WaitBound());
  std::promise<std::error_code> error;
  asio::post(io_, [&] { error.set_value(session_->last_bind_error()); });
  EXPECT_EQ(error.get_future().get(), CommandStatus::kInvalidPassword);
  std::this_thread::sleep_for(300ms);  // many reconnect intervals: none may be used
  const auto stats = session_->stats();
  EXPECT_EQ(stats.bind_failures, 1u);
  EXPECT_EQ(stats.connects, 1u);
  EXPECT_EQ(stats.binds_up, 0);
  EXPECT_EQ(Submit(Sm("+14155550100")).status, SessionError::kNotBound);
}

TEST_F(SessionTest, WindowLimitsOutstandingSubmits) {
  SessionConfig config;
  config.window = 3;
  config.response_timeout = 1500ms;
  Start(config);
  ASSERT_TRUE(WaitBound());
  std::vector<codec::SubmitSm> sms(5, Sm("+14155559993"));  // never answered
  auto futures = SubmitAll(std::move(sms));
  ASSERT_TRUE(Eventually([&] { return SimReceived("submit_sm") == 3; }));
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(SimReceived("submit_sm"), 3u);  // the window is full; the rest wait
  EXPECT_EQ(session_->stats().queued, 2u);
  EXPECT_EQ(session_->stats().window_in_use, 3u);
  for (auto& f : futures) {
    ASSERT_EQ(f.wait_for(kWait), std::future_status::ready);
    const SubmitResult r = f.get();
    EXPECT_EQ(r.status, SessionError::kResponseTimeout);
    EXPECT_TRUE(IsRetriable(r.status));
  }
  EXPECT_EQ(SimReceived("submit_sm"), 5u);
  EXPECT_EQ(session_->stats().response_timeouts, 5u);
}

TEST_F(SessionTest, LinkDropFailsTheWholeWindowAtOnceAndReconnects) {
  SessionConfig config;
  config.window = 5;
  config.response_timeout = 30s;  // a failure must not wait for this
  config.reconnect = {20ms, 100ms, 2.0};
  Start(config);
  ASSERT_TRUE(WaitBound());
  std::vector<codec::SubmitSm> sms(5, Sm("+14155559993"));
  sms.push_back(Sm("+14155550100"));  // queued behind the full window
  auto futures = SubmitAll(std::move(sms));
  ASSERT_TRUE(Eventually([&] { return SimReceived("submit_sm") == 5; }));
  const auto dropped_at = std::chrono::steady_clock::now();
  sim_->DropConnections();
  for (auto& f : futures) {
    ASSERT_EQ(f.wait_for(kWait), std::future_status::ready);
    EXPECT_EQ(f.get().status, SessionError::kLinkDown);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - dropped_at, 5s);
  EXPECT_EQ(session_->stats().link_failures, 5u);
  ASSERT_TRUE(Eventually([&] { return session_->bound(); }));
  EXPECT_GE(session_->stats().reconnects, 1u);
  EXPECT_FALSE(Submit(Sm("+14155550100")).status);
}

TEST_F(SessionTest, SmscClosingTheLinkMidWindow) {
  SessionConfig config;
  config.reconnect = {20ms, 100ms, 2.0};
  Start(config);
  ASSERT_TRUE(WaitBound());
  EXPECT_EQ(Submit(Sm("+14155559990")).status, SessionError::kLinkDown);
  ASSERT_TRUE(Eventually([&] { return session_->bound(); }));
}

TEST_F(SessionTest, ThrottleStormPausesWithoutFailingOrReordering) {
  SessionConfig config;
  config.window = 10;
  config.throttle_pause = 30ms;
  Start(config);
  ASSERT_TRUE(WaitBound());
  // Three 3-part messages to the destination that throttles two submits in three, and some
  // single messages around them; parts share an order key per message.
  std::vector<codec::SubmitSm> sms;
  std::vector<SubmitOptions> options;
  std::string long_text(400, 'x');
  for (uint64_t message = 1; message <= 3; ++message) {
    codec::SubmitFields fields;
    fields.source = "SMSGW";
    fields.destination = "+1415555999" + std::to_string(message) + "9991";
    text::WireOptions wire;
    wire.reference = static_cast<uint16_t>(message);
    auto parts = codec::BuildMessageSubmits(long_text, text::UnicodeMode::kAuto, wire, fields);
    ASSERT_TRUE(parts.has_value());
    ASSERT_EQ(parts->size(), 3u);
    for (auto& part : *parts) {
      sms.push_back(std::move(part));
      options.push_back({message});
      sms.push_back(Sm("+14155550100"));
      options.push_back({});
    }
  }
  auto futures = SubmitAll(std::move(sms), options);
  std::vector<SubmitResult> results;
  for (auto& f : futures) {
    ASSERT_EQ(f.wait_for(kWait), std::future_status::ready);
    results.push_back(f.get());
    EXPECT_FALSE(results.back().status) << results.back().status.message();
  }
  EXPECT_GE(session_->stats().throttled, 9u);  // each part is throttled twice first
  // The simulator numbers the messages it accepts in order (hex ids): within each message,
  // part 1 was accepted before part 2 before part 3.
  for (size_t message = 0; message < 3; ++message) {
    uint64_t previous = 0;
    for (size_t part = 0; part < 3; ++part) {
      const uint64_t id = std::stoull(results[message * 6 + part * 2].message_id, nullptr, 16);
      EXPECT_GT(id, previous) << "message " << message << " part " << part;
      previous = id;
    }
  }
}

TEST_F(SessionTest, MaxRateThrottlingStillDeliversEverything) {
  sim_config_.max_rate = 50;
  SessionConfig config;
  config.throttle_pause = 50ms;
  Start(config);
  ASSERT_TRUE(WaitBound());
  auto futures = SubmitAll(std::vector<codec::SubmitSm>(120, Sm("+14155550100", "m", 0)));
  for (auto& f : futures) {
    ASSERT_EQ(f.wait_for(kWait), std::future_status::ready);
    EXPECT_FALSE(f.get().status);
  }
  EXPECT_GT(session_->stats().throttled, 0u);
}

TEST_F(SessionTest, TpsLimitSpacesSubmits) {
  SessionConfig config;
  config.tps = 40;  // burst 4
  Start(config);
  ASSERT_TRUE(WaitBound());
  const auto start = std::chrono::steady_clock::now();
  auto futures = SubmitAll(std::vector<codec::SubmitSm>(44, Sm("+14155550100", "m", 0)));
  for (auto& f : futures) {
    ASSERT_EQ(f.wait_for(kWait), std::future_status::ready);
    EXPECT_FALSE(f.get().status);
  }
  // 40 beyond the burst at 40 a second: at least a second (a lower bound only).
  EXPECT_GE(std::chrono::steady_clock::now() - start, 950ms);
}

TEST_F(SessionTest, PermanentErrorIsNotRetriable) {
  Start();
  ASSERT_TRUE(WaitBound());
  const SubmitResult result = Submit(Sm("+14155559992"));
  EXPECT_EQ(result.status, CommandStatus::kInvalidDestAddress);
  EXPECT_FALSE(IsRetriable(result.status));
  EXPECT_EQ(session_->stats().responses_by_status.at(0x0B), 1u);
}

TEST_F(SessionTest, SmscUnbindIsAnsweredAndTheSessionBindsAgain) {
  SessionConfig config;
  config.reconnect = {20ms, 100ms, 2.0};
  Start(config);
  ASSERT_TRUE(WaitBound());
  sim_->UnbindAll();
  ASSERT_TRUE(Eventually([&] { return session_->stats().unbinds_received == 1; }));
  ASSERT_TRUE(Eventually([&] { return SimReceived("bind_transceiver") == 2; }));
  ASSERT_TRUE(Eventually([&] { return session_->bound(); }));
  EXPECT_EQ(sim_->stats().received.at("unbind_resp"), 1u);
  EXPECT_FALSE(Submit(Sm("+14155550100")).status);
}

TEST_F(SessionTest, SilentLinkIsProbedThenClosed) {
  SessionConfig config;
  config.enquire_link = 100ms;
  config.response_timeout = 300ms;
  config.reconnect = {20ms, 50ms, 2.0};
  Start(config);
  ASSERT_TRUE(WaitBound());
  // Answered enquire_links keep the link up.
  ASSERT_TRUE(Eventually([&] { return SimReceived("enquire_link") >= 2; }));
  EXPECT_TRUE(session_->bound());
  EXPECT_EQ(session_->stats().reconnects, 0u);
  sim_->SetMute(true);
  ASSERT_TRUE(Eventually([&] { return !session_->bound(); }, 5s));
  sim_->SetMute(false);
  ASSERT_TRUE(Eventually([&] { return session_->bound(); }));
  EXPECT_GE(session_->stats().reconnects, 1u);
}

TEST_F(SessionTest, InboundIsAcknowledgedOnlyAfterHandOver) {
  // The handler refuses the first MO with a temporary error; the SMSC must send it again, and
  // the second is acknowledged once the handler has it.
  std::atomic<int> calls{0};
  Start({}, [&](codec::Pdu pdu) -> asio::awaitable<uint32_t> {
    if (calls.fetch_add(1) == 0) {
      co_return static_cast<uint32_t>(CommandStatus::kTemporaryAppError);
    }
    std::lock_guard lock(mu_);
    inbound_.push_back(std::move(pdu));
    co_return 0;
  });
  ASSERT_TRUE(WaitBound());
  smsc_sim::MoRequest mo;
  mo.from = "+14155550100";
  mo.to = "56767";
  mo.text = "JOIN now";
  auto sent = sim_->InjectMo(mo);
  ASSERT_EQ(sent.wait_for(kWait), std::future_status::ready);
  ASSERT_TRUE(sent.get().has_value());
  ASSERT_TRUE(Eventually([&] { return Inbound() == 1; }));
  EXPECT_EQ(calls.load(), 2);
  std::lock_guard lock(mu_);
  const auto& deliver = std::get<codec::DeliverSm>(inbound_[0].body);
  EXPECT_EQ(std::string(deliver.short_message.begin(), deliver.short_message.end()), "JOIN now");
  EXPECT_EQ(session_->stats().inbound, 2u);
}

TEST_F(SessionTest, StopDrainsTheWindowThenUnbinds) {
  SessionConfig config;
  config.drain_timeout = 5s;
  Start(config);
  ASSERT_TRUE(WaitBound());
  auto futures = SubmitAll({Sm("+14155559996")});  // answered after 300 ms
  ASSERT_TRUE(Eventually([&] { return SimReceived("submit_sm") == 1; }));
  std::promise<void> stopped;
  session_->Stop([&] { stopped.set_value(); });
  ASSERT_EQ(stopped.get_future().wait_for(kWait), std::future_status::ready);
  ASSERT_EQ(futures[0].wait_for(0s), std::future_status::ready);
  EXPECT_FALSE(futures[0].get().status);  // answered before the unbind
  EXPECT_EQ(SimReceived("unbind"), 1u);
  EXPECT_EQ(Submit(Sm("+14155550100")).status, SessionError::kStopped);
  session_.reset();
}

// A bind lease granted again (delivery/bind_keeper.h) starts a stopped session anew: it binds
// and submits as before.
TEST_F(SessionTest, AStoppedSessionStartsAgain) {
  Start();
  ASSERT_TRUE(WaitBound());
  std::promise<void> stopped;
  session_->Stop([&] { stopped.set_value(); });
  ASSERT_EQ(stopped.get_future().wait_for(kWait), std::future_status::ready);
  EXPECT_FALSE(session_->bound());
  EXPECT_EQ(sim_->stats().bound, 0u);
  session_->Start();
  ASSERT_TRUE(Eventually([&] { return session_->bound(); }));
  EXPECT_EQ(SimReceived("bind_transceiver"), 2u);
  EXPECT_FALSE(Submit(Sm("+14155550100")).status);
}

// A start asked for while a stop drains follows the stop; a stop after it wins again.
TEST_F(SessionTest, AStartDuringAStopFollowsItAndALaterStopWins) {
  SessionConfig config;
  config.drain_timeout = 5s;
  Start(config);
  ASSERT_TRUE(WaitBound());
  auto futures = SubmitAll({Sm("+14155559996")});  // answered after 300 ms: the stop drains
  ASSERT_TRUE(Eventually([&] { return SimReceived("submit_sm") == 1; }));
  std::promise<void> first;
  session_->Stop([&] { first.set_value(); });
  session_->Start();
  ASSERT_EQ(first.get_future().wait_for(kWait), std::future_status::ready);
  ASSERT_TRUE(Eventually([&] { return session_->bound(); }));
  EXPECT_EQ(SimReceived("bind_transceiver"), 2u);

  futures = SubmitAll({Sm("+14155559996")});
  ASSERT_TRUE(Eventually([&] { return SimReceived("submit_sm") == 2; }));
  std::promise<void> second;
  session_->Stop([&] { second.set_value(); });
  session_->Start();
  std::promise<void> third;
  session_->Stop([&] { third.set_value(); });
  ASSERT_EQ(second.get_future().wait_for(kWait), std::future_status::ready);
  ASSERT_EQ(third.get_future().wait_for(kWait), std::future_status::ready);
  EXPECT_FALSE(Eventually([&] { return session_->bound(); }, 300ms));
  EXPECT_EQ(SimReceived("bind_transceiver"), 2u);
}

}  // namespace
}  // namespace smsgw::smpp
