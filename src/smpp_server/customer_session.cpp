#include "smpp_server/customer_session.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <variant>

#include "api/async_bridge.h"
#include "core/ids.h"
#include "core/strings.h"
#include "smpp/codec/command_status.h"
#include "smpp/codec/pdu_codec.h"
#include "smpp/codec/tlv.h"
#include "smpp/log_escaped.h"
#include "smpp_server/message_id_form.h"
#include "smpp_server/mo_pdu.h"
#include "smpp_server/query_answer.h"
#include "smpp_server/receipt_pdu.h"
#include "smpp_server/submit_flow.h"

namespace smsgw::smpp_server {
namespace {

namespace codec = smpp::codec;
using codec::CommandStatus;
using codec::Pdu;
using smpp::Clock;

// A refused bind is answered this long after it arrived, whether the system_id exists or not,
// so that the answer's timing tells nothing about which credentials exist, and so that guessing
// passwords costs a second a try per connection.
constexpr auto kRefusalDelay = std::chrono::seconds(1);
// How long a closing session waits for its requests still waiting for the store before it lets go.
constexpr auto kStoringGrace = std::chrono::seconds(10);
// The system_id smsgw answers binds with (SMPP 3.4 §4.1.2: the SMSC's identity).
constexpr std::string_view kServerSystemId = "smsgw";
// A receiver's outbox loop: how often it looks at its window, its answers and the outbox
// version (an atomic: no store access), and how often it asks the store anyway (rows written by
// another process, leases that ended).
constexpr auto kDeliverTick = std::chrono::milliseconds(100);
constexpr auto kOutboxPoll = std::chrono::seconds(2);
// A row the customer refused (a deliver_sm_resp other than ESME_ROK, or a generic_nack) is sent
// again after kRefusalBackoff << refusals (at most kMaxRefusalBackoff), and given up after
// kMaxRefusals, so that a customer who refuses everything cannot keep rows forever.
constexpr auto kRefusalBackoff = std::chrono::seconds(10);
constexpr auto kMaxRefusalBackoff = std::chrono::minutes(10);
constexpr int kMaxRefusals = 10;

asio::awaitable<void> WaitUntil(asio::any_io_executor executor, Clock::time_point at) {
  asio::steady_timer timer(executor, at);
  boost::system::error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

// Whether a bind from `address` may use a credential limited to `allowed` (empty: anywhere).
bool SourceAllowed(const std::vector<core::IpNetwork>& allowed,
                   const std::optional<core::IpAddress>& address) {
  if (allowed.empty()) {
    return true;
  }
  return address && std::any_of(allowed.begin(), allowed.end(), [&](const core::IpNetwork& net) {
           return core::Contains(net, *address);
         });
}

Clock::duration WatchdogTick(const config::SmppServerConfig& c) {
  const Clock::duration shortest = std::min({c.bind_timeout, c.enquire_link, c.inactivity});
  return std::clamp<Clock::duration>(shortest / 4, std::chrono::milliseconds(10),
                                     std::chrono::seconds(1));
}

}  // namespace

CustomerSession::CustomerSession(uint64_t id, std::shared_ptr<smpp::PduConnection> conn,
                                 SessionDeps deps)
    : id_(id), conn_(std::move(conn)), deps_(deps), opened_(Clock::now()) {}

void CustomerSession::CloseFromAnyThread() {
  asio::post(conn_->executor(), [self = shared_from_this()] { self->conn_->Close(); });
}

asio::awaitable<void> CustomerSession::Serve() {
  asio::co_spawn(conn_->executor(), Watchdog(shared_from_this()),
                 smpp::LogEscapedAs("smpp server watchdog"));
  while (std::optional<Pdu> pdu = co_await conn_->Read()) {
    const Pdu& p = *pdu;
    if (std::holds_alternative<codec::Bind>(p.body)) {
      co_await HandleBind(p);
    } else if (std::holds_alternative<codec::SubmitSm>(p.body) ||
               std::holds_alternative<codec::DataSm>(p.body) ||
               std::holds_alternative<codec::SubmitMulti>(p.body) ||
               std::holds_alternative<codec::QuerySm>(p.body) ||
               std::holds_alternative<codec::CancelSm>(p.body)) {
      HandleRequest(p);
    } else if (std::holds_alternative<codec::EnquireLink>(p.body)) {
      conn_->Send(*codec::ResponseTo(p));
    } else if (std::holds_alternative<codec::Unbind>(p.body)) {
      closing_ = true;  // no deliver_sm after the unbind_resp
      conn_->Send(*codec::ResponseTo(p));
      conn_->CloseAfterFlush();
      break;  // nothing sent after unbind is answered (SMPP 3.4 §4.2)
    } else if (std::holds_alternative<codec::EnquireLinkResp>(p.body)) {
      probed_at_.reset();
    } else if (std::holds_alternative<codec::DeliverSmResp>(p.body) ||
               std::holds_alternative<codec::GenericNack>(p.body)) {
      OnDeliverSmResp(p);
    } else if (!codec::IsResponse(codec::CommandIdOf(p))) {
      // replace_sm, deliver_sm, outbind, ...: not offered; SMPP 3.4 §4.3.
      conn_->Send(codec::MakeGenericNack(p.sequence_number, CommandStatus::kInvalidCommandId));
    }
    // Other responses (generic_nack, a late enquire_link_resp) need no answer.
  }
  // The connection is closed, or closing after its last answer (an unbind_resp, a nack for a
  // broken length): closing it here would drop that answer.
  // The messages being stored are committed whatever happens to the link; wait for them so that
  // nothing of this session outlives the server's stop.
  asio::steady_timer wait(conn_->executor());
  const auto give_up = Clock::now() + kStoringGrace;
  closing_ = true;
  while ((pending_ > 0 || delivering_) && Clock::now() < give_up) {
    wait.expires_after(std::chrono::milliseconds(10));
    boost::system::error_code ec;
    co_await wait.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  if (mode_) {
    SPDLOG_INFO("smpp server: session {} of \"{}\" closed ({})", id_,
                core::PrintableAscii(system_id_), conn_->error().message());
  }
}

asio::awaitable<void> CustomerSession::Watchdog(std::shared_ptr<CustomerSession> /*self*/) {
  const config::SmppServerConfig& c = deps_.config;
  asio::steady_timer tick(conn_->executor());
  while (conn_->is_open()) {
    tick.expires_after(WatchdogTick(c));
    boost::system::error_code ec;
    co_await tick.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (!conn_->is_open()) {
      break;
    }
    const Clock::time_point now = Clock::now();
    const Clock::duration silence = now - std::max(conn_->last_read(), opened_);
    const auto stalled = conn_->write_pending_since();
    if (!mode_ && now - opened_ > c.bind_timeout) {
      conn_->Close(std::make_error_code(std::errc::timed_out));
    } else if (silence > c.inactivity || (stalled && now - *stalled > c.inactivity)) {
      conn_->Close(std::make_error_code(std::errc::timed_out));
    } else if (mode_ && silence > c.enquire_link &&
               (!probed_at_ || now - *probed_at_ > c.enquire_link)) {
      probed_at_ = now;
      conn_->Send(Pdu{0, NextSequence(), codec::EnquireLink{}});
    }
  }
}

asio::awaitable<void> CustomerSession::HandleBind(const Pdu& pdu) {
  const auto& bind = std::get<codec::Bind>(pdu.body);
  if (mode_) {
    Answer(pdu, CommandStatus::kAlreadyBound);
    co_return;
  }
  const Clock::time_point arrived = Clock::now();
  const uint64_t version = deps_.stores.credentials.CredentialsVersion();
  auto secret = co_await api::RunBlocking(deps_.store_pool, [&] {
    return deps_.stores.credentials.FindSmppCredential(bind.system_id);
  });
  if (!secret) {
    SPDLOG_ERROR("smpp server: bind as \"{}\" failed: {}", core::PrintableAscii(bind.system_id),
                 secret.error().message);
    Answer(pdu, CommandStatus::kSystemError);
    co_return;
  }
  // The source ranges come before the password, so that from elsewhere a password cannot be tried
  // at all (the answer is the same whether it is right). The cost: such a caller learns that the
  // system_id exists, which an unknown one's ESME_RINVPASWD does not tell.
  if (*secret && !SourceAllowed((*secret)->allowed_sources, conn_->remote_address())) {
    co_await WaitUntil(conn_->executor(), arrived + kRefusalDelay);
    SPDLOG_WARN(
        "smpp server: session {} bind as \"{}\" from {} refused: the address is outside "
        "the credential's allowed sources",
        id_, core::PrintableAscii(bind.system_id), conn_->remote());
    Answer(pdu, CommandStatus::kBindFailed);
    co_return;
  }
  // The hash (milliseconds of PBKDF2) is computed on the hash thread, not on the io thread, and
  // either way, so that an unknown system_id costs what a known one does.
  const std::string salt = *secret ? (*secret)->salt : std::string();
  const std::string hash = co_await api::RunBlocking(
      deps_.hash_pool, [&] { return core::PasswordHashHex(salt, bind.password); });
  if (!*secret || !core::HashesEqual(hash, (*secret)->password_hash)) {
    co_await WaitUntil(conn_->executor(), arrived + kRefusalDelay);
    SPDLOG_INFO("smpp server: session {} bind as \"{}\" refused: invalid system_id or password",
                id_, core::PrintableAscii(bind.system_id));
    Answer(pdu, CommandStatus::kInvalidPassword);
    co_return;
  }
  const std::string sid = (*secret)->sid;
  const int64_t max_rate = (*secret)->max_rate.value_or(deps_.config.max_rate);
  const std::string type = (*secret)->type;
  const store::SmppIdFormat id_format = (*secret)->id_format;
  auto settings = co_await api::RunBlocking(deps_.store_pool,
                                            [&] { return deps_.stores.accounts.GetSettings(sid); });
  if (!settings) {
    SPDLOG_ERROR("smpp server: bind as \"{}\": account settings not read: {}",
                 core::PrintableAscii(bind.system_id), settings.error().message);
    Answer(pdu, CommandStatus::kSystemError);
    co_return;
  }
  if (!conn_->is_open()) {
    co_return;  // gone (or revoked) while the store answered
  }
  const std::weak_ptr<CustomerSession> weak = shared_from_this();
  const bool added = deps_.binds.TryAdd(id_, {sid, bind.system_id, [weak] {
                                                if (auto self = weak.lock()) {
                                                  self->CloseFromAnyThread();
                                                }
                                              }});
  if (!added) {
    SPDLOG_INFO("smpp server: session {} bind as \"{}\" refused: account {} has {} binds", id_,
                core::PrintableAscii(bind.system_id), sid, deps_.config.max_binds_per_account);
    Answer(pdu, CommandStatus::kBindFailed);
    co_return;
  }
  if (deps_.stores.credentials.CredentialsVersion() != version) {
    // A credential changed while this one was checked, perhaps before the server's revocation
    // watch could see this bind: check again, now that any later change will see it.
    auto still = co_await api::RunBlocking(deps_.store_pool, [&] {
      return deps_.stores.credentials.FindSmppCredential(bind.system_id);
    });
    if (!still || !*still || !conn_->is_open()) {
      deps_.binds.Remove(id_);
      Answer(pdu, still ? CommandStatus::kInvalidPassword : CommandStatus::kSystemError);
      co_return;
    }
  }
  mode_ = bind.mode;
  sid_ = sid;
  system_id_ = bind.system_id;
  settings_ = std::move(*settings);
  max_rate_ = max_rate;
  type_ = type;
  id_format_ = id_format;
  Pdu response = *codec::ResponseTo(pdu);
  auto& body = std::get<codec::BindResp>(response.body);
  body.system_id = kServerSystemId;
  body.tlvs.SetU8(codec::tag::kScInterfaceVersion, codec::kInterfaceVersion34);
  conn_->Send(response);
  SPDLOG_INFO("smpp server: session {} from {} bound as \"{}\" (account {}, {})", id_,
              conn_->remote(), core::PrintableAscii(system_id_), sid_,
              codec::CommandName(codec::CommandIdOf(pdu)));
  if (*mode_ != codec::BindMode::kTransmitter) {
    delivering_ = true;
    asio::co_spawn(conn_->executor(), DeliverLoop(shared_from_this()),
                   [self = shared_from_this()](std::exception_ptr e) {
                     smpp::LogEscaped(e, "smpp server deliver loop");
                     self->delivering_ = false;
                   });
  }
}

uint32_t CustomerSession::NextSequence() {
  const uint32_t sequence = next_sequence_;
  next_sequence_ = next_sequence_ == 0x7FFFFFFF ? 1 : next_sequence_ + 1;  // §3.2
  return sequence;
}

asio::awaitable<void> CustomerSession::DeliverLoop(std::shared_ptr<CustomerSession> /*self*/) {
  const config::SmppServerConfig& c = deps_.config;
  store::SmppOutboxStore& outbox = deps_.stores.outbox;
  const std::string owner = "smpp-session-" + std::to_string(id_);
  const size_t window = static_cast<size_t>(c.window);
  asio::steady_timer tick(conn_->executor());
  std::optional<uint64_t> seen;   // the outbox version at the last claim
  Clock::time_point next_poll{};  // ask the store then even if the version has not moved
  bool more = false;              // the last claim filled the window: more may be due
  while (conn_->is_open() && !closing_) {
    const Clock::time_point now = Clock::now();
    // Unanswered past the timeout: let go (its lease ends now too, and it is sent again).
    std::erase_if(in_flight_, [&](const auto& entry) { return entry.second.deadline <= now; });
    co_await RecordDeliverAnswers();
    const uint64_t version = outbox.SmppOutboxVersion(sid_);
    const size_t room = window > in_flight_.size() ? window - in_flight_.size() : 0;
    if (room > 0 && (version != seen || more || now >= next_poll) && conn_->is_open() &&
        !closing_) {
      seen = version;
      next_poll = now + kOutboxPoll;
      const core::TimePoint store_now = deps_.clock.Now();
      auto jobs = co_await api::RunBlocking(deps_.store_pool, [&] {
        return outbox.ClaimSmppOutbox(sid_, owner, store_now, c.deliver_timeout, room);
      });
      more = false;
      if (!jobs) {
        SPDLOG_ERROR("smpp server: session {}: outbox of account {} not read: {}", id_, sid_,
                     jobs.error().message);
      } else if (!conn_->is_open() || closing_) {
        std::vector<int64_t> rows;
        for (const store::SmppOutboxJob& job : *jobs) {
          rows.push_back(job.id);
        }
        auto deferred = co_await api::RunBlocking(deps_.store_pool, [&] {
          return outbox.DeferSmppOutbox(rows, store_now, /*refused=*/false);
        });
        if (!deferred) {
          SPDLOG_WARN("smpp server: session {}: {} outbox rows not given back: {}", id_,
                      rows.size(), deferred.error().message);
        }
        break;
      } else {
        more = jobs->size() == room;
        const Clock::time_point deadline = Clock::now() + c.deliver_timeout;
        for (const store::SmppOutboxJob& job : *jobs) {
          const uint32_t sequence = NextSequence();
          in_flight_[sequence] = InFlight{job.id, job.attempts, deadline};
          conn_->Send(Pdu{
              0, sequence,
              job.kind == store::SmppOutboxKind::kMo ? MoDeliverSm(job) : ReceiptDeliverSm(job)});
        }
      }
    }
    tick.expires_after(kDeliverTick);
    boost::system::error_code ec;
    co_await tick.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  // The link is gone: what was answered is recorded, what was not is due again at once (for
  // another bind of the account, or this customer's next one).
  co_await RecordDeliverAnswers();
  if (!in_flight_.empty()) {
    std::vector<int64_t> rows;
    for (const auto& [sequence, sent] : in_flight_) {
      rows.push_back(sent.row);
    }
    in_flight_.clear();
    const core::TimePoint store_now = deps_.clock.Now();
    auto deferred = co_await api::RunBlocking(deps_.store_pool, [&] {
      return outbox.DeferSmppOutbox(rows, store_now, /*refused=*/false);
    });
    if (!deferred) {
      SPDLOG_WARN("smpp server: session {}: {} deliver_sm not given back (due after {} ms): {}",
                  id_, rows.size(), c.deliver_timeout.count(), deferred.error().message);
    }
  }
}

void CustomerSession::OnDeliverSmResp(const Pdu& pdu) {
  const auto sent = in_flight_.find(pdu.sequence_number);
  if (sent == in_flight_.end()) {
    return;  // too late (sent again after its timeout), or not ours
  }
  if (pdu.command_status == 0 && std::holds_alternative<codec::DeliverSmResp>(pdu.body)) {
    acknowledged_.push_back(sent->second.row);
  } else {
    refused_.emplace_back(sent->second.row, sent->second.attempts);
  }
  in_flight_.erase(sent);
}

asio::awaitable<void> CustomerSession::RecordDeliverAnswers() {
  store::SmppOutboxStore& outbox = deps_.stores.outbox;
  std::vector<int64_t> finished;
  finished.swap(acknowledged_);
  std::vector<std::pair<int64_t, int>> refused;
  refused.swap(refused_);
  const core::TimePoint now = deps_.clock.Now();
  for (const auto& [row, refusals] : refused) {
    if (refusals + 1 >= kMaxRefusals) {
      SPDLOG_WARN("smpp server: session {}: account {} refused outbox row {} {} times; given up",
                  id_, sid_, row, refusals + 1);
      finished.push_back(row);
      continue;
    }
    const auto backoff =
        std::min<std::chrono::milliseconds>(kRefusalBackoff * (1 << refusals), kMaxRefusalBackoff);
    const int64_t one[] = {row};
    auto deferred = co_await api::RunBlocking(deps_.store_pool, [&] {
      return outbox.DeferSmppOutbox(one, now + backoff, /*refused=*/true);
    });
    if (!deferred) {
      SPDLOG_ERROR("smpp server: session {}: outbox row {} not deferred: {}", id_, row,
                   deferred.error().message);
    }
  }
  if (finished.empty()) {
    co_return;
  }
  auto done = co_await api::RunBlocking(deps_.store_pool,
                                        [&] { return outbox.FinishSmppOutbox(finished); });
  if (!done) {
    // Sent again once their lease ends: a duplicate receipt, not a lost one.
    SPDLOG_ERROR("smpp server: session {}: {} acknowledged outbox rows not finished: {}", id_,
                 finished.size(), done.error().message);
  }
}

bool CustomerSession::CanTransmit() const { return mode_ && *mode_ != codec::BindMode::kReceiver; }

void CustomerSession::HandleRequest(const Pdu& pdu) {
  if (!CanTransmit()) {
    Answer(pdu, CommandStatus::kInvalidBindStatus);
    return;
  }
  if (pending_ >= deps_.config.window) {
    Answer(pdu, CommandStatus::kThrottled);
    return;
  }
  ++pending_;
  asio::awaitable<void> work = std::holds_alternative<codec::QuerySm>(pdu.body)    ? Query(pdu)
                               : std::holds_alternative<codec::CancelSm>(pdu.body) ? Cancel(pdu)
                                                                                   : Submit(pdu);
  asio::co_spawn(conn_->executor(), std::move(work),
                 [self = shared_from_this()](std::exception_ptr e) {
                   smpp::LogEscaped(e, "smpp server request");
                   --self->pending_;
                 });
}

asio::awaitable<void> CustomerSession::Submit(Pdu pdu) {
  conn_->Send(co_await AnswerSubmit(
      {deps_.validator, deps_.committer, deps_.clock, sid_, settings_, system_id_, deps_.throughput,
       max_rate_, type_, id_format_, &deps_.reassembly},
      std::move(pdu)));
}

asio::awaitable<void> CustomerSession::Query(Pdu pdu) {
  const auto& query = std::get<codec::QuerySm>(pdu.body);
  const std::optional<std::string> id = SmsgwMessageId(query.message_id, id_format_);
  if (!id) {
    Answer(pdu, CommandStatus::kInvalidMessageId);  // not an id in the credential's form
    co_return;
  }
  auto detail = co_await api::RunBlocking(deps_.store_pool,
                                          [&] { return deps_.stores.log.GetDetail(sid_, *id); });
  if (!detail) {
    // Another account's message is as unknown as one that does not exist.
    Answer(pdu, detail.error().code == core::Errc::kNotFound ? CommandStatus::kInvalidMessageId
                                                             : CommandStatus::kSystemError);
    co_return;
  }
  Pdu response = *codec::ResponseTo(pdu);
  response.body = QueryAnswer(query.message_id, *detail);
  conn_->Send(response);
}

asio::awaitable<void> CustomerSession::Cancel(Pdu pdu) {
  const auto& cancel = std::get<codec::CancelSm>(pdu.body);
  if (cancel.message_id.empty()) {
    // §4.9.1: an empty message_id cancels every message from source to dest; not offered.
    Answer(pdu, CommandStatus::kCancelFailed);
    co_return;
  }
  const std::optional<std::string> id = SmsgwMessageId(cancel.message_id, id_format_);
  if (!id) {
    Answer(pdu, CommandStatus::kInvalidMessageId);  // not an id in the credential's form
    co_return;
  }
  const core::TimePoint now = deps_.clock.Now();
  auto cancelled = co_await api::RunBlocking(
      deps_.store_pool, [&] { return deps_.stores.delivery.Cancel(sid_, *id, now); });
  if (!cancelled) {
    const std::error_code code = cancelled.error().code;
    // kConflict: it is being submitted, or already final.
    Answer(pdu, code == core::Errc::kNotFound   ? CommandStatus::kInvalidMessageId
                : code == core::Errc::kConflict ? CommandStatus::kCancelFailed
                                                : CommandStatus::kSystemError);
    co_return;
  }
  Answer(pdu, CommandStatus::kOk);
}

void CustomerSession::Answer(const Pdu& request, CommandStatus status) {
  conn_->Send(*codec::ResponseTo(request, status));
}

}  // namespace smsgw::smpp_server
