#include "smpp/session.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "log/fields.h"
#include "smpp/codec/command_status.h"
#include "smpp/log_escaped.h"

namespace smsgw::smpp {
namespace {

using codec::CommandStatus;

std::string_view ModeName(codec::BindMode mode) {
  switch (mode) {
    case codec::BindMode::kTransmitter:
      return "transmitter";
    case codec::BindMode::kReceiver:
      return "receiver";
    case codec::BindMode::kTransceiver:
      return "transceiver";
  }
  return "?";
}

// Bind refusals a retry cannot fix: someone has to change the configuration or the account.
bool IsCredentialRefusal(uint32_t status) {
  switch (static_cast<CommandStatus>(status)) {
    case CommandStatus::kInvalidPassword:
    case CommandStatus::kInvalidSystemId:
    case CommandStatus::kInvalidSystemType:
    case CommandStatus::kBindFailed:
      return true;
    default:
      return false;
  }
}

std::chrono::milliseconds TickFor(const SessionConfig& c) {
  // Fine enough that deadlines fire within a quarter of the shortest one, cheap enough to idle.
  const auto shortest = std::min({c.response_timeout, c.enquire_link, c.connect_timeout});
  return std::clamp(shortest / 4, std::chrono::milliseconds(5), std::chrono::milliseconds(100));
}

}  // namespace

struct Session::Link {
  Link(asio::io_context& context, codec::BindMode m, BackoffPolicy policy)
      : mode(m), sleep_timer(context), backoff(policy) {}

  enum class State { kIdle, kConnecting, kBinding, kBound, kUnbinding };
  codec::BindMode mode;
  State state = State::kIdle;
  Clock::time_point deadline{};  // of connecting, binding or unbinding
  std::shared_ptr<PduConnection> conn;
  // While connecting: what the tick cancels when connect_timeout passes.
  std::shared_ptr<tcp::socket> connecting;
  tcp::resolver* resolver = nullptr;
  bool connect_cancelled = false;
  uint32_t enquire_seq = 0;  // outstanding enquire_link, 0 = none
  Clock::time_point enquire_deadline{};
  Clock::time_point last_enquire{};
  bool credentials_refused = false;
  asio::steady_timer sleep_timer;
  Backoff backoff;

  bool transmits() const { return mode != codec::BindMode::kReceiver; }
};

Session::Session(asio::io_context& context, SessionConfig config, InboundHandler inbound)
    : context_(context),
      config_(std::move(config)),
      inbound_(std::move(inbound)),
      bucket_(config_.tps),
      pump_timer_(context),
      tick_timer_(context) {
  const auto add = [this](codec::BindMode mode) {
    links_.push_back(std::make_unique<Link>(context_, mode, config_.reconnect));
  };
  switch (config_.bind) {
    case BindType::kTransmitter:
      add(codec::BindMode::kTransmitter);
      break;
    case BindType::kReceiver:
      add(codec::BindMode::kReceiver);
      break;
    case BindType::kTransceiver:
      add(codec::BindMode::kTransceiver);
      break;
    case BindType::kPair:
      add(codec::BindMode::kTransmitter);
      add(codec::BindMode::kReceiver);
      break;
  }
}

Session::~Session() = default;

void Session::Start() {
  asio::post(context_, [this] {
    if (links_running_ > 0 || ticking_) {
      // Running, or still stopping: a start asked for meanwhile follows the stop.
      start_after_stop_ = stopping_;
      return;
    }
    Begin();
  });
}

void Session::Begin() {
  // A restart begins a new life: nothing of the last one's failures or throttling carries over
  // (its queue and window were emptied when it stopped).
  started_ = true;
  stopping_ = false;
  start_after_stop_ = false;
  failed_attempts_ = 0;
  last_bind_error_ = {};
  paused_until_ = {};
  for (auto& link : links_) {
    link->backoff.Reset();
    link->credentials_refused = false;
    ++links_running_;
    asio::co_spawn(context_, RunLink(*link), LogEscapedAs("smpp link"));
  }
  ticking_ = true;
  asio::co_spawn(context_, Tick(), LogEscapedAs("smpp session tick"));
}

// ---- connecting and binding ----

asio::awaitable<void> Session::RunLink(Link& link) {
  const std::string_view mode = ModeName(link.mode);
  bool first = true;
  while (!stopping_) {
    if (!first) {
      stats_.reconnects.fetch_add(1, std::memory_order_relaxed);
    }
    first = false;
    link.state = Link::State::kConnecting;
    link.deadline = Clock::now() + config_.connect_timeout;
    link.connect_cancelled = false;
    link.connecting = std::make_shared<tcp::socket>(context_);
    const std::shared_ptr<tcp::socket> socket = link.connecting;
    boost::system::error_code ec;
    tcp::resolver resolver(context_);
    link.resolver = &resolver;
    const auto endpoints = co_await resolver.async_resolve(
        config_.host, std::to_string(config_.port), asio::redirect_error(asio::use_awaitable, ec));
    link.resolver = nullptr;
    if (!ec && !link.connect_cancelled) {
      co_await asio::async_connect(*socket, endpoints,
                                   asio::redirect_error(asio::use_awaitable, ec));
    }
    link.connecting.reset();
    if (ec || link.connect_cancelled) {
      last_bind_error_ = link.connect_cancelled ? make_error_code(SessionError::kResponseTimeout)
                                                : std::error_code(ec);
      ++failed_attempts_;
      WakeBoundWaiters();
      if (!stopping_) {
        SMSGW_LOG_WARN({{"connector", config_.name}}, "smpp[{}]: cannot connect {} to {}:{}: {}",
                       config_.name, mode, config_.host, config_.port,
                       link.connect_cancelled ? "timed out" : ec.message());
      }
    } else if (stopping_) {
      // Stop came while this link was connecting (Drain saw it connecting and will not unbind
      // it): binding now would leave a link that nobody closes.
      boost::system::error_code ignored;
      socket->close(ignored);
    } else {
      stats_.connects.fetch_add(1, std::memory_order_relaxed);
      link.conn = std::make_shared<PduConnection>(std::move(*socket), config_.limits);
      if (co_await StartTls(link) && co_await Bind(link)) {
        while (auto pdu = co_await link.conn->Read()) {
          Handle(link, std::move(*pdu));
        }
        LinkDown(link);
      }
      link.conn->Close();
      link.conn.reset();
    }
    link.state = Link::State::kIdle;
    if (stopping_) {
      break;
    }
    const auto delay = link.credentials_refused
                           ? std::max(config_.bind_refused_retry, config_.reconnect.initial)
                           : link.backoff.Next();
    co_await Sleep(link, delay);
  }
  if (--links_running_ == 0 && stopping_) {
    // Tick ends next and calls the stop callbacks: a callback may destroy the session, so it
    // must run after the last coroutine that reads it.
    pump_timer_.cancel();
    tick_timer_.cancel();
  }
}

asio::awaitable<bool> Session::StartTls(Link& link) {
  if (config_.tls == nullptr) {
    co_return true;
  }
  // The tick closes the connection at the deadline, as it does for a bind without answer.
  link.state = Link::State::kBinding;
  link.deadline = Clock::now() + config_.connect_timeout;
  const std::error_code ec = co_await link.conn->StartTls(*config_.tls, config_.host);
  if (!ec) {
    co_return true;
  }
  last_bind_error_ = ec;
  ++failed_attempts_;
  WakeBoundWaiters();
  if (!stopping_) {
    SMSGW_LOG_WARN({{"connector", config_.name}}, "smpp[{}]: TLS handshake with {}:{} failed: {}",
                   config_.name, config_.host, config_.port, ec.message());
  }
  co_return false;
}

asio::awaitable<bool> Session::Bind(Link& link) {
  link.state = Link::State::kBinding;
  link.deadline = Clock::now() + config_.response_timeout;
  const uint32_t seq = NextSequence();
  link.conn->Send(
      codec::Pdu{0, seq,
                 codec::Bind{link.mode, config_.system_id, config_.password, config_.system_type,
                             config_.interface_version, config_.addr_ton, config_.addr_npi,
                             config_.address_range}});
  const std::string_view mode = ModeName(link.mode);
  while (auto pdu = co_await link.conn->Read()) {
    if (pdu->sequence_number != seq || !std::holds_alternative<codec::BindResp>(pdu->body)) {
      // Nothing but our bind_resp is expected yet; requests get "not bound" (§2.3).
      if (auto answer = codec::ResponseTo(*pdu, CommandStatus::kInvalidBindStatus)) {
        link.conn->Send(*answer);
      }
      continue;
    }
    if (pdu->command_status != 0) {
      stats_.bind_failures.fetch_add(1, std::memory_order_relaxed);
      last_bind_error_ = codec::StatusCode(pdu->command_status);
      ++failed_attempts_;
      WakeBoundWaiters();
      link.credentials_refused = IsCredentialRefusal(pdu->command_status);
      if (link.credentials_refused) {
        SMSGW_LOG_ERROR(
            {{"connector", config_.name}},
            "smpp[{}]: {}:{} refused the {} bind for system_id '{}': {} ({}); check the "
            "credentials, retrying in {} s",
            config_.name, config_.host, config_.port, mode, config_.system_id,
            codec::EsmeName(pdu->command_status), codec::StatusCode(pdu->command_status).message(),
            std::chrono::duration_cast<std::chrono::seconds>(config_.bind_refused_retry).count());
      } else {
        SMSGW_LOG_WARN({{"connector", config_.name}}, "smpp[{}]: {} bind refused: {}", config_.name,
                       mode, codec::EsmeName(pdu->command_status));
      }
      co_return false;
    }
    link.credentials_refused = false;
    last_bind_error_ = {};
    link.backoff.Reset();
    link.state = Link::State::kBound;
    link.last_enquire = Clock::now();
    stats_.binds_up.fetch_add(1, std::memory_order_relaxed);
    SMSGW_LOG_INFO({{"connector", config_.name}}, "smpp[{}]: bound as {} to {}:{} (system_id '{}')",
                   config_.name, mode, config_.host, config_.port, config_.system_id);
    UpdateBound();
    Pump();
    co_return true;
  }
  if (link.state == Link::State::kBinding) {
    stats_.bind_failures.fetch_add(1, std::memory_order_relaxed);
    last_bind_error_ = link.conn->error();
    ++failed_attempts_;
    WakeBoundWaiters();
    SMSGW_LOG_WARN({{"connector", config_.name}}, "smpp[{}]: {} bind got no answer: {}",
                   config_.name, mode, link.conn->error().message());
  }
  co_return false;
}

void Session::LinkDown(Link& link) {
  const bool was_bound = link.state == Link::State::kBound || link.state == Link::State::kUnbinding;
  if (was_bound) {
    stats_.binds_up.fetch_sub(1, std::memory_order_relaxed);
  }
  if (!stopping_) {
    SMSGW_LOG_WARN({{"connector", config_.name}}, "smpp[{}]: {} link to {}:{} down: {}",
                   config_.name, ModeName(link.mode), config_.host, config_.port,
                   link.conn->error().message());
  }
  link.state = Link::State::kIdle;
  link.enquire_seq = 0;
  std::vector<Queued> failed;
  for (auto it = window_.begin(); it != window_.end();) {
    if (it->second.link == &link) {
      failed.push_back(std::move(it->second.submit));
      it = window_.erase(it);
    } else {
      ++it;
    }
  }
  stats_.window_in_use.store(window_.size(), std::memory_order_relaxed);
  stats_.link_failures.fetch_add(failed.size(), std::memory_order_relaxed);
  UpdateBound();
  for (Queued& q : failed) {
    Finish(q, {make_error_code(SessionError::kLinkDown), {}});
  }
  if (TransmitLink() == nullptr) {
    FailQueued(make_error_code(SessionError::kLinkDown));
  }
}

asio::awaitable<void> Session::Sleep(Link& link, std::chrono::milliseconds delay) {
  link.sleep_timer.expires_after(delay);
  boost::system::error_code ec;
  co_await link.sleep_timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

// ---- what the SMSC sends ----

void Session::Handle(Link& link, codec::Pdu pdu) {
  std::visit(
      [&]<class Body>(Body&) {
        using T = std::decay_t<Body>;
        if constexpr (std::is_same_v<T, codec::SubmitSmResp>) {
          HandleSubmitResp(pdu);
        } else if constexpr (std::is_same_v<T, codec::GenericNack>) {
          if (pdu.sequence_number == link.enquire_seq) {
            link.enquire_seq = 0;  // it answered: the link is alive, if old-fashioned
          } else {
            HandleSubmitResp(pdu);
          }
        } else if constexpr (std::is_same_v<T, codec::EnquireLinkResp>) {
          if (pdu.sequence_number == link.enquire_seq) {
            link.enquire_seq = 0;
          }
        } else if constexpr (std::is_same_v<T, codec::EnquireLink>) {
          link.conn->Send(*codec::ResponseTo(pdu));
        } else if constexpr (std::is_same_v<T, codec::Unbind>) {
          stats_.unbinds_received.fetch_add(1, std::memory_order_relaxed);
          SMSGW_LOG_INFO({{"connector", config_.name}}, "smpp[{}]: the SMSC unbound the {} link",
                         config_.name, ModeName(link.mode));
          link.conn->Send(*codec::ResponseTo(pdu));
          link.conn->CloseAfterFlush(make_error_code(SessionError::kUnbound));
        } else if constexpr (std::is_same_v<T, codec::UnbindResp>) {
          link.conn->Close();
        } else if constexpr (std::is_same_v<T, codec::DeliverSm> ||
                             std::is_same_v<T, codec::DataSm>) {
          stats_.inbound.fetch_add(1, std::memory_order_relaxed);
          asio::co_spawn(context_, HandleInbound(link.conn, std::move(pdu)),
                         LogEscapedAs("smpp inbound"));
        } else if constexpr (std::is_same_v<T, codec::Outbind> ||
                             std::is_same_v<T, codec::AlertNotification> ||
                             std::is_same_v<T, codec::BindResp>) {
          // No response exists for these; an ESME that is already bound has no use for them.
        } else if (!codec::IsResponse(codec::CommandIdOf(pdu))) {
          // Requests an SMSC has no business sending to an ESME (submit_sm, query_sm, ...).
          link.conn->Send(*codec::ResponseTo(pdu, CommandStatus::kInvalidCommandId));
        } else {
          stats_.late_responses.fetch_add(1, std::memory_order_relaxed);
        }
      },
      pdu.body);
}

void Session::HandleSubmitResp(const codec::Pdu& pdu) {
  const auto it = window_.find(pdu.sequence_number);
  if (it == window_.end()) {
    stats_.late_responses.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  stats_.response_seconds.Observe(
      std::chrono::duration<double>(Clock::now() - (it->second.deadline - config_.response_timeout))
          .count());
  Queued submit = std::move(it->second.submit);
  window_.erase(it);
  if (const uint64_t key = submit.options.order_key; key != 0 && --keys_outstanding_[key] == 0) {
    keys_outstanding_.erase(key);
  }
  stats_.window_in_use.store(window_.size(), std::memory_order_relaxed);
  // A generic_nack with status 0 is malformed; it still says the submit was not taken.
  const uint32_t status =
      pdu.command_status != 0 || std::holds_alternative<codec::SubmitSmResp>(pdu.body)
          ? pdu.command_status
          : static_cast<uint32_t>(CommandStatus::kSystemError);
  stats_.CountResponse(status);
  if (codec::IsThrottling(status) && !stopping_) {
    stats_.throttled.fetch_add(1, std::memory_order_relaxed);
    paused_until_ = std::max(paused_until_, Clock::now() + config_.throttle_pause);
    Requeue(std::move(submit));
  } else if (status == 0) {
    stats_.submits_accepted.fetch_add(1, std::memory_order_relaxed);
    Finish(submit, {{}, std::get<codec::SubmitSmResp>(pdu.body).message_id});
  } else {
    Finish(submit, {codec::StatusCode(status), {}});
  }
  Pump();
}

asio::awaitable<void> Session::HandleInbound(std::shared_ptr<PduConnection> conn, codec::Pdu pdu) {
  uint32_t status = 0;
  if (inbound_) {
    try {
      status = co_await inbound_(pdu);
    } catch (const std::exception& e) {
      SMSGW_LOG_ERROR({{"connector", config_.name}}, "smpp[{}]: inbound handler failed: {}",
                      config_.name, e.what());
      status = static_cast<uint32_t>(CommandStatus::kTemporaryAppError);
    }
  }
  if (auto answer = codec::ResponseTo(pdu, static_cast<CommandStatus>(status))) {
    conn->Send(*answer);  // ignored when the link has gone: the SMSC sends it again
  }
}

// ---- deadlines ----

asio::awaitable<void> Session::Tick() {
  const auto interval = TickFor(config_);
  while (!(stopping_ && links_running_ == 0)) {
    tick_timer_.expires_after(interval);
    boost::system::error_code ec;
    co_await tick_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ec && stopping_ && links_running_ == 0) {
      break;
    }
    const auto now = Clock::now();
    for (auto& link : links_) {
      CheckLink(*link, now);
    }
    std::vector<Queued> expired;
    for (auto it = window_.begin(); it != window_.end();) {
      if (it->second.deadline <= now) {
        if (const uint64_t key = it->second.submit.options.order_key;
            key != 0 && --keys_outstanding_[key] == 0) {
          keys_outstanding_.erase(key);
        }
        expired.push_back(std::move(it->second.submit));
        it = window_.erase(it);
      } else {
        ++it;
      }
    }
    if (!expired.empty()) {
      stats_.window_in_use.store(window_.size(), std::memory_order_relaxed);
      stats_.response_timeouts.fetch_add(expired.size(), std::memory_order_relaxed);
      for (Queued& q : expired) {
        Finish(q, {make_error_code(SessionError::kResponseTimeout), {}});
      }
      Pump();
    }
  }
  ticking_ = false;
  const bool restart = start_after_stop_;
  for (auto& done : std::exchange(on_stopped_, {})) {
    done();
  }
  if (restart) {
    Begin();
  }
}

void Session::CheckLink(Link& link, Clock::time_point now) {
  const std::string_view mode = ModeName(link.mode);
  switch (link.state) {
    case Link::State::kIdle:
      return;
    case Link::State::kConnecting:
      if (now >= link.deadline) {
        link.connect_cancelled = true;
        if (link.resolver != nullptr) {
          link.resolver->cancel();
        }
        boost::system::error_code ignored;
        link.connecting->close(ignored);
      }
      return;
    case Link::State::kBinding:
    case Link::State::kUnbinding:
      if (now >= link.deadline) {
        link.conn->Close(make_error_code(SessionError::kResponseTimeout));
      }
      return;
    case Link::State::kBound:
      break;
  }
  PduConnection& conn = *link.conn;
  const auto inactivity = config_.inactivity_limit.count() > 0
                              ? config_.inactivity_limit
                              : config_.enquire_link + config_.response_timeout;
  if (const auto since = conn.write_pending_since();
      since && now - *since > config_.response_timeout) {
    SMSGW_LOG_WARN({{"connector", config_.name}}, "smpp[{}]: {} link: writes stalled, closing",
                   config_.name, mode);
    conn.Close(make_error_code(SessionError::kResponseTimeout));
  } else if (link.enquire_seq != 0 && now >= link.enquire_deadline) {
    SMSGW_LOG_WARN({{"connector", config_.name}},
                   "smpp[{}]: {} link: no enquire_link_resp, closing", config_.name, mode);
    conn.Close(make_error_code(SessionError::kResponseTimeout));
  } else if (now - conn.last_read() > inactivity) {
    SMSGW_LOG_WARN(
        {{"connector", config_.name}}, "smpp[{}]: {} link silent for {} ms, closing", config_.name,
        mode,
        std::chrono::duration_cast<std::chrono::milliseconds>(now - conn.last_read()).count());
    conn.Close(make_error_code(SessionError::kResponseTimeout));
  } else if (link.enquire_seq == 0 &&
             now - std::max(conn.last_read(), link.last_enquire) >= config_.enquire_link) {
    link.enquire_seq = NextSequence();
    link.enquire_deadline = now + config_.response_timeout;
    link.last_enquire = now;
    stats_.enquire_links_sent.fetch_add(1, std::memory_order_relaxed);
    conn.Send(codec::Pdu{0, link.enquire_seq, codec::EnquireLink{}});
  }
}

// ---- submitting ----

void Session::Submit(codec::SubmitSm pdu, SubmitOptions options, SubmitCallback done) {
  asio::post(context_, [this, pdu = std::move(pdu), options, done = std::move(done)]() mutable {
    Enqueue(Queued{std::move(pdu), options, std::move(done)});
  });
}

asio::awaitable<SubmitResult> Session::Submit(codec::SubmitSm pdu, SubmitOptions options) {
  struct Waiter {
    explicit Waiter(asio::io_context& c) : timer(c, Clock::time_point::max()) {}
    asio::steady_timer timer;
    std::optional<SubmitResult> result;
  };
  auto waiter = std::make_shared<Waiter>(context_);
  Enqueue(Queued{std::move(pdu), options, [waiter](SubmitResult r) {
                   waiter->result = std::move(r);
                   waiter->timer.cancel();
                 }});
  if (!waiter->result) {
    boost::system::error_code ec;
    co_await waiter->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  co_return std::move(*waiter->result);
}

void Session::Enqueue(Queued submit) {
  SessionError refusal{};
  if (config_.bind == BindType::kReceiver) {
    refusal = SessionError::kNoTransmitter;
  } else if (stopping_) {
    refusal = SessionError::kStopped;
  } else if (TransmitLink() == nullptr) {
    refusal = SessionError::kNotBound;
  }
  if (refusal != SessionError{}) {
    Finish(submit, {make_error_code(refusal), {}});
    return;
  }
  submit.order = next_order_++;
  queue_.push_back(std::move(submit));
  stats_.queued.store(queue_.size(), std::memory_order_relaxed);
  Pump();
}

void Session::Requeue(Queued submit) {
  const auto at = std::upper_bound(queue_.begin(), queue_.end(), submit.order,
                                   [](uint64_t order, const Queued& q) { return order < q.order; });
  queue_.insert(at, std::move(submit));
  stats_.queued.store(queue_.size(), std::memory_order_relaxed);
}

void Session::Pump() {
  Link* link = TransmitLink();
  if (link == nullptr || stopping_) {
    return;
  }
  const auto now = Clock::now();
  while (!queue_.empty() && window_.size() < config_.window) {
    if (now < paused_until_) {
      ArmPump(paused_until_);
      return;
    }
    const auto next = std::find_if(queue_.begin(), queue_.end(), [this](const Queued& q) {
      return q.options.order_key == 0 || !keys_outstanding_.contains(q.options.order_key);
    });
    if (next == queue_.end()) {
      return;  // every queued submit waits for an earlier part's response
    }
    if (!bucket_.TryTake(now)) {
      ArmPump(bucket_.NextToken(now));
      return;
    }
    Queued submit = std::move(*next);
    queue_.erase(next);
    const uint32_t seq = NextSequence();
    // Encoded from a Pdu built in place; the SubmitSm is kept for a resend after a throttle.
    codec::Pdu pdu{0, seq, std::move(submit.pdu)};
    link->conn->Send(pdu);
    submit.pdu = std::move(std::get<codec::SubmitSm>(pdu.body));
    if (const uint64_t key = submit.options.order_key; key != 0) {
      ++keys_outstanding_[key];
    }
    window_.emplace(seq, Outstanding{std::move(submit), now + config_.response_timeout, link});
    stats_.submits_sent.fetch_add(1, std::memory_order_relaxed);
  }
  stats_.queued.store(queue_.size(), std::memory_order_relaxed);
  stats_.window_in_use.store(window_.size(), std::memory_order_relaxed);
}

void Session::ArmPump(Clock::time_point when) {
  if (pump_armed_) {
    return;  // an earlier wake-up re-arms for the rest when it finds it too early
  }
  pump_armed_ = true;
  pump_timer_.expires_at(when);
  pump_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) {
      return;  // cancelled by Stop: the session may be going away
    }
    pump_armed_ = false;
    Pump();
  });
}

void Session::FailQueued(std::error_code why) {
  std::deque<Queued> failed = std::exchange(queue_, {});
  stats_.queued.store(0, std::memory_order_relaxed);
  for (Queued& q : failed) {
    Finish(q, {why, {}});
  }
}

void Session::Finish(Queued& submit, SubmitResult result) {
  if (SubmitCallback done = std::move(submit.done)) {
    done(std::move(result));
  }
}

Session::Link* Session::TransmitLink() {
  for (auto& link : links_) {
    if (link->transmits() && link->state == Link::State::kBound) {
      return link.get();
    }
  }
  return nullptr;
}

void Session::UpdateBound() {
  const bool up = TransmitLink() != nullptr;
  transmit_bound_.store(up, std::memory_order_relaxed);
  if (up) {
    WakeBoundWaiters();
  }
}

void Session::WakeBoundWaiters() {
  for (asio::steady_timer* waiter : bound_waiters_) {
    waiter->cancel();
  }
}

asio::awaitable<bool> Session::WaitBound(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  const uint64_t failures = failed_attempts_;
  asio::steady_timer timer(context_);
  while (TransmitLink() == nullptr && Clock::now() < deadline && !stopping_ &&
         failed_attempts_ == failures) {
    timer.expires_at(deadline);
    bound_waiters_.push_back(&timer);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    std::erase(bound_waiters_, &timer);
  }
  co_return TransmitLink() != nullptr;
}

uint32_t Session::NextSequence() {
  // §5.1.4: 0x00000001..0x7FFFFFFF, then around again.
  sequence_ = sequence_ >= 0x7FFFFFFF ? 1 : sequence_ + 1;
  return sequence_;
}

// ---- stopping ----

void Session::Stop(std::function<void()> done) {
  asio::post(context_, [this, done = std::move(done)]() mutable {
    start_after_stop_ = false;  // the last call wins
    if (done) {
      on_stopped_.push_back(std::move(done));
    }
    if (!started_ || links_running_ == 0) {
      stopping_ = true;
      pump_timer_.cancel();
      tick_timer_.cancel();
      for (auto& callback : std::exchange(on_stopped_, {})) {
        callback();
      }
      return;
    }
    if (stopping_) {
      return;
    }
    stopping_ = true;
    FailQueued(make_error_code(SessionError::kStopped));
    asio::co_spawn(context_, Drain(), LogEscapedAs("smpp drain"));
  });
}

asio::awaitable<void> Session::Drain() {
  const auto deadline = Clock::now() + config_.drain_timeout;
  asio::steady_timer timer(context_);
  while (!window_.empty() && Clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(10));
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  std::vector<Queued> unanswered;
  for (auto& [seq, outstanding] : window_) {
    unanswered.push_back(std::move(outstanding.submit));
  }
  window_.clear();
  keys_outstanding_.clear();
  stats_.window_in_use.store(0, std::memory_order_relaxed);
  for (Queued& q : unanswered) {
    Finish(q, {make_error_code(SessionError::kStopped), {}});
  }
  const auto now = Clock::now();
  for (auto& link : links_) {
    switch (link->state) {
      case Link::State::kBound:
        link->state = Link::State::kUnbinding;
        link->deadline = now + config_.response_timeout;
        link->conn->Send(codec::Pdu{0, NextSequence(), codec::Unbind{}});
        break;
      case Link::State::kConnecting:
        link->deadline = now;  // the next tick cancels it
        break;
      case Link::State::kBinding:
        link->conn->Close();
        break;
      case Link::State::kIdle:
      case Link::State::kUnbinding:
        link->sleep_timer.cancel();
        break;
    }
  }
}

asio::awaitable<void> Session::AsyncStop() {
  asio::steady_timer timer(context_, Clock::time_point::max());
  bool stopped = false;
  Stop([&] {
    stopped = true;
    timer.cancel();
  });
  while (!stopped) {
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

}  // namespace smsgw::smpp
