// SqliteStore's WebhookStore: the webhook outbox (migration 6). Rows are written by the delivery
// and inbound writes through OutboxWriter, claimed with a lease through the partial index
// webhooks_due, and finished by RecordWebhookAttempts. Every write is one IMMEDIATE transaction on
// the writer connection; reads use read connections. The query plans are pinned by
// sqlite_webhooks_test.cpp.

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/delivery_decisions.h"
#include "store/page_cursor.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"
#include "store/webhook_decisions.h"

namespace smsgw::store::sqlite {
namespace {

// Room for a write group's handed-over jobs, so that the list rarely grows (and moves them) while
// a transaction fills it.
constexpr size_t kJobsReserved = 64;

// The partial unique index callback_profiles_default holds exactly the defaults.
constexpr const char* kDefaultProfile =
    "SELECT id FROM callback_profiles WHERE sid = ?1 AND is_default = 1";
constexpr const char* kInsert =
    "INSERT INTO webhooks (event_id, kind, sid, subject_id, callback, callback_profile_id, state, "
    "due_at, run_started_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?7, ?7)";
// A pending row already claimed by ?9 until ?8 (a WebhookHandoff's).
constexpr const char* kInsertClaimed =
    "INSERT INTO webhooks (event_id, kind, sid, subject_id, callback, callback_profile_id, state, "
    "due_at, claim_owner, run_started_at, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?8, ?9, ?7, ?7)";

// One range scan of webhooks_due; an owner skips its own claims whose lease ran out (they are
// still in flight there).
constexpr const char* kClaimDue =
    "SELECT event_id, kind, sid, subject_id, callback, callback_profile_id, tries, "
    "run_started_at FROM webhooks WHERE due_at <= ?1 AND claim_owner <> ?2 ORDER BY due_at "
    "LIMIT ?3";
// The same range as kClaimDue, read before taking the writer: an idle sender polls often, and
// an empty poll should not hold up Enqueue and the delivery pipeline's writes.
constexpr const char* kAnyDue =
    "SELECT 1 FROM webhooks WHERE due_at <= ?1 AND claim_owner <> ?2 LIMIT 1";
constexpr const char* kClaim =
    "UPDATE webhooks SET due_at = ?2, claim_owner = ?3 WHERE event_id = ?1";
constexpr const char* kSecret = "SELECT webhook_secret FROM accounts WHERE sid = ?1";
// Not the whole row (the body above all): only what the webhook reports.
constexpr const char* kStatusMessage =
    "SELECT " SMSGW_SQLITE_REPORTED_COLUMNS " FROM messages WHERE id = ?1";
constexpr const char* kStatusEvent =
    "SELECT message_id, sid, state, details, at FROM message_events WHERE message_id = ?2 AND "
    "event_id = ?1";
constexpr const char* kInboundMessage =
    "SELECT " SMSGW_INBOUND_MESSAGE_COLUMNS " FROM inbound_messages WHERE id = ?1";
// INDEXED BY: only pending rows are in webhooks_due, a small part of the table.
// ?3 is the keeper's node prefix (OwnerNode): only that node's earlier lives are released.
constexpr const char* kRelease =
    "UPDATE webhooks INDEXED BY webhooks_due SET due_at = min(due_at, ?2), claim_owner = '' "
    "WHERE due_at IS NOT NULL AND claim_owner <> '' AND claim_owner <> ?1 AND "
    "substr(claim_owner, 1, length(?3)) = ?3";
constexpr const char* kDefer =
    "UPDATE webhooks SET due_at = ?2, claim_owner = '' WHERE event_id = ?1 AND state = 0";
constexpr const char* kWebhookRow = "SELECT state, attempts FROM webhooks WHERE event_id = ?1";
constexpr const char* kInsertAttempt =
    "INSERT INTO webhook_attempts (event_id, n, at, latency_ms, http_status, error) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
// Each records attempt number ?2 (its error ?3, at ?6, latency ?7, HTTP status ?8). The first
// goes on the row: a webhook answered at once writes no webhook_attempts row. (Not RETURNING
// attempts instead of reading the row first: SQLite buffers RETURNING rows in an ephemeral table,
// which cost more than the read.)
#define SMSGW_WEBHOOK_COUNT_ATTEMPT                          \
  "attempts = ?2, first_at = iif(?2 = 1, ?6, first_at), "    \
  "first_latency_ms = iif(?2 = 1, ?7, first_latency_ms), "   \
  "first_http_status = iif(?2 = 1, ?8, first_http_status), " \
  "first_error = iif(?2 = 1, ?3, first_error)"
// A pending webhook: retried at ?4, or finished in state ?4 at ?5.
constexpr const char* kRetry =
    "UPDATE webhooks SET " SMSGW_WEBHOOK_COUNT_ATTEMPT
    ", tries = tries + 1, last_error = ?3, due_at = ?4, claim_owner = '' WHERE event_id = ?1";
constexpr const char* kFinish =
    "UPDATE webhooks SET " SMSGW_WEBHOOK_COUNT_ATTEMPT
    ", tries = tries + 1, last_error = ?3, state = ?4, due_at = NULL, claim_owner = '', "
    "finished_at = ?5 WHERE event_id = ?1";
// The usual attempt: the first of a pending webhook, and it finished it (no retry). One statement
// instead of reading the row first; no change when the row is not that (RecordWebhookAttempts
// then takes the general way).
constexpr const char* kFinishFirst =
    "UPDATE webhooks SET attempts = 1, first_at = ?6, first_latency_ms = ?7, "
    "first_http_status = ?8, first_error = ?3, tries = tries + 1, last_error = ?3, state = ?4, "
    "due_at = NULL, claim_owner = '', finished_at = ?5 WHERE event_id = ?1 AND state = 0 AND "
    "attempts = 0";
// One no longer pending (replayed, or abandoned, while the attempt was in flight): counted only.
constexpr const char* kCountAttempt =
    "UPDATE webhooks SET " SMSGW_WEBHOOK_COUNT_ATTEMPT " WHERE event_id = ?1";
constexpr const char* kAbandon =
    "UPDATE webhooks SET state = 2, due_at = NULL, claim_owner = '', last_error = ?2, "
    "finished_at = ?3 WHERE event_id = ?1";
constexpr const char* kReplay =
    "UPDATE webhooks SET state = 0, due_at = ?3, claim_owner = '', tries = 0, "
    "run_started_at = ?3, finished_at = NULL WHERE event_id = ?2 AND sid = ?1";

#define SMSGW_WEBHOOK_SUMMARY_COLUMNS \
  "event_id, kind, subject_id, state, attempts, last_error, created_at, due_at, finished_at"
constexpr int kSummaryColumnCount = 9;
// Newest first from the cursor (?3, ?4): ties on created_at break by event_id. The account's
// webhooks in every state, the last column saying whether the row is in state ?2: ListWebhooks
// stops after a bounded number of rows (webhooks_by_sid does not move when a state changes).
constexpr const char* kList =
    "SELECT " SMSGW_WEBHOOK_SUMMARY_COLUMNS
    ", state = ?2 FROM webhooks WHERE sid = ?1 AND created_at <= ?3 AND "
    "(created_at < ?3 OR event_id < ?4) ORDER BY created_at DESC, event_id DESC";
// The exhausted ones through their own partial index: every row matches. (Without INDEXED BY the
// planner, which has no statistics, takes webhooks_by_sid.)
constexpr const char* kListExhausted =
    "SELECT " SMSGW_WEBHOOK_SUMMARY_COLUMNS
    ", 1 FROM webhooks INDEXED BY webhooks_exhausted WHERE sid = ?1 AND state = 2 AND created_at "
    "<= ?3 AND "
    "(created_at < ?3 OR event_id < ?4) ORDER BY created_at DESC, event_id DESC";
// A status webhook's event_id is its message event's, an inbound one's is the inbound message's
// id: found by primary key from the message's events (a range of their key), so no index on
// subject_id is kept up on every webhook written. `+sid`: not through webhooks_by_sid, which would
// walk the whole account.
constexpr const char* kOfSubject =
    "SELECT " SMSGW_WEBHOOK_SUMMARY_COLUMNS
    " FROM webhooks WHERE event_id IN (SELECT event_id FROM message_events WHERE message_id = ?1 "
    "UNION ALL SELECT ?1) AND subject_id = ?1 AND +sid = ?2 ORDER BY created_at, event_id";
// The first attempt from the row, the later ones from webhook_attempts (all of them there for a
// row written before migration 15: first_at NULL).
constexpr const char* kAttempts =
    "SELECT 1, first_at, first_latency_ms, first_http_status, first_error FROM webhooks "
    "WHERE event_id = ?1 AND first_at IS NOT NULL UNION ALL "
    "SELECT n, at, latency_ms, http_status, error FROM webhook_attempts WHERE event_id = ?1 "
    "ORDER BY 1";
// For operators' counters (pending, exhausted, all), each from an index alone: pending rows are
// exactly those in webhooks_due, the rest are delivered.
constexpr const char* kCounts =
    "SELECT (SELECT count(*) FROM webhooks INDEXED BY webhooks_due WHERE due_at IS NOT NULL), "
    "(SELECT count(*) FROM webhooks INDEXED BY webhooks_exhausted WHERE state = 2), "
    "(SELECT count(*) FROM webhooks INDEXED BY webhooks_by_sid)";

int64_t Value(WebhookState s) { return static_cast<int64_t>(s); }

constexpr StatementSql<WebhookStatements> kWriterStatements[] = {
    {"default_profile", &WebhookStatements::default_profile, kDefaultProfile},
    {"insert_webhook", &WebhookStatements::insert, kInsert},
    {"insert_claimed_webhook", &WebhookStatements::insert_claimed, kInsertClaimed},
    {"claim_webhooks_due", &WebhookStatements::claim_due, kClaimDue},
    {"claim_webhook", &WebhookStatements::claim, kClaim},
    {"webhook_secret", &WebhookStatements::secret, kSecret},
    {"status_message", &WebhookStatements::status_message, kStatusMessage},
    {"status_event", &WebhookStatements::status_event, kStatusEvent},
    {"inbound_message", &WebhookStatements::inbound_message, kInboundMessage},
    {"release_webhooks", &WebhookStatements::release, kRelease},
    {"defer_webhook", &WebhookStatements::defer, kDefer},
    {"webhook_row", &WebhookStatements::webhook_row, kWebhookRow},
    {"insert_attempt", &WebhookStatements::insert_attempt, kInsertAttempt},
    {"count_attempt", &WebhookStatements::count_attempt, kCountAttempt},
    {"retry_webhook", &WebhookStatements::retry, kRetry},
    {"finish_webhook", &WebhookStatements::finish, kFinish},
    {"finish_first_attempt", &WebhookStatements::finish_first, kFinishFirst},
    {"replay_webhook", &WebhookStatements::replay, kReplay},
    {"abandon_webhook", &WebhookStatements::abandon, kAbandon},
};
constexpr StatementSql<WebhookReadStatements> kReaderStatements[] = {
    {"list_webhooks", &WebhookReadStatements::list, kList},
    {"list_exhausted_webhooks", &WebhookReadStatements::list_exhausted, kListExhausted},
    {"webhooks_of", &WebhookReadStatements::of_subject, kOfSubject},
    {"webhook_attempts", &WebhookReadStatements::attempts, kAttempts},
    {"count_webhooks", &WebhookReadStatements::counts, kCounts},
    {"any_webhook_due", &WebhookReadStatements::any_due, kAnyDue},
};

core::Result<WebhookSummary> ReadSummary(const Statement& s) {
  auto kind =
      EnumColumn<WebhookKind>(s, 1, static_cast<int64_t>(WebhookKind::kInbound), "webhook kind");
  if (!kind) {
    return Fail(std::move(kind));
  }
  auto state = EnumColumn<WebhookState>(s, 3, Value(WebhookState::kExhausted), "webhook state");
  if (!state) {
    return Fail(std::move(state));
  }
  WebhookSummary w;
  w.event_id = s.ColumnText(0);
  w.kind = *kind;
  w.subject_id = s.ColumnText(2);
  w.state = *state;
  w.attempts = static_cast<int>(s.ColumnInt64(4));
  w.last_error = s.ColumnText(5);
  w.created_at = core::FromUnixMillis(s.ColumnInt64(6));
  if (w.state == WebhookState::kPending && !s.ColumnIsNull(7)) {
    w.next_attempt_at = core::FromUnixMillis(s.ColumnInt64(7));
  }
  if (!s.ColumnIsNull(8)) {
    w.finished_at = core::FromUnixMillis(s.ColumnInt64(8));
  }
  return w;
}

}  // namespace

core::Result<void> LoadSubject(WebhookStatements& w, WebhookJob& job,
                               const std::string& subject_id) {
  if (job.kind == WebhookKind::kStatus) {
    {
      Statement& select = w.status_message;
      const ScopedReset reset(select);
      select.BindText(1, subject_id);
      auto message = ReadOne(
          select, [](const Statement& s) { return ReadReportedMessage(s, 0); },
          NoMessage(subject_id));
      if (!message) {
        return Fail(std::move(message));
      }
      job.message = std::move(*message);
    }
    Statement& select = w.status_event;
    const ScopedReset reset(select);
    select.BindText(1, job.event_id);
    select.BindText(2, subject_id);
    auto event = ReadOne(
        select,
        [&](const Statement& s) -> core::Result<StatusEvent> {
          auto state = StateColumn(s, 2);
          if (!state) {
            return Fail(std::move(state));
          }
          return StatusEvent{job.event_id, s.ColumnText(0), s.ColumnText(1),
                             *state,       s.ColumnText(3), core::FromUnixMillis(s.ColumnInt64(4))};
        },
        "no message event '" + job.event_id + "'");
    if (!event) {
      return Fail(std::move(event));
    }
    job.event = std::move(*event);
    return {};
  }
  Statement& select = w.inbound_message;
  const ScopedReset reset(select);
  select.BindText(1, subject_id);
  auto message = ReadOne(select, ReadInbound, "no inbound message '" + subject_id + "'");
  if (!message) {
    return Fail(std::move(message));
  }
  job.inbound.number_id = message->number_id;
  job.inbound.number = DigitsOnly(message->destination);
  job.inbound.keyword = message->keyword;
  job.inbound.message = std::move(*message);
  return {};
}

core::Result<void> WebhookStatements::Prepare(Db& db) {
  return PrepareEach(db, *this, kWriterStatements);
}

core::Result<void> WebhookReadStatements::Prepare(Db& db) {
  return PrepareEach(db, *this, kReaderStatements);
}

std::vector<NamedSql> WebhookSqlForTest() {
  return NamedSqlOf(kWriterStatements, kReaderStatements);
}

core::Result<std::string> OutboxWriter::Cached(Statement& select, Cache& cache,
                                               std::string_view sid) {
  if (auto found = cache.find(sid); found != cache.end()) {
    return found->second;
  }
  const ScopedReset reset(select);
  select.BindText(1, sid);
  auto row = HasRow(select);
  if (!row) {
    return Fail(std::move(row));
  }
  std::string value = *row ? select.ColumnText(0) : std::string();
  cache.emplace(std::string(sid), value);
  return value;
}

core::Result<std::string> OutboxWriter::DefaultProfile(std::string_view sid) {
  return Cached(w_.default_profile, defaults_, sid);
}

core::Result<std::string> OutboxWriter::Secret(std::string_view sid) {
  return Cached(w_.secret, secrets_, sid);
}

core::Result<void> OutboxWriter::Add(WebhookKind kind, std::string_view event_id,
                                     std::string_view sid, std::string_view subject_id,
                                     std::string_view callback,
                                     std::string_view callback_profile_id, core::TimePoint at,
                                     const StatusReport* report) {
  // The account's default profile is read (once per account and transaction) only when it may be
  // the target: most webhooks name theirs.
  std::string account_default;
  if (WebhookTargetSourceOf(callback, callback_profile_id) ==
      WebhookTargetSource::kAccountDefault) {
    auto read = DefaultProfile(sid);
    if (!read) {
      return Fail(std::move(read));
    }
    account_default = std::move(*read);
  }
  std::optional<WebhookTarget> target =
      ResolveWebhookTarget(callback, callback_profile_id, account_default);
  if (!target) {
    return {};  // nowhere to send it
  }
  const bool claim = claimed_ && kind == WebhookKind::kStatus;
  {
    Statement& insert = claim ? w_.insert_claimed : w_.insert;
    const ScopedReset reset(insert);
    insert.BindText(1, event_id);
    insert.BindInt64(2, static_cast<int64_t>(kind));
    insert.BindText(3, sid);
    insert.BindText(4, subject_id);
    insert.BindText(5, target->callback);
    insert.BindText(6, target->callback_profile_id);
    insert.BindInt64(7, Ms(at));
    if (claim) {
      insert.BindInt64(8, Ms(at + claimed_->lease));
      insert.BindText(9, claimed_->owner);
    }
    if (auto ran = insert.Run(); !ran) {
      return ran;
    }
  }
  if (!claim) {
    return {};
  }
  // Built in place in the handed-over list (a job is some forty strings); a failure fails the
  // whole transaction, whose retry starts the list again.
  std::vector<WebhookJob>& jobs = *claimed_->jobs;
  if (jobs.capacity() == 0) {
    jobs.reserve(kJobsReserved);
  }
  WebhookJob& job = jobs.emplace_back();
  job.event_id = std::string(event_id);
  job.kind = kind;
  job.sid = std::string(sid);
  job.run_started_at = at;
  job.callback = std::move(target->callback);
  job.callback_profile_id = std::move(target->callback_profile_id);
  auto secret = Secret(sid);
  if (!secret) {
    jobs.pop_back();
    return Fail(std::move(secret));
  }
  job.secret = std::move(*secret);
  if (report != nullptr) {
    job.message = std::move(report->message);
    job.event = report->event;
  } else if (auto loaded = LoadSubject(w_, job, std::string(subject_id)); !loaded) {
    jobs.pop_back();
    return loaded;
  }
  return {};
}

void SqliteStore::SetWebhookHandoff(WebhookHandoff* handoff, std::string_view owner,
                                    std::chrono::milliseconds lease) {
  std::lock_guard lock(handoff_mu_);
  handoff_ = {handoff, std::string(owner), lease, handoff_.generation + 1};
}

void SqliteStore::ClearWebhookHandoff(WebhookHandoff* handoff) {
  std::lock_guard lock(handoff_mu_);
  if (handoff_.to == handoff) {
    handoff_ = {nullptr, "", std::chrono::milliseconds(0), handoff_.generation + 1};
  }
}

SqliteStore::Handoff SqliteStore::HandoffNow() {
  std::lock_guard lock(handoff_mu_);
  return handoff_;
}

void SqliteStore::HandOver(const Handoff& taken, std::vector<WebhookJob> jobs) {
  if (jobs.empty()) {
    return;
  }
  // Under the mutex, so that ClearWebhookHandoff returns only once no call is under way. A
  // handoff replaced since the write began is not given another's claims: they wait out their
  // lease (or the next start's ReleaseWebhookClaims) like a claim whose sender died.
  std::lock_guard lock(handoff_mu_);
  if (handoff_.to != nullptr && handoff_.generation == taken.generation) {
    handoff_.to->TakeWebhooks(std::move(jobs));
  }
}

core::Result<std::vector<WebhookJob>> SqliteStore::ClaimWebhooks(std::string_view owner,
                                                                 core::TimePoint now,
                                                                 std::chrono::milliseconds lease,
                                                                 size_t limit) {
  std::vector<WebhookJob> jobs;
  if (limit == 0) {
    return jobs;
  }
  auto any_due = WithReader([&](ReadConnection& r) -> core::Result<bool> {
    Statement& select = r.webhooks.any_due;
    const ScopedReset reset(select);
    select.BindInt64(1, Ms(now));
    select.BindText(2, owner);
    return HasRow(select);
  });
  if (!any_due) {
    return std::unexpected(std::move(any_due.error()));
  }
  if (!*any_due) {
    return jobs;
  }
  WebhookStatements& w = writer_->webhooks;
  auto claimed = InWriteGroup(WriteLane::kPipeline, [&]() -> core::Result<void> {
    jobs.clear();
    std::vector<std::string> subjects;
    {
      Statement& select = w.claim_due;
      const ScopedReset reset(select);
      select.BindInt64(1, Ms(now));
      select.BindText(2, owner);
      select.BindInt64(
          3, static_cast<int64_t>(std::min<size_t>(limit, std::numeric_limits<int64_t>::max())));
      auto read = ReadAll<WebhookJob>(select, [&](const Statement& s) -> core::Result<WebhookJob> {
        auto kind = EnumColumn<WebhookKind>(s, 1, static_cast<int64_t>(WebhookKind::kInbound),
                                            "webhook kind");
        if (!kind) {
          return Fail(std::move(kind));
        }
        WebhookJob job;
        job.event_id = s.ColumnText(0);
        job.kind = *kind;
        job.sid = s.ColumnText(2);
        subjects.push_back(s.ColumnText(3));
        job.callback = s.ColumnText(4);
        job.callback_profile_id = s.ColumnText(5);
        job.tries = static_cast<int>(s.ColumnInt64(6));
        job.run_started_at = core::FromUnixMillis(s.ColumnInt64(7));
        return job;
      });
      if (!read) {
        return Fail(std::move(read));
      }
      jobs = std::move(*read);
    }
    // Updated after the scan: changing rows of the index a statement is walking is undefined.
    std::unordered_map<std::string, std::string> secrets;
    for (size_t i = 0; i < jobs.size(); ++i) {
      WebhookJob& job = jobs[i];
      {
        Statement& update = w.claim;
        const ScopedReset reset(update);
        update.BindText(1, job.event_id);
        update.BindInt64(2, Ms(now + lease));
        update.BindText(3, owner);
        if (auto ran = update.Run(); !ran) {
          return ran;
        }
      }
      auto secret = secrets.find(job.sid);
      if (secret == secrets.end()) {
        Statement& select = w.secret;
        const ScopedReset reset(select);
        select.BindText(1, job.sid);
        auto row = HasRow(select);
        if (!row) {
          return Fail(std::move(row));
        }
        secret = secrets.emplace(job.sid, *row ? select.ColumnText(0) : std::string()).first;
      }
      job.secret = secret->second;
      auto loaded = LoadSubject(w, job, subjects[i]);
      if (!loaded && loaded.error().code == core::Errc::kNotFound) {
        // What it reports is no longer stored: nothing can ever be sent, so it ends here rather
        // than failing every claim after this one.
        Statement& abandon = w.abandon;
        const ScopedReset reset(abandon);
        abandon.BindText(1, job.event_id);
        abandon.BindText(2, loaded.error().message);
        abandon.BindInt64(3, Ms(now));
        if (auto ran = abandon.Run(); !ran) {
          return ran;
        }
        job.event_id.clear();  // dropped below
        continue;
      }
      if (!loaded) {
        return loaded;
      }
    }
    std::erase_if(jobs, [](const WebhookJob& job) { return job.event_id.empty(); });
    return {};
  });
  if (!claimed) {
    return Fail(std::move(claimed));
  }
  return jobs;
}

core::Result<size_t> SqliteStore::ReleaseWebhookClaims(std::string_view keep_owner,
                                                       core::TimePoint now) {
  std::lock_guard lock(write_mu_);
  Statement& release = writer_->webhooks.release;
  const ScopedReset reset(release);
  release.BindText(1, keep_owner);
  release.BindInt64(2, Ms(now));
  const std::string node = OwnerNode(keep_owner);
  release.BindText(3, node);
  if (auto ran = release.Run(); !ran) {
    return Fail(std::move(ran));
  }
  return static_cast<size_t>(writer_->db.Changes());
}

core::Result<void> SqliteStore::DeferWebhooks(std::span<const std::string> event_ids,
                                              core::TimePoint due_at) {
  if (event_ids.empty()) {
    return {};
  }
  Statement& defer = writer_->webhooks.defer;
  return InWriteGroup(WriteLane::kPipeline, [&]() -> core::Result<void> {
    for (const std::string& id : event_ids) {
      const ScopedReset reset(defer);
      defer.BindText(1, id);
      defer.BindInt64(2, Ms(due_at));
      if (auto ran = defer.Run(); !ran) {
        return ran;
      }
    }
    return {};
  });
}

core::Result<void> SqliteStore::RecordWebhookAttempts(std::span<const WebhookAttempt> attempts) {
  if (attempts.empty()) {
    return {};
  }
  WebhookStatements& w = writer_->webhooks;
  return InWriteGroup(WriteLane::kPipeline, [&]() -> core::Result<void> {
    for (const WebhookAttempt& a : attempts) {
      const WebhookState finished = AttemptFinishState(a);
      // The usual case first: an attempt that finishes a pending webhook, tried without reading
      // the row (kFinishFirst checks it is pending on its first attempt).
      if (AttemptEffectOn(WebhookState::kPending, a) == AttemptEffect::kFinish) {
        Statement& first = w.finish_first;
        const ScopedReset reset(first);
        first.BindText(1, a.event_id);
        first.BindText(3, a.error);
        first.BindInt64(4, Value(finished));
        first.BindInt64(5, Ms(a.at + a.latency));
        first.BindInt64(6, Ms(a.at));
        first.BindInt64(7, a.latency.count());
        first.BindInt64(8, a.http_status);
        if (auto ran = first.Run(); !ran) {
          return ran;
        }
        if (writer_->db.Changes() == 1) {
          continue;
        }
      }
      WebhookState state = WebhookState::kPending;
      int64_t n = 0;
      {
        Statement& select = w.webhook_row;
        const ScopedReset reset(select);
        select.BindText(1, a.event_id);
        auto row = HasRow(select);
        if (!row) {
          return Fail(std::move(row));
        }
        if (!*row) {
          continue;  // no such webhook: nothing to log the attempt against
        }
        auto read =
            EnumColumn<WebhookState>(select, 0, Value(WebhookState::kExhausted), "webhook state");
        if (!read) {
          return Fail(std::move(read));
        }
        state = *read;
        n = select.ColumnInt64(1) + 1;
      }
      if (n > 1) {  // the first is written on the row by the update below
        Statement& insert = w.insert_attempt;
        const ScopedReset reset(insert);
        insert.BindText(1, a.event_id);
        insert.BindInt64(2, n);
        insert.BindInt64(3, Ms(a.at));
        insert.BindInt64(4, a.latency.count());
        insert.BindInt64(5, a.http_status);
        insert.BindText(6, a.error);
        if (auto ran = insert.Run(); !ran) {
          return ran;
        }
      }
      const AttemptEffect effect = AttemptEffectOn(state, a);
      Statement& update = effect == AttemptEffect::kCountOnly ? w.count_attempt
                          : effect == AttemptEffect::kRetry   ? w.retry
                                                              : w.finish;
      const ScopedReset reset(update);
      update.BindText(1, a.event_id);
      update.BindInt64(2, n);
      update.BindText(3, a.error);
      update.BindInt64(6, Ms(a.at));
      update.BindInt64(7, a.latency.count());
      update.BindInt64(8, a.http_status);
      if (effect == AttemptEffect::kRetry) {
        update.BindInt64(4, Ms(*a.retry_at));
      } else if (effect == AttemptEffect::kFinish) {
        update.BindInt64(4, Value(finished));
        update.BindInt64(5, Ms(a.at + a.latency));
      }
      if (auto ran = update.Run(); !ran) {
        return ran;
      }
    }
    return {};
  });
}

core::Result<void> SqliteStore::ReplayWebhook(std::string_view sid, std::string_view event_id,
                                              core::TimePoint now) {
  std::lock_guard lock(write_mu_);
  Statement& replay = writer_->webhooks.replay;
  const ScopedReset reset(replay);
  replay.BindText(1, sid);
  replay.BindText(2, event_id);
  replay.BindInt64(3, Ms(now));
  if (auto ran = replay.Run(); !ran) {
    return ran;
  }
  if (writer_->db.Changes() == 0) {
    return core::MakeError(core::Errc::kNotFound, "no webhook '" + std::string(event_id) + "'");
  }
  return {};
}

core::Result<WebhookPage> SqliteStore::ListWebhooks(std::string_view sid, WebhookState state,
                                                    std::string_view cursor, size_t limit) {
  if (limit == 0) {
    return core::MakeError(core::Errc::kInvalidArgument, "limit must be at least 1");
  }
  PageCursor from{std::numeric_limits<int64_t>::max(), ""};
  if (!cursor.empty()) {
    auto decoded = DecodePageCursor(cursor);
    if (!decoded) {
      return Fail(std::move(decoded));
    }
    from = std::move(*decoded);
  }
  const size_t budget = std::max(kMaxListScan, 2 * limit);
  return WithReader([&](ReadConnection& r) -> core::Result<WebhookPage> {
    Statement& select =
        state == WebhookState::kExhausted ? r.webhooks.list_exhausted : r.webhooks.list;
    const ScopedReset reset(select);
    select.BindText(1, sid);
    select.BindInt64(2, Value(state));
    select.BindInt64(3, from.created_ms);
    select.BindText(4, from.id);
    auto read = ReadBoundedPage<WebhookSummary>(
        select, kSummaryColumnCount, limit, budget, ReadSummary,
        [](const WebhookSummary& last) {
          return EncodePageCursor(Ms(last.created_at), last.event_id);
        },
        [](const Statement& s) { return EncodePageCursor(s.ColumnInt64(6), s.ColumnText(0)); });
    if (!read) {
      return Fail(std::move(read));
    }
    return WebhookPage{std::move(read->first), std::move(read->second)};
  });
}

core::Result<std::vector<WebhookSummary>> SqliteStore::WebhooksOf(std::string_view sid,
                                                                  std::string_view subject_id) {
  return WithReader([&](ReadConnection& r) -> core::Result<std::vector<WebhookSummary>> {
    return r.InSnapshot([&]() -> core::Result<std::vector<WebhookSummary>> {
      std::vector<WebhookSummary> all;
      {
        Statement& select = r.webhooks.of_subject;
        const ScopedReset reset(select);
        select.BindText(1, subject_id);
        select.BindText(2, sid);
        auto read = ReadAll<WebhookSummary>(select, ReadSummary);
        if (!read) {
          return Fail(std::move(read));
        }
        all = std::move(*read);
      }
      for (WebhookSummary& w : all) {
        Statement& select = r.webhooks.attempts;
        const ScopedReset reset(select);
        select.BindText(1, w.event_id);
        auto read =
            ReadAll<AttemptRecord>(select, [](const Statement& s) -> core::Result<AttemptRecord> {
              return AttemptRecord{static_cast<int>(s.ColumnInt64(0)),
                                   core::FromUnixMillis(s.ColumnInt64(1)),
                                   std::chrono::milliseconds(s.ColumnInt64(2)),
                                   static_cast<int>(s.ColumnInt64(3)), s.ColumnText(4)};
            });
        if (!read) {
          return Fail(std::move(read));
        }
        w.attempt_log = std::move(*read);
      }
      return all;
    });
  });
}

core::Result<WebhookCounts> SqliteStore::CountWebhooks() {
  return WithReader([&](ReadConnection& r) -> core::Result<WebhookCounts> {
    Statement& select = r.webhooks.counts;
    const ScopedReset reset(select);
    auto row = HasRow(select);
    if (!row) {
      return Fail(std::move(row));
    }
    WebhookCounts counts;
    counts.pending = static_cast<uint64_t>(select.ColumnInt64(0));
    counts.exhausted = static_cast<uint64_t>(select.ColumnInt64(1));
    counts.delivered =
        static_cast<uint64_t>(select.ColumnInt64(2)) - counts.pending - counts.exhausted;
    return counts;
  });
}

}  // namespace smsgw::store::sqlite
