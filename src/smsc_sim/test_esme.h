#pragma once
// Test support for the simulator's component tests: RunningSimulator runs a Simulator on
// 127.0.0.1 port 0 on its own thread; TestEsme is a raw SMPP client (a PduConnection on its own
// thread) whose received PDUs queue up for the test thread, which waits for them with
// deadlines; HttpCall talks to the control endpoint. Nothing here sleeps to synchronise except
// WaitUntil, which polls a condition until a deadline.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "smpp/asio.h"
#include "smpp/codec/pdu.h"
#include "smpp/pdu_connection.h"
#include "smsc_sim/simulator.h"

namespace smsgw::smsc_sim::testing {

namespace codec = smpp::codec;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// Generous: the tests run under ASan on a shared machine.
inline constexpr auto kWait = 10s;

// Short delays and two accounts: smsgw:smsgw and other:secret.
SimulatorConfig TestConfig();

class RunningSimulator {
 public:
  explicit RunningSimulator(SimulatorConfig config, bool with_control = false);
  ~RunningSimulator();  // Stop, then join the thread.

  Simulator& sim() { return *sim_; }
  uint16_t port() const { return port_; }
  uint16_t control_port() const { return control_port_; }

 private:
  smpp::asio::io_context io_{1};
  std::unique_ptr<Simulator> sim_;
  uint16_t port_ = 0;
  uint16_t control_port_ = 0;
  std::thread thread_;
};

class TestEsme {
 public:
  // Connects to 127.0.0.1:port; connected() says whether it worked.
  explicit TestEsme(uint16_t port);
  ~TestEsme();
  TestEsme(const TestEsme&) = delete;
  TestEsme& operator=(const TestEsme&) = delete;

  bool connected() const { return connected_; }

  // Sends a request with the next sequence number; returns that number.
  uint32_t Send(codec::Body body);
  void SendPdu(const codec::Pdu& pdu);

  // The first received PDU (queued or yet to come) that `match` accepts, removed from the
  // queue; PDUs before it stay queued. nullopt on deadline.
  std::optional<codec::Pdu> Await(const std::function<bool(const codec::Pdu&)>& match,
                                  Clock::duration timeout = kWait);
  std::optional<codec::Pdu> Response(uint32_t sequence, Clock::duration timeout = kWait);
  std::optional<codec::Pdu> NextDeliverSm(Clock::duration timeout = kWait);
  // Everything received so far, without waiting.
  std::deque<codec::Pdu> Drain();

  // Sends the bind and returns its response.
  std::optional<codec::Pdu> Bind(codec::BindMode mode, std::string system_id, std::string password);
  // Answers a deliver_sm with deliver_sm_resp `status`.
  void Ack(const codec::Pdu& deliver_sm, uint32_t status = 0);

  // Waits until the simulator closed the connection.
  bool WaitClosed(Clock::duration timeout = kWait);
  void Close();

 private:
  smpp::asio::awaitable<void> Run(uint16_t port, std::shared_ptr<std::promise<bool>> connected);

  smpp::asio::io_context io_{1};
  smpp::asio::executor_work_guard<smpp::asio::io_context::executor_type> work_;
  std::shared_ptr<smpp::PduConnection> conn_;  // touched on io_'s thread only
  bool connected_ = false;
  uint32_t next_sequence_ = 1;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<codec::Pdu> inbox_;
  bool closed_ = false;
  std::thread thread_;
};

// Polls `condition` until it holds or `timeout` passes.
bool WaitUntil(const std::function<bool()>& condition, Clock::duration timeout = kWait);

// The submit_sm tests send: GSM-7 "hello" from ACME, registered_delivery 1.
codec::SubmitSm MakeSubmit(std::string dest, uint8_t registered_delivery = 1,
                           std::string_view text = "hello");

// The short_message of a deliver_sm as text.
std::string ShortMessageText(const codec::Pdu& pdu);

struct HttpResult {
  int status = 0;  // 0 when the request failed
  std::string body;
};
HttpResult HttpCall(uint16_t port, const std::string& method, const std::string& target,
                    const std::string& body = "");

}  // namespace smsgw::smsc_sim::testing
