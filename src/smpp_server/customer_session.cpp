#include "smpp_server/customer_session.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <variant>

#include "api/async_bridge.h"
#include "core/ids.h"
#include "smpp/codec/command_status.h"
#include "smpp/codec/pdu_codec.h"
#include "smpp/codec/tlv.h"
#include "smpp/log_escaped.h"
#include "smpp_server/query_answer.h"
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

// A customer's system_id in a log line: printable ASCII only (it is bounded by the codec).
std::string Printable(std::string_view text) {
  std::string out(text);
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c < ' ' || c > '~'; }, '?');
  return out;
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
      conn_->Send(*codec::ResponseTo(p));
      conn_->CloseAfterFlush();
      break;  // nothing sent after unbind is answered (SMPP 3.4 §4.2)
    } else if (std::holds_alternative<codec::EnquireLinkResp>(p.body)) {
      probed_at_.reset();
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
  while (pending_ > 0 && Clock::now() < give_up) {
    wait.expires_after(std::chrono::milliseconds(10));
    boost::system::error_code ec;
    co_await wait.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  if (mode_) {
    SPDLOG_INFO("smpp server: session {} of \"{}\" closed ({})", id_, Printable(system_id_),
                conn_->error().message());
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
      Pdu probe{0, next_sequence_, codec::EnquireLink{}};
      next_sequence_ = next_sequence_ == 0x7FFFFFFF ? 1 : next_sequence_ + 1;  // §3.2
      conn_->Send(probe);
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
    SPDLOG_ERROR("smpp server: bind as \"{}\" failed: {}", Printable(bind.system_id),
                 secret.error().message);
    Answer(pdu, CommandStatus::kSystemError);
    co_return;
  }
  // The hash (milliseconds of PBKDF2) is computed on the hash thread, not on the io thread, and
  // either way, so that an unknown system_id costs what a known one does.
  const std::string salt = *secret ? (*secret)->salt : std::string();
  const std::string hash = co_await api::RunBlocking(
      deps_.hash_pool, [&] { return core::PasswordHashHex(salt, bind.password); });
  if (!*secret || !core::HashesEqual(hash, (*secret)->password_hash)) {
    asio::steady_timer delay(conn_->executor(), arrived + kRefusalDelay);
    boost::system::error_code ec;
    co_await delay.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    SPDLOG_INFO("smpp server: session {} bind as \"{}\" refused: invalid system_id or password",
                id_, Printable(bind.system_id));
    Answer(pdu, CommandStatus::kInvalidPassword);
    co_return;
  }
  const std::string sid = (*secret)->sid;
  const int64_t max_rate = (*secret)->max_rate.value_or(deps_.config.max_rate);
  const std::string type = (*secret)->type;
  auto settings = co_await api::RunBlocking(deps_.store_pool,
                                            [&] { return deps_.stores.accounts.GetSettings(sid); });
  if (!settings) {
    SPDLOG_ERROR("smpp server: bind as \"{}\": account settings not read: {}",
                 Printable(bind.system_id), settings.error().message);
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
                Printable(bind.system_id), sid, deps_.config.max_binds_per_account);
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
  Pdu response = *codec::ResponseTo(pdu);
  auto& body = std::get<codec::BindResp>(response.body);
  body.system_id = kServerSystemId;
  body.tlvs.SetU8(codec::tag::kScInterfaceVersion, codec::kInterfaceVersion34);
  conn_->Send(response);
  SPDLOG_INFO("smpp server: session {} from {} bound as \"{}\" (account {}, {})", id_,
              conn_->remote(), Printable(system_id_), sid_,
              codec::CommandName(codec::CommandIdOf(pdu)));
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
  conn_->Send(co_await AnswerSubmit({deps_.validator, deps_.committer, deps_.clock, sid_, settings_,
                                     system_id_, deps_.throughput, max_rate_, type_},
                                    std::move(pdu)));
}

asio::awaitable<void> CustomerSession::Query(Pdu pdu) {
  const auto& query = std::get<codec::QuerySm>(pdu.body);
  auto detail = co_await api::RunBlocking(
      deps_.store_pool, [&] { return deps_.stores.log.GetDetail(sid_, query.message_id); });
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
  const core::TimePoint now = deps_.clock.Now();
  auto cancelled = co_await api::RunBlocking(
      deps_.store_pool, [&] { return deps_.stores.delivery.Cancel(sid_, cancel.message_id, now); });
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
