#pragma once
// The Dispatcher moves due messages from the store to the SMSCs. A claim thread takes due
// messages from the store in batches (highest priority first) while fewer than `max_held` are in
// hand; on the delivery thread each claimed message is checked for expiry, routed to the first
// bound connector that carries it, queued by priority in that connector's lane, and fed to a
// session only while the session has fewer than two windows of messages outstanding. So an OTP
// claimed behind a marketing backlog waits for at most two windows per session, not for the
// backlog. The parts of a message are submitted one after another through one session; each
// accepted part goes to the Recorder, and a failure ends the attempt: temporary ones come back
// after a backoff with only the missing parts, permanent ones end the message NotSent.
//
// Threads: Start/Stop from any thread; the work runs on the delivery io_context (the one the
// connectors' sessions live on) and on the claim thread.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/time.h"
#include "delivery/connector.h"
#include "delivery/recorder.h"
#include "delivery/router.h"
#include "smpp/asio.h"
#include "store/delivery_store.h"

namespace smsgw::delivery {

struct DispatcherOptions {
  std::string owner;  // this node's claim owner name; unique per running process
  std::chrono::seconds validity{48 * 3600};
  std::chrono::seconds claim_lease{60};
  std::chrono::milliseconds retry_min{1000};
  std::chrono::milliseconds retry_max{300'000};
  // How often the store is asked for due messages when the last batch drained it.
  std::chrono::milliseconds poll{10};
  // At start, how long claiming waits for a first connector to bind (then it claims anyway:
  // NO-ROUTE and expiry need no bind).
  std::chrono::milliseconds bind_grace{5000};
  // Messages claimed and not finished at most; 0 derives it from the connectors (see .cpp).
  size_t max_held = 0;
  // A message to a handset that opted out of its sender ends NotSent / OPTOUT, except an OTP when
  // this is set ([opt_out] exempt_otp: the handset asked for the code).
  bool opt_out_exempts_otp = true;
};

struct DispatcherStats {
  uint64_t claimed = 0;
  uint64_t parts_submitted = 0;  // accepted by an SMSC
  uint64_t retries = 0;          // attempts that ended in a temporary failure
  uint64_t not_sent = 0;         // permanent failures, no route and expired included
  uint64_t no_route = 0;
  uint64_t expired = 0;
  uint64_t opted_out = 0;
  size_t held = 0;  // claimed and not finished now
};

class Dispatcher {
 public:
  // `connectors` are owned by the caller, in config order (Router indices refer to it).
  Dispatcher(smpp::asio::io_context& io, store::DeliveryStore& store, Recorder& recorder,
             std::vector<Connector*> connectors, Router router, const core::Clock& clock,
             DispatcherOptions options);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  void Start();
  // Stops claiming, hands the messages not yet given to a session back to the store (due now),
  // and calls `done` on the delivery thread once every message in a session has finished. Stop
  // the connectors after `done` (their sessions drain what is outstanding).
  void Stop(std::function<void()> done);

  DispatcherStats stats() const;
  size_t max_held() const { return max_held_; }

 private:
  struct InFlight;
  struct Lane;

  void ClaimLoop();
  // Whether any connector has a bind up now (any thread).
  bool AnyBound() const;
  void OnClaims(std::vector<store::Claim> claims);
  void Route(store::Claim claim);
  void Pump(Lane& lane);
  void SubmitNext(const std::shared_ptr<InFlight>& f);
  void OnResult(const std::shared_ptr<InFlight>& f, smpp::SubmitResult result);
  // Ends a message's attempt in a session: its session slot and held slot are freed.
  void Finish(InFlight* f, std::optional<store::SubmitFailure> failure);
  // Frees a held message's slot; `failure` (if any) goes to the Recorder.
  void Release(std::optional<store::SubmitFailure> failure);
  store::SubmitFailure Temporary(const store::Claim& claim, std::string reason);
  store::SubmitFailure Permanent(const store::Claim& claim, std::string reason);
  void MaybeStopped();

  smpp::asio::io_context& io_;
  store::DeliveryStore& store_;
  Recorder& recorder_;
  std::vector<std::unique_ptr<Lane>> lanes_;  // one per connector, same order
  const Router router_;
  const core::Clock& clock_;
  const DispatcherOptions options_;
  const size_t max_held_;

  // Claim thread ↔ delivery thread.
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  std::atomic<size_t> held_{0};
  std::thread claimer_;

  // Delivery thread only.
  bool stopped_ = false;
  std::function<void()> on_stopped_;
  size_t in_sessions_ = 0;

  std::atomic<uint64_t> claimed_{0}, parts_submitted_{0}, retries_{0}, not_sent_{0}, no_route_{0},
      expired_{0}, opted_out_{0};
};

}  // namespace smsgw::delivery
