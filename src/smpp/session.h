#pragma once
// An ESME session with one SMSC: binds (transmitter, receiver, transceiver, or a transmitter +
// receiver pair), keeps the link alive, and submits messages through a window.
//
//   - Submits wait in a FIFO queue and go out while the window (outstanding submit_sm) has room,
//     the token bucket allows (SessionConfig::tps), and no throttle pause is running. Each has
//     its own response deadline.
//   - ESME_RTHROTTLED / ESME_RMSGQFUL pause the whole session for throttle_pause; the refused
//     submit goes back to its place at the head of the queue and is sent again, so a throttle
//     neither fails a message nor reorders the queue. Submits that share an order key (the parts
//     of one message) are never outstanding together, so they reach the SMSC in order even
//     through a throttle storm.
//   - When a link drops, every outstanding and queued submit fails at once with
//     SessionError::kLinkDown (retriable), and the session reconnects with backoff and jitter. A
//     bind refused for its credentials is logged as such and retried after bind_refused_retry.
//   - enquire_link when the SMSC has been silent for `enquire_link`; the SMSC's are answered; a
//     link silent past its inactivity limit, or whose writes stall, is closed.
//   - deliver_sm and data_sm (receipts and MO) go to the InboundHandler; the response is sent
//     only once the handler has finished, with the status it returns, so an SMSC never sees a
//     receipt acknowledged that was not handed over.
//   - Stop() drains the window, unbinds, and closes. Start() again opens a new life of the
//     session (a bind lease granted again): a start asked for while a stop runs follows it.
//
// Threads: a session lives on one single-threaded io_context. Submit(…, callback), Start and
// Stop may be called from any thread; the awaitable Submit and WaitBound only from coroutines
// on the session's executor. Callbacks and the InboundHandler run on the session's thread.

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <unordered_map>
#include <vector>

#include "core/token_bucket.h"
#include "smpp/asio.h"
#include "smpp/backoff.h"
#include "smpp/codec/pdu.h"
#include "smpp/pdu_connection.h"
#include "smpp/session_config.h"
#include "smpp/session_error.h"
#include "smpp/session_stats.h"

namespace smsgw::smpp {

struct SubmitResult {
  // Empty when the SMSC accepted the submit_sm. Otherwise the SMSC's command_status
  // (codec::CommandStatus category) or why no answer came (SessionError); IsRetriable says
  // which of them may be tried again.
  std::error_code status;
  std::string message_id;  // the SMSC's id, as sent
};

struct SubmitOptions {
  // Submits with the same non-zero key are sent one at a time, in the order given.
  uint64_t order_key = 0;
};

using SubmitCallback = std::function<void(SubmitResult)>;

// Receives each deliver_sm / data_sm (pdu.body holds one or the other) and returns the
// command_status to answer with: 0 once it is safely handed over, ESME_RX_T_APPN (or another
// temporary status) to make the SMSC deliver it again later.
using InboundHandler = std::function<asio::awaitable<uint32_t>(codec::Pdu pdu)>;

class Session {
 public:
  Session(asio::io_context& context, SessionConfig config, InboundHandler inbound = {});
  // Call Stop() and let it finish before destroying a started session.
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Starts connecting and binding; after a Stop, once it has finished. Any thread. Do not
  // destroy the session while a Start is pending.
  void Start();

  // Graceful stop: queued submits fail with kStopped, outstanding ones get up to
  // drain_timeout for their responses, then every link unbinds and closes. `done` runs on the
  // session's thread when all links are closed. Any thread.
  void Stop(std::function<void()> done = {});
  asio::awaitable<void> AsyncStop();

  // Queues a submit_sm; `done` runs once with the outcome. Any thread.
  void Submit(codec::SubmitSm pdu, SubmitOptions options, SubmitCallback done);
  // The same as a coroutine, on the session's executor.
  asio::awaitable<SubmitResult> Submit(codec::SubmitSm pdu, SubmitOptions options = {});

  // Waits until a transmitting bind is up (true), or an attempt to connect and bind fails or
  // `timeout` passes (false; last_bind_error() tells). On the session's executor.
  asio::awaitable<bool> WaitBound(std::chrono::milliseconds timeout);

  // A transmitting bind is up. Any thread.
  bool bound() const { return transmit_bound_.load(std::memory_order_relaxed); }
  // Why the last attempt to connect and bind failed: the bind_resp status
  // (codec::CommandStatus), a socket error, or SessionError::kResponseTimeout; empty once a bind
  // succeeds. On the session's executor.
  std::error_code last_bind_error() const { return last_bind_error_; }
  const SessionConfig& config() const { return config_; }
  SessionStatsSnapshot stats() const { return stats_.Snapshot(); }
  asio::any_io_executor executor() { return context_.get_executor(); }

 private:
  struct Link;
  struct Queued {
    codec::SubmitSm pdu;
    SubmitOptions options;
    SubmitCallback done;
    uint64_t order = 0;  // position in submission order, for putting a throttled one back
  };
  struct Outstanding {
    Queued submit;
    Clock::time_point deadline;
    Link* link = nullptr;
  };

  void Begin();
  asio::awaitable<void> RunLink(Link& link);
  // With a TLS context: the handshake on the link's new connection; false (logged) when it
  // fails, true at once without TLS.
  asio::awaitable<bool> StartTls(Link& link);
  asio::awaitable<bool> Bind(Link& link);
  void Handle(Link& link, codec::Pdu pdu);
  void HandleSubmitResp(const codec::Pdu& pdu);
  asio::awaitable<void> HandleInbound(std::shared_ptr<PduConnection> conn, codec::Pdu pdu);
  asio::awaitable<void> Tick();
  void CheckLink(Link& link, Clock::time_point now);
  void LinkDown(Link& link);
  void Enqueue(Queued submit);
  void Pump();
  void ArmPump(Clock::time_point when);
  void Requeue(Queued submit);
  void FailQueued(std::error_code why);
  void Finish(Queued& submit, SubmitResult result);
  Link* TransmitLink();
  void UpdateBound();
  void WakeBoundWaiters();
  uint32_t NextSequence();
  asio::awaitable<void> Sleep(Link& link, std::chrono::milliseconds delay);
  asio::awaitable<void> Drain();

  asio::io_context& context_;
  const SessionConfig config_;
  const InboundHandler inbound_;
  std::vector<std::unique_ptr<Link>> links_;
  std::deque<Queued> queue_;
  std::unordered_map<uint32_t, Outstanding> window_;
  std::unordered_map<uint64_t, int> keys_outstanding_;
  core::TokenBucket bucket_;
  Clock::time_point paused_until_{};
  asio::steady_timer pump_timer_;
  bool pump_armed_ = false;
  asio::steady_timer tick_timer_;
  std::error_code last_bind_error_;
  uint64_t failed_attempts_ = 0;                    // connects and binds that failed, for WaitBound
  std::vector<asio::steady_timer*> bound_waiters_;  // WaitBound calls, woken by UpdateBound
  uint32_t sequence_ = 0;
  uint64_t next_order_ = 0;
  bool started_ = false;
  bool stopping_ = false;
  bool ticking_ = false;           // Tick runs (it ends last when a stop finishes)
  bool start_after_stop_ = false;  // Start came while a stop was running
  int links_running_ = 0;
  std::vector<std::function<void()>> on_stopped_;
  std::atomic<bool> transmit_bound_{false};
  SessionStats stats_;
};

}  // namespace smsgw::smpp
