#include "store/postgres/outbox.h"

#include <optional>
#include <utility>

#include "store/postgres/delivery_stats.h"
#include "store/webhook_decisions.h"

namespace smsgw::store::postgres {
namespace {

// The partial unique index callback_profiles_default holds exactly the defaults.
constexpr const char* kDefaultProfile =
    "SELECT id FROM callback_profiles WHERE sid = $1 AND is_default";
constexpr const char* kSecret = "SELECT coalesce(webhook_secret, '') FROM accounts WHERE sid = $1";
constexpr const char* kInsert =
    "INSERT INTO webhooks (event_id, kind, sid, subject_id, callback, callback_profile_id, state, "
    "due_at, run_started_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $7, $7)";
// A pending row already claimed by $9 until $8 (a WebhookHandoff's).
constexpr const char* kInsertClaimed =
    "INSERT INTO webhooks (event_id, kind, sid, subject_id, callback, callback_profile_id, state, "
    "due_at, claim_owner, run_started_at, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, 0, $8, $9, $7, $7)";

// The target of a webhook of `sid` (ResolveWebhookTarget), reading the account's default profile
// only when it may be the target: most webhooks name theirs.
template <class ReadDefault>
core::Result<std::optional<WebhookTarget>> TargetOf(std::string_view callback,
                                                    std::string_view callback_profile_id,
                                                    ReadDefault&& read_default) {
  std::string account_default;
  if (WebhookTargetSourceOf(callback, callback_profile_id) ==
      WebhookTargetSource::kAccountDefault) {
    auto read = read_default();
    if (!read) {
      return Fail(std::move(read));
    }
    account_default = std::move(*read);
  }
  return ResolveWebhookTarget(callback, callback_profile_id, account_default);
}

// The one text column `sql` reads for `sid`; '' without a row.
core::Result<std::string> ReadText(Connection& conn, const char* sql, std::string_view sid) {
  auto rows = conn.Exec(sql, Params().Text(sid));
  if (!rows) {
    return Fail(std::move(rows));
  }
  return rows->rows() == 0 ? std::string() : rows->Text(0, 0);
}

core::Result<void> Insert(Connection& conn, WebhookKind kind, std::string_view event_id,
                          std::string_view sid, std::string_view subject_id,
                          const WebhookTarget& target, core::TimePoint at,
                          const HandoffSetting* claimed) {
  Params params;
  params.Text(event_id)
      .Int(static_cast<int64_t>(kind))
      .Text(sid)
      .Text(subject_id)
      .Text(target.callback)
      .Text(target.callback_profile_id)
      .Time(at);
  if (claimed != nullptr) {
    params.Time(at + claimed->lease).Text(claimed->owner);
  }
  auto inserted = conn.Exec(claimed != nullptr ? kInsertClaimed : kInsert, params);
  if (!inserted) {
    return Fail(std::move(inserted));
  }
  return {};
}

}  // namespace

core::Result<void> WriteInboundWebhook(Connection& conn, std::string_view sid,
                                       std::string_view inbound_id, std::string_view callback,
                                       std::string_view callback_profile_id, core::TimePoint at) {
  auto target =
      TargetOf(callback, callback_profile_id, [&] { return ReadText(conn, kDefaultProfile, sid); });
  if (!target) {
    return Fail(std::move(target));
  }
  if (!*target) {
    return {};  // nowhere to send it
  }
  return Insert(conn, WebhookKind::kInbound, inbound_id, sid, inbound_id, **target, at, nullptr);
}

void TransactionOutbox::Start() {
  jobs_.clear();
  // Read again in each run: what the last one read may have changed before this one began.
  defaults_.clear();
  secrets_.clear();
  rollup_.clear();
  finished_.clear();
  receipt_delays_.clear();
  smpp_outbox_ = {};
}

void TransactionOutbox::Accepted(std::string_view sid, core::RouteType type, core::TimePoint at) {
  rollup_.Accepted(sid, type, at);
}

void TransactionOutbox::Finished(const MessageRow& row, core::MessageState state,
                                 core::TimePoint at) {
  finished_.emplace_back(row.type, state);
  rollup_.Finished(row.sid, row.connector, row.type, state, at, row.receipt_delay);
}

core::Result<void> TransactionOutbox::WriteRollup(Connection& conn, WriteStats& stats) {
  if (rollup_.empty()) {
    return {};
  }
  return postgres::WriteRollup(conn, rollup_, stats);
}

void TransactionOutbox::Count(WriteStats& stats) const {
  for (const auto& [type, state] : finished_) {
    stats.Finished(type, state);
  }
  for (const double delay : receipt_delays_) {
    stats.ReceiptDelay(delay);
  }
}

core::Result<std::string> TransactionOutbox::Cached(Connection& conn, const char* sql, Cache& cache,
                                                    std::string_view sid) {
  if (auto found = cache.find(sid); found != cache.end()) {
    return found->second;
  }
  auto read = ReadText(conn, sql, sid);
  if (!read) {
    return Fail(std::move(read));
  }
  cache.emplace(std::string(sid), *read);
  return read;
}

core::Result<std::string> TransactionOutbox::DefaultProfile(Connection& conn,
                                                            std::string_view sid) {
  return Cached(conn, kDefaultProfile, defaults_, sid);
}

core::Result<std::string> TransactionOutbox::Secret(Connection& conn, std::string_view sid) {
  return Cached(conn, kSecret, secrets_, sid);
}

void OutboxState::Set(WebhookHandoff* handoff, std::string_view owner,
                      std::chrono::milliseconds lease) {
  std::lock_guard lock(mu_);
  setting_ = {handoff, std::string(owner), lease, setting_.generation + 1};
}

void OutboxState::Clear(WebhookHandoff* handoff) {
  std::lock_guard lock(mu_);
  if (setting_.to == handoff) {
    setting_ = {nullptr, "", std::chrono::milliseconds(0), setting_.generation + 1};
  }
}

HandoffSetting OutboxState::Now() {
  std::lock_guard lock(mu_);
  return setting_;
}

void OutboxState::HandOver(TransactionOutbox& writes) {
  if (writes.jobs().empty()) {
    return;
  }
  // Under the mutex, so that Clear returns only once no call is under way. A handoff replaced
  // since the write began is not given another's claims: they wait out their lease (or a
  // ReleaseWebhookClaims) like a claim whose sender died.
  std::lock_guard lock(mu_);
  if (setting_.to != nullptr && setting_.generation == writes.setting().generation) {
    setting_.to->TakeWebhooks(std::move(writes.jobs()));
  }
}

core::Result<void> WriteStatusWebhook(Connection& conn, const MessageRow& row,
                                      const StatusEvent& event, TransactionOutbox& writes) {
  auto target = TargetOf(row.callback, row.callback_profile_id,
                         [&] { return writes.DefaultProfile(conn, row.sid); });
  if (!target) {
    return Fail(std::move(target));
  }
  if (!*target) {
    return {};  // nowhere to send it
  }
  const HandoffSetting* claimed = writes.claiming() ? &writes.setting() : nullptr;
  if (auto inserted = Insert(conn, WebhookKind::kStatus, event.event_id, row.sid, row.id, **target,
                             event.at, claimed);
      !inserted) {
    return inserted;
  }
  if (claimed == nullptr) {
    return {};
  }
  auto secret = writes.Secret(conn, row.sid);
  if (!secret) {
    return Fail(std::move(secret));
  }
  WebhookJob job;
  job.event_id = event.event_id;
  job.kind = WebhookKind::kStatus;
  job.sid = row.sid;
  job.run_started_at = event.at;
  job.secret = std::move(*secret);
  job.callback = std::move((*target)->callback);
  job.callback_profile_id = std::move((*target)->callback_profile_id);
  job.message = ReportedMessage(row);
  job.event = event;
  writes.jobs().push_back(std::move(job));
  return {};
}

}  // namespace smsgw::store::postgres
