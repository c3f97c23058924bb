#include "smsc_sim/simulator.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>
#include <variant>
#include <vector>

#include "smpp/codec/command_status.h"
#include "smpp/codec/pdu_codec.h"
#include "smpp/codec/tlv.h"
#include "smpp/log_escaped.h"
#include "smsc_sim/control_server.h"

namespace smsgw::smsc_sim {
namespace {

namespace codec = smpp::codec;
using codec::CommandStatus;
using codec::Pdu;
using Clock = std::chrono::steady_clock;

uint64_t NowMillis() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

// The watchdog ticks often enough to enforce the shortest of its limits to within a quarter.
Clock::duration WatchdogTick(const SimulatorConfig& c) {
  Clock::duration tick = std::chrono::seconds(1);
  for (const auto limit : {c.idle_limit, c.write_stall_limit, c.unbind_timeout}) {
    tick = std::min<Clock::duration>(tick, limit / 4);
  }
  return std::max<Clock::duration>(tick, std::chrono::milliseconds(10));
}

}  // namespace

// One accepted SMPP connection. Lives on the simulator's thread.
struct Simulator::Link {
  uint64_t id = 0;
  std::shared_ptr<smpp::PduConnection> conn;
  std::string system_id;                // set by a successful bind
  std::optional<codec::BindMode> mode;  // set by a successful bind
  bool unbinding = false;               // we sent unbind and wait for unbind_resp
  bool closing = false;                 // the ESME unbound; flushing unbind_resp, then close
  bool holds_bind = false;              // counts in Stats::bound and against max_binds
  Clock::time_point unbind_deadline{};
  uint32_t next_sequence = 1;
  std::map<uint32_t, QueuedDeliver> unacked;  // deliver_sm sent, no deliver_sm_resp yet

  bool CanReceive() const {
    return mode && *mode != codec::BindMode::kTransmitter && !unbinding && !closing &&
           conn->is_open();
  }
  bool CanTransmit() const { return mode && *mode != codec::BindMode::kReceiver; }
  uint32_t NextSequence() {
    const uint32_t seq = next_sequence;
    next_sequence = next_sequence == 0x7FFFFFFF ? 1 : next_sequence + 1;  // SMPP 3.4 §3.2
    return seq;
  }
};

Simulator::Simulator(asio::io_context& io, SimulatorConfig config)
    : io_(io),
      config_(std::move(config)),
      acceptor_(io),
      watchdog_(io),
      delayed_(io.get_executor()),
      ids_(config_.id_format, config_.first_message_id.value_or(NowMillis())),
      queued_(config_.max_queued_deliveries) {
  for (const Account& account : config_.accounts) {
    passwords_[account.system_id] = account.password;
  }
}

Simulator::~Simulator() = default;

uint16_t Simulator::Start() {
  if (!config_.log_path.empty()) {
    auto log = PduLog::Open(config_.log_path);
    if (!log) {
      throw std::runtime_error(log.error().message);
    }
    log_ = std::move(*log);
  }
  tcp::resolver resolver(io_);
  const tcp::endpoint endpoint =
      resolver
          .resolve(config_.listen_host, std::to_string(config_.listen_port), tcp::resolver::passive)
          ->endpoint();
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  asio::co_spawn(io_, Accept(), smpp::LogEscapedAs("smsc-sim accept loop"));
  asio::post(io_, [this] { Watchdog(); });
  return acceptor_.local_endpoint().port();
}

uint16_t Simulator::StartControl(const std::string& host, uint16_t port) {
  control_ = std::make_unique<ControlServer>(io_, *this);
  return control_->Start(host, port);
}

void Simulator::Stop() {
  asio::post(io_, [this] { StopNow(); });
}

void Simulator::StopNow() {
  if (stopped_) {
    return;
  }
  stopped_ = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  watchdog_.cancel();
  delayed_.Stop();
  if (control_) {
    control_->Stop();
  }
  for (auto& [id, link] : links_) {
    link->conn->Close();
  }
}

void Simulator::DropConnections(std::string system_id) {
  asio::post(io_, [this, system_id = std::move(system_id)] { DropConnectionsNow(system_id); });
}

void Simulator::UnbindAll() {
  asio::post(io_, [this] { UnbindAllNow(); });
}

void Simulator::SetMute(bool mute) {
  asio::post(io_, [this, mute] { SetMuteNow(mute); });
}

std::future<core::Result<MoSent>> Simulator::InjectMo(MoRequest request) {
  auto promise = std::make_shared<std::promise<core::Result<MoSent>>>();
  std::future<core::Result<MoSent>> future = promise->get_future();
  asio::post(io_, [this, promise, request = std::move(request)] {
    promise->set_value(InjectMoNow(request));
  });
  return future;
}

Stats Simulator::stats() const {
  std::lock_guard lock(stats_mu_);
  return stats_;
}

asio::awaitable<void> Simulator::Accept() {
  for (;;) {
    boost::system::error_code ec;
    tcp::socket socket =
        co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (stopped_ || !acceptor_.is_open() || ec == asio::error::operation_aborted) {
      co_return;
    }
    if (ec) {
      // EMFILE and friends: keep serving the connections we have, try again shortly.
      SPDLOG_WARN("smsc-sim: accept failed: {}", ec.message());
      asio::steady_timer pause(io_, std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    auto link = std::make_shared<Link>();
    link->id = next_link_id_++;
    link->conn = std::make_shared<smpp::PduConnection>(std::move(socket));
    links_.emplace(link->id, link);
    {
      std::lock_guard lock(stats_mu_);
      ++stats_.connections_open;
      ++stats_.connections_total;
    }
    SPDLOG_INFO("smsc-sim: connection {} from {}", link->id, link->conn->remote());
    asio::co_spawn(io_, Serve(link), [this, link](std::exception_ptr e) {
      smpp::LogEscaped(e, "smsc-sim connection");
      Forget(link);
    });
  }
}

asio::awaitable<void> Simulator::Serve(std::shared_ptr<Link> link) {
  while (std::optional<Pdu> pdu = co_await link->conn->Read()) {
    if (link->closing) {
      continue;  // the ESME unbound: nothing it sends now is answered
    }
    if (muted_ && !codec::IsResponse(codec::CommandIdOf(*pdu))) {
      Count(Direction::kIn, *link, *pdu, {});
      continue;
    }
    Dispatch(link, *pdu);
  }
  // Freed as soon as the close is seen, not once the coroutine's completion runs: an ESME that
  // reconnects at once must find its bind budget back.
  ReleaseBind(*link);
  // After the flush: a stream that lost its framing ends with a generic_nack queued, which a
  // plain Close() would drop.
  link->conn->CloseAfterFlush();
}

void Simulator::Forget(const std::shared_ptr<Link>& link) {
  links_.erase(link->id);
  SPDLOG_INFO("smsc-sim: connection {} closed ({})", link->id, link->conn->error().message());
  {
    std::lock_guard lock(stats_mu_);
    --stats_.connections_open;
  }
  ReleaseBind(*link);  // Serve ended by an exception
  // What the ESME never acknowledged goes to another receiver or waits for one, as a real SMSC
  // keeps a receipt until it is acknowledged.
  std::map<uint32_t, QueuedDeliver> unacked = std::move(link->unacked);
  link->unacked.clear();
  for (auto& [seq, item] : unacked) {
    Deliver(link->system_id, std::move(item));
  }
}

void Simulator::Dispatch(const std::shared_ptr<Link>& link, const Pdu& pdu) {
  if (std::holds_alternative<codec::SubmitSm>(pdu.body)) {
    HandleSubmit(link, pdu);  // counts the PDU itself, with the message id it gets
    return;
  }
  Count(Direction::kIn, *link, pdu, {});
  if (std::holds_alternative<codec::Bind>(pdu.body)) {
    HandleBind(*link, pdu);
  } else if (std::holds_alternative<codec::EnquireLink>(pdu.body)) {
    Send(*link, *codec::ResponseTo(pdu));
  } else if (std::holds_alternative<codec::Unbind>(pdu.body)) {
    ReleaseBind(*link);  // before the answer: the ESME may bind again as soon as it has it
    Send(*link, *codec::ResponseTo(pdu));
    CloseAfterWrite(link);
  } else if (std::holds_alternative<codec::UnbindResp>(pdu.body)) {
    if (link->unbinding) {
      ReleaseBind(*link);
      link->conn->Close();
    }
  } else if (std::holds_alternative<codec::DeliverSmResp>(pdu.body) ||
             std::holds_alternative<codec::GenericNack>(pdu.body)) {
    HandleDeliverResponse(*link, pdu);
  } else if (!codec::IsResponse(codec::CommandIdOf(pdu))) {
    // data_sm, query_sm, cancel_sm, outbind, alert_notification: not offered by the simulator.
    Send(*link, codec::MakeGenericNack(pdu.sequence_number, CommandStatus::kInvalidCommandId));
  }
}

void Simulator::HandleBind(Link& link, const Pdu& pdu) {
  const auto& bind = std::get<codec::Bind>(pdu.body);
  Pdu response = *codec::ResponseTo(pdu);
  CommandStatus refusal = CommandStatus::kOk;
  auto account = passwords_.find(bind.system_id);
  if (link.mode) {
    refusal = CommandStatus::kAlreadyBound;
  } else if (account == passwords_.end()) {
    refusal = CommandStatus::kInvalidSystemId;
  } else if (account->second != bind.password) {
    refusal = CommandStatus::kInvalidPassword;
  } else if (!BindAllowed(bind.system_id)) {
    refusal = CommandStatus::kBindFailed;
  }
  if (refusal != CommandStatus::kOk) {
    {
      std::lock_guard lock(stats_mu_);
      ++stats_.binds_refused;
    }
    SPDLOG_INFO("smsc-sim: connection {} bind as \"{}\" refused: {}", link.id, bind.system_id,
                codec::EsmeName(static_cast<uint32_t>(refusal)));
    response.command_status = static_cast<uint32_t>(refusal);
    Send(link, response);
    return;
  }
  link.system_id = bind.system_id;
  link.mode = bind.mode;
  TakeBind(link);
  auto& body = std::get<codec::BindResp>(response.body);
  body.system_id = config_.smsc_system_id;
  body.tlvs.SetU8(codec::tag::kScInterfaceVersion, codec::kInterfaceVersion34);
  SPDLOG_INFO("smsc-sim: connection {} bound as \"{}\" ({})", link.id, link.system_id,
              codec::CommandName(codec::CommandIdOf(pdu)));
  Send(link, response);
  if (link.CanReceive()) {
    FlushQueued(link);
  }
}

bool Simulator::BindAllowed(std::string_view system_id) const {
  if (config_.max_binds == 0) {
    return true;
  }
  std::lock_guard lock(stats_mu_);
  auto it = stats_.bound_by_system_id.find(system_id);
  return it == stats_.bound_by_system_id.end() || it->second.bound < config_.max_binds;
}

void Simulator::TakeBind(Link& link) {
  link.holds_bind = true;
  std::lock_guard lock(stats_mu_);
  ++stats_.binds_ok;
  stats_.bound_peak = std::max(stats_.bound_peak, ++stats_.bound);
  auto it = stats_.bound_by_system_id.find(link.system_id);
  if (it == stats_.bound_by_system_id.end()) {
    it = stats_.bound_by_system_id.emplace(link.system_id, Stats::BoundCount{}).first;
  }
  it->second.peak = std::max(it->second.peak, ++it->second.bound);
}

void Simulator::ReleaseBind(Link& link) {
  if (!link.holds_bind) {
    return;
  }
  link.holds_bind = false;
  std::lock_guard lock(stats_mu_);
  --stats_.bound;
  --stats_.bound_by_system_id.find(link.system_id)->second.bound;
}

void Simulator::HandleSubmit(const std::shared_ptr<Link>& link, const Pdu& pdu) {
  const auto& submit = std::get<codec::SubmitSm>(pdu.body);
  Pdu response = *codec::ResponseTo(pdu);
  auto refuse = [&](uint32_t status) {
    Count(Direction::kIn, *link, pdu, {});
    response.command_status = status;
    Send(*link, response);
  };
  auto count_fault = [&](std::string_view name) {
    std::lock_guard lock(stats_mu_);
    auto it = stats_.submits_by_fault.find(name);
    if (it == stats_.submits_by_fault.end()) {
      it = stats_.submits_by_fault.emplace(std::string(name), 0).first;
    }
    ++it->second;
  };
  if (!link->CanTransmit()) {
    refuse(static_cast<uint32_t>(CommandStatus::kInvalidBindStatus));
    return;
  }
  const Clock::time_point now = Clock::now();
  // One second's worth of burst: --max-rate is "per second" as carriers count it.
  auto bucket = rates_.try_emplace(link->system_id, config_.max_rate, config_.max_rate, now).first;
  if (!bucket->second.TryTake(now)) {
    count_fault("rate_limited");
    refuse(static_cast<uint32_t>(CommandStatus::kThrottled));
    return;
  }
  const SubmitDecision decision = faults_.Decide(submit.dest.addr);
  count_fault(FaultName(decision.fault));
  if (decision.timing == ResponseTiming::kCloseLink) {
    Count(Direction::kIn, *link, pdu, {});
    link->conn->Close();
    return;
  }
  if (decision.timing == ResponseTiming::kNever) {
    Count(Direction::kIn, *link, pdu, {});
    return;
  }
  if (decision.status != 0) {
    refuse(decision.status);
    return;
  }

  std::string message_id = ids_.Next();
  Count(Direction::kIn, *link, pdu, message_id);
  std::get<codec::SubmitSmResp>(response.body).message_id = message_id;
  std::optional<ReceiptInfo> receipt;
  if (decision.receipt && WantsReceipt(submit.registered_delivery, decision.final_state) &&
      ReceiptForPart(config_.multipart_receipts, PartOf(submit))) {
    receipt = MakeReceiptInfo(submit, message_id, decision.final_state, std::string(decision.err),
                              std::chrono::system_clock::now());
  }
  const std::string system_id = link->system_id;
  // Receipts go to the account, not to this connection: whichever receiver is bound then.
  auto send_receipt = [this, system_id](const ReceiptInfo& info) {
    Deliver(system_id,
            QueuedDeliver{MakeReceipt(info, std::chrono::system_clock::now()), info.message_id});
  };
  auto schedule_receipt = [this, send_receipt](ReceiptInfo info) {
    delayed_.After(config_.receipt_delay,
                   [send_receipt, info = std::move(info)] { send_receipt(info); });
  };
  const std::weak_ptr<Link> weak = link;
  auto send_response = [this, weak, response] {
    if (auto l = weak.lock()) {
      Send(*l, response);
    }
  };

  switch (decision.timing) {
    case ResponseTiming::kNow:
      Send(*link, response);
      if (receipt) {
        schedule_receipt(std::move(*receipt));
      }
      break;
    case ResponseTiming::kSlow:
      delayed_.After(config_.slow_response, [send_response, schedule_receipt, receipt] {
        send_response();
        // Accepted is accepted: the receipt follows even if the link dropped meanwhile.
        if (receipt) {
          schedule_receipt(*receipt);
        }
      });
      break;
    case ResponseTiming::kAfterReceipt:
      if (receipt) {
        send_receipt(*receipt);
      }
      delayed_.After(config_.receipt_first_gap, send_response);
      break;
    case ResponseTiming::kNever:
    case ResponseTiming::kCloseLink:
      break;  // handled above
  }
}

void Simulator::HandleDeliverResponse(Link& link, const Pdu& pdu) {
  auto it = link.unacked.find(pdu.sequence_number);
  if (it == link.unacked.end()) {
    return;
  }
  QueuedDeliver item = std::move(it->second);
  link.unacked.erase(it);
  if (pdu.command_status == 0) {
    return;
  }
  if (codec::IsTemporary(pdu.command_status)) {
    delayed_.After(config_.deliver_retry,
                   [this, system_id = link.system_id, item = std::move(item)]() mutable {
                     Deliver(system_id, std::move(item));
                   });
    return;
  }
  std::lock_guard lock(stats_mu_);
  ++stats_.deliveries_dropped;
}

void Simulator::Deliver(const std::string& system_id, QueuedDeliver item) {
  if (stopped_) {
    return;
  }
  if (Link* link = PickReceiver(system_id)) {
    SendDeliver(*link, std::move(item));
    return;
  }
  const size_t dropped = queued_.Push(system_id, std::move(item));
  std::lock_guard lock(stats_mu_);
  stats_.deliveries_dropped += dropped;
  stats_.deliveries_queued = queued_.size();
}

uint32_t Simulator::SendDeliver(Link& link, QueuedDeliver item) {
  const uint32_t seq = link.NextSequence();
  Send(link, Pdu{0, seq, item.pdu}, item.message_id);
  link.unacked.emplace(seq, std::move(item));
  return seq;
}

void Simulator::FlushQueued(Link& link) {
  std::deque<QueuedDeliver> items = queued_.Take(link.system_id);
  {
    std::lock_guard lock(stats_mu_);
    stats_.deliveries_queued = queued_.size();
  }
  for (QueuedDeliver& item : items) {
    SendDeliver(link, std::move(item));
  }
}

Simulator::Link* Simulator::PickReceiver(std::string_view system_id) {
  if (muted_ || stopped_) {
    return nullptr;
  }
  std::vector<Link*> candidates;
  for (auto& [id, link] : links_) {
    if (link->CanReceive() && (system_id.empty() || link->system_id == system_id)) {
      candidates.push_back(link.get());
    }
  }
  if (candidates.empty()) {
    return nullptr;
  }
  return candidates[next_receiver_++ % candidates.size()];
}

void Simulator::Send(Link& link, const Pdu& pdu, std::string_view message_id) {
  if (muted_ || !link.conn->is_open()) {
    return;
  }
  Count(Direction::kOut, link, pdu, message_id);
  link.conn->Send(pdu);
}

void Simulator::Count(Direction direction, const Link& link, const Pdu& pdu,
                      std::string_view message_id) {
  const std::string_view name = codec::CommandName(codec::CommandIdOf(pdu));
  {
    std::lock_guard lock(stats_mu_);
    auto& counts = direction == Direction::kIn ? stats_.received : stats_.sent;
    auto it = counts.find(name);
    if (it == counts.end()) {
      it = counts.emplace(std::string(name), 0).first;
    }
    ++it->second;
  }
  if (log_) {
    log_->Write(PduLogLine(std::chrono::system_clock::now(), direction, link.id, link.system_id,
                           pdu, message_id));
  }
}

void Simulator::CloseAfterWrite(const std::shared_ptr<Link>& link) {
  link->closing = true;
  link->conn->CloseAfterFlush();
}

void Simulator::Watchdog() {
  if (stopped_) {
    return;
  }
  const Clock::time_point now = Clock::now();
  for (auto& [id, link] : links_) {
    smpp::PduConnection& conn = *link->conn;
    if (!conn.is_open()) {
      continue;
    }
    const std::optional<Clock::time_point> pending = conn.write_pending_since();
    if (now - conn.last_read() > config_.idle_limit) {
      SPDLOG_INFO("smsc-sim: connection {} idle, closing", id);
      conn.Close(std::make_error_code(std::errc::timed_out));
    } else if (pending && now - *pending > config_.write_stall_limit) {
      SPDLOG_INFO("smsc-sim: connection {} not reading, closing", id);
      conn.Close(std::make_error_code(std::errc::timed_out));
    } else if (link->unbinding && now > link->unbind_deadline) {
      SPDLOG_INFO("smsc-sim: connection {} sent no unbind_resp, closing", id);
      conn.Close(std::make_error_code(std::errc::timed_out));
    }
  }
  watchdog_.expires_after(WatchdogTick(config_));
  watchdog_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) {
      Watchdog();
    }
  });
}

core::Result<MoSent> Simulator::InjectMoNow(const MoRequest& request) {
  auto mo = BuildMo(request, next_mo_reference_++);
  if (!mo) {
    return std::unexpected(mo.error());
  }
  Link* link = PickReceiver(request.system_id);
  if (link == nullptr) {
    if (muted_) {
      return core::MakeError(core::Errc::kUnavailable, "the simulator is muted");
    }
    return core::MakeError(core::Errc::kUnavailable,
                           request.system_id.empty()
                               ? "no receiver or transceiver is bound"
                               : "no receiver or transceiver is bound as " + request.system_id);
  }
  MoSent sent;
  sent.system_id = link->system_id;
  sent.connection = link->id;
  sent.encoding = mo->encoding;
  for (codec::DeliverSm& part : mo->parts) {
    sent.sequence_numbers.push_back(SendDeliver(*link, QueuedDeliver{std::move(part), {}}));
  }
  std::lock_guard lock(stats_mu_);
  ++stats_.mo_sent;
  return sent;
}

size_t Simulator::DropConnectionsNow(std::string_view system_id) {
  size_t closed = 0;
  for (auto& [id, link] : links_) {
    if (link->conn->is_open() && (system_id.empty() || link->system_id == system_id)) {
      link->conn->Close();
      ++closed;
    }
  }
  return closed;
}

size_t Simulator::UnbindAllNow() {
  size_t unbinding = 0;
  for (auto& [id, link] : links_) {
    if (link->mode && !link->unbinding && !link->closing && link->conn->is_open()) {
      Send(*link, Pdu{0, link->NextSequence(), codec::Unbind{}});
      link->unbinding = true;
      link->unbind_deadline = Clock::now() + config_.unbind_timeout;
      ++unbinding;
    }
  }
  return unbinding;
}

void Simulator::SetMuteNow(bool mute) {
  muted_ = mute;
  if (mute) {
    return;
  }
  for (auto& [id, link] : links_) {
    if (link->CanReceive()) {
      FlushQueued(*link);
    }
  }
}

}  // namespace smsgw::smsc_sim
