#pragma once
// Simulator is the SMSC simulator (`smsgw smsc-sim`, and in-process in tests): an SMPP 3.4
// server on loopback that binds the configured accounts, answers submit_sm with message ids,
// sends delivery receipts, injects MO messages, and misbehaves on demand by destination number
// (faults.h; docs/simulator.md has the table). Every PDU in and out is counted (stats()) and,
// with SimulatorConfig::log_path, logged as a JSON line (pdu_log.h).
//
// Threads: the simulator lives on one io_context run by one thread; its connections need no
// strand. Start and StartControl are called once each, before the context runs or from any one
// thread while it runs. The members marked thread-safe post their work to the context and may
// be called from anywhere; the ...Now members run on the context's thread only (the control
// endpoint uses them). Destroy the Simulator only after its io_context has stopped running.

#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.h"
#include "core/token_bucket.h"
#include "smpp/asio.h"
#include "smpp/codec/pdu.h"
#include "smpp/pdu_connection.h"
#include "smsc_sim/config.h"
#include "smsc_sim/delay_queue.h"
#include "smsc_sim/delivery_queue.h"
#include "smsc_sim/faults.h"
#include "smsc_sim/message_ids.h"
#include "smsc_sim/mo.h"
#include "smsc_sim/pdu_log.h"
#include "smsc_sim/receipts.h"
#include "smsc_sim/stats.h"

namespace smsgw::smsc_sim {

namespace asio = smpp::asio;
using smpp::tcp;

class ControlServer;

class Simulator {
 public:
  Simulator(asio::io_context& io, SimulatorConfig config);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  // Opens the PDU log (if configured), binds config.listen_host:listen_port and starts
  // accepting. Returns the bound port (port 0 picks a free one). Throws std::runtime_error or
  // boost::system::system_error when the log cannot be opened or the address bound.
  uint16_t Start();
  // Starts the HTTP control endpoint (control_server.h) on host:port; returns the bound port.
  // Throws as Start does.
  uint16_t StartControl(const std::string& host, uint16_t port);
  // Thread-safe. Stops accepting, closes every connection and the control endpoint, and drops
  // pending receipts and delayed responses; the context's run() then returns once the
  // connections' coroutines have ended (promptly: nothing waits without a deadline).
  void Stop();

  // Thread-safe. Close every connection bound as `system_id`, or every connection when empty.
  void DropConnections(std::string system_id = "");
  // Thread-safe. Send unbind on every bound connection; each is closed on unbind_resp or after
  // config.unbind_timeout.
  void UnbindAll();
  // Thread-safe. Muted, the simulator reads PDUs but answers none (not even enquire_link) and
  // sends nothing: receipts wait in the queue until it is unmuted. For link-silence tests.
  void SetMute(bool mute);
  // Thread-safe. Sends an MO to a bound receiver; the future is ready once it was sent (or
  // refused, as InjectMoNow). Needs the context to be running.
  std::future<core::Result<MoSent>> InjectMo(MoRequest request);
  // Thread-safe snapshot of the counters.
  Stats stats() const;

  // On the context's thread. Sends the MO's parts to a bound receiver or transceiver of
  // request.system_id (any system_id when empty). Errors: kInvalidArgument for a request
  // BuildMo refuses, kUnavailable when no such receiver is bound or the simulator is muted.
  core::Result<MoSent> InjectMoNow(const MoRequest& request);
  // On the context's thread; return how many connections were affected.
  size_t DropConnectionsNow(std::string_view system_id);
  size_t UnbindAllNow();

 private:
  struct Link;

  asio::awaitable<void> Accept();
  asio::awaitable<void> Serve(std::shared_ptr<Link> link);
  void Dispatch(const std::shared_ptr<Link>& link, const smpp::codec::Pdu& pdu);
  void HandleBind(Link& link, const smpp::codec::Pdu& pdu);
  // A bind counts from its bind_*_resp until unbind or close (ReleaseBind is idempotent).
  bool BindAllowed(std::string_view system_id) const;  // under config.max_binds
  void TakeBind(Link& link);
  void ReleaseBind(Link& link);
  void HandleSubmit(const std::shared_ptr<Link>& link, const smpp::codec::Pdu& pdu);
  void HandleDeliverResponse(Link& link, const smpp::codec::Pdu& pdu);
  void Forget(const std::shared_ptr<Link>& link);

  // Sends a receipt or MO to a receiver of `system_id`, or queues it until one binds.
  void Deliver(const std::string& system_id, QueuedDeliver item);
  uint32_t SendDeliver(Link& link, QueuedDeliver item);
  void FlushQueued(Link& link);
  Link* PickReceiver(std::string_view system_id);  // "" = any system_id
  void Send(Link& link, const smpp::codec::Pdu& pdu, std::string_view message_id = {});
  void CloseAfterWrite(const std::shared_ptr<Link>& link);
  void Count(Direction direction, const Link& link, const smpp::codec::Pdu& pdu,
             std::string_view message_id);
  void Watchdog();
  void SetMuteNow(bool mute);
  void StopNow();

  asio::io_context& io_;
  const SimulatorConfig config_;
  tcp::acceptor acceptor_;
  asio::steady_timer watchdog_;
  DelayQueue delayed_;
  FaultTable faults_;
  MessageIdGenerator ids_;
  DeliveryQueue queued_;
  std::unique_ptr<PduLog> log_;
  std::unique_ptr<ControlServer> control_;
  std::unordered_map<std::string, std::string> passwords_;
  std::unordered_map<std::string, core::TokenBucket> rates_;
  std::map<uint64_t, std::shared_ptr<Link>> links_;
  uint64_t next_link_id_ = 1;
  uint64_t next_receiver_ = 0;  // round-robin over receivers
  uint16_t next_mo_reference_ = 0;
  bool muted_ = false;
  bool stopped_ = false;

  mutable std::mutex stats_mu_;
  Stats stats_;
};

}  // namespace smsgw::smsc_sim
