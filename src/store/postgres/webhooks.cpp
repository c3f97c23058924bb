#include "store/postgres/webhooks.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "store/delivery_decisions.h"
#include "store/page_cursor.h"
#include "store/postgres/inbound.h"
#include "store/postgres/settle.h"
#include "store/webhook_decisions.h"

namespace smsgw::store::postgres {
namespace {

// The due rows, oldest due first through webhooks_due, taken and leased in one statement. An owner
// skips its own claims whose lease ran out (they are still in flight there); SKIP LOCKED: nodes
// claiming at once take different rows. RETURNING comes in no order: was_due sorts it.
constexpr const char* kClaimDue =
    "WITH due AS (SELECT event_id AS due_id, due_at AS was_due FROM webhooks WHERE due_at <= $1 "
    "AND claim_owner <> $2 ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED) "
    "UPDATE webhooks SET due_at = $4, claim_owner = $2 FROM due WHERE event_id = due_id "
    "RETURNING event_id, kind, sid, subject_id, callback, callback_profile_id, tries, "
    "run_started_at, was_due";
constexpr const char* kSecrets =
    "SELECT sid, coalesce(webhook_secret, '') FROM accounts WHERE sid = ANY($1::text[])";
constexpr const char* kStatusMessages =
    "SELECT " SMSGW_PG_MESSAGE_ROW_COLUMNS " FROM messages WHERE id = ANY($1::text[])";
// Each (message, event) of the batch: a probe of message_events' primary key.
constexpr const char* kStatusEvents =
    "SELECT e.event_id, e.message_id, e.sid, e.state, e.details, e.at FROM message_events e "
    "JOIN unnest($1::text[], $2::text[]) AS k(message_id, event_id) "
    "ON e.message_id = k.message_id AND e.event_id = k.event_id";
// What an inbound webhook reports (InboundStore's table and reader, inbound.h).
#define SMSGW_INBOUND_COLUMNS SMSGW_PG_INBOUND_MESSAGE_COLUMNS("")
constexpr const char* kInboundMessages =
    "SELECT " SMSGW_INBOUND_COLUMNS " FROM inbound_messages WHERE id = ANY($1::text[])";
#undef SMSGW_INBOUND_COLUMNS
constexpr const char* kAbandon =
    "UPDATE webhooks SET state = 2, due_at = NULL, claim_owner = '', last_error = $2, "
    "finished_at = $3 WHERE event_id = $1";
// $3 is the keeper's node prefix (OwnerNode): only that node's earlier lives are released.
constexpr const char* kRelease =
    "UPDATE webhooks SET due_at = LEAST(due_at, $2), claim_owner = '' WHERE due_at IS NOT NULL "
    "AND claim_owner <> '' AND claim_owner <> $1 AND left(claim_owner, length($3)) = $3";
constexpr const char* kDefer =
    "UPDATE webhooks SET due_at = $2, claim_owner = '' WHERE event_id = ANY($1::text[]) AND "
    "state = 0";
// Counts the attempt on the row and locks it: an attempt recorded for this webhook on another
// node waits here, then reads the count this one left.
constexpr const char* kCountAttempt =
    "UPDATE webhooks SET attempts = attempts + 1 WHERE event_id = $1 RETURNING state, attempts";
constexpr const char* kInsertAttempt =
    "INSERT INTO webhook_attempts (event_id, n, at, latency_ms, http_status, error) "
    "VALUES ($1, $2, $3, $4, $5, $6)";
constexpr const char* kRetry =
    "UPDATE webhooks SET tries = tries + 1, last_error = $2, due_at = $3, claim_owner = '' "
    "WHERE event_id = $1";
constexpr const char* kFinish =
    "UPDATE webhooks SET tries = tries + 1, last_error = $2, state = $3, due_at = NULL, "
    "claim_owner = '', finished_at = $4 WHERE event_id = $1";
constexpr const char* kReplay =
    "UPDATE webhooks SET state = 0, due_at = $3, claim_owner = '', tries = 0, "
    "run_started_at = $3, finished_at = NULL WHERE event_id = $2 AND sid = $1";

#define SMSGW_WEBHOOK_SUMMARY_COLUMNS \
  "event_id, kind, subject_id, state, attempts, last_error, created_at, due_at, finished_at"
// Newest first from the cursor ($3, $4), ties on created_at by event_id in byte order (as
// SQLite's); $5 = the page's limit + 1.
constexpr const char* kList =
    "SELECT " SMSGW_WEBHOOK_SUMMARY_COLUMNS
    " FROM webhooks WHERE sid = $1 AND state = $2 AND created_at <= $3 AND "
    "(created_at < $3 OR event_id COLLATE \"C\" < $4) "
    "ORDER BY created_at DESC, event_id COLLATE \"C\" DESC LIMIT $5";
constexpr const char* kOfSubject =
    "SELECT " SMSGW_WEBHOOK_SUMMARY_COLUMNS
    " FROM webhooks WHERE subject_id = $1 AND sid = $2 ORDER BY created_at, event_id COLLATE \"C\"";
constexpr const char* kAttempts =
    "SELECT event_id, n, at, latency_ms, http_status, error FROM webhook_attempts "
    "WHERE event_id = ANY($1::text[]) ORDER BY event_id, n";
// Pending rows are exactly those with a due time.
constexpr const char* kCounts =
    "SELECT count(*) FILTER (WHERE due_at IS NOT NULL), count(*) FILTER (WHERE state = 2), "
    "count(*) FROM webhooks";

int64_t Bigint(size_t n) {
  constexpr auto kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  return static_cast<int64_t>(std::min<uint64_t>(n, kMax));
}

std::string DigitsOnly(std::string_view text) {
  std::string out;
  std::copy_if(text.begin(), text.end(), std::back_inserter(out),
               [](char c) { return c >= '0' && c <= '9'; });
  return out;
}

core::Result<WebhookSummary> ReadSummary(const Rows& rows, int i) {
  auto kind = rows.Enum(i, 1, WebhookKind::kInbound, "webhook kind");
  if (!kind) {
    return Fail(std::move(kind));
  }
  auto state = rows.Enum(i, 3, WebhookState::kExhausted, "webhook state");
  if (!state) {
    return Fail(std::move(state));
  }
  WebhookSummary w;
  w.event_id = rows.Text(i, 0);
  w.kind = *kind;
  w.subject_id = rows.Text(i, 2);
  w.state = *state;
  w.attempts = static_cast<int>(rows.Int(i, 4));
  w.last_error = rows.Text(i, 5);
  w.created_at = rows.Time(i, 6);
  if (w.state == WebhookState::kPending && !rows.IsNull(i, 7)) {
    w.next_attempt_at = rows.Time(i, 7);
  }
  if (!rows.IsNull(i, 8)) {
    w.finished_at = rows.Time(i, 8);
  }
  return w;
}

// Event ids are UUIDs: printable ASCII, which the server always takes as text.
bool IsPrintableAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

// A claimed row, and what its job is still missing.
struct Taken {
  WebhookJob job;
  std::string subject_id;
  int64_t was_due = 0;
};

core::Result<std::vector<Taken>> TakeDue(Connection& conn, std::string_view owner,
                                         core::TimePoint now, std::chrono::milliseconds lease,
                                         size_t limit) {
  auto rows =
      conn.Exec(kClaimDue, Params().Time(now).Text(owner).Int(Bigint(limit)).Time(now + lease));
  if (!rows) {
    return Fail(std::move(rows));
  }
  std::vector<Taken> taken;
  for (int i = 0; i < rows->rows(); ++i) {
    auto kind = rows->Enum(i, 1, WebhookKind::kInbound, "webhook kind");
    if (!kind) {
      return Fail(std::move(kind));
    }
    Taken t;
    t.job.event_id = rows->Text(i, 0);
    t.job.kind = *kind;
    t.job.sid = rows->Text(i, 2);
    t.subject_id = rows->Text(i, 3);
    t.job.callback = rows->Text(i, 4);
    t.job.callback_profile_id = rows->Text(i, 5);
    t.job.tries = static_cast<int>(rows->Int(i, 6));
    t.job.run_started_at = rows->Time(i, 7);
    t.was_due = rows->Int(i, 8);
    taken.push_back(std::move(t));
  }
  std::sort(taken.begin(), taken.end(), [](const Taken& a, const Taken& b) {
    return std::tie(a.was_due, a.job.event_id) < std::tie(b.was_due, b.job.event_id);
  });
  return taken;
}

// What the claimed webhooks report, read with one statement per kind of subject.
class Subjects {
 public:
  core::Result<void> Read(Connection& conn, const std::vector<Taken>& taken) {
    std::set<std::string> sids, messages, inbound;
    std::vector<std::string> event_messages, events;
    for (const Taken& t : taken) {
      sids.insert(t.job.sid);
      if (t.job.kind == WebhookKind::kStatus) {
        messages.insert(t.subject_id);
        event_messages.push_back(t.subject_id);
        events.push_back(t.job.event_id);
      } else {
        inbound.insert(t.subject_id);
      }
    }
    if (auto read = ReadSecrets(conn, sids); !read) {
      return read;
    }
    if (auto read = ReadMessages(conn, messages); !read) {
      return read;
    }
    if (auto read = ReadEvents(conn, event_messages, events); !read) {
      return read;
    }
    return ReadInbound(conn, inbound);
  }

  // Fills `t.job` with what it reports; kNotFound when that is no longer stored.
  core::Result<void> Fill(Taken& t) const {
    WebhookJob& job = t.job;
    if (auto secret = secrets_.find(job.sid); secret != secrets_.end()) {
      job.secret = secret->second;
    }
    if (job.kind == WebhookKind::kInbound) {
      auto found = inbound_.find(t.subject_id);
      if (found == inbound_.end()) {
        return core::MakeError(core::Errc::kNotFound, "no inbound message '" + t.subject_id + "'");
      }
      job.inbound.message = found->second;
      job.inbound.number_id = found->second.number_id;
      job.inbound.number = DigitsOnly(found->second.destination);
      job.inbound.keyword = found->second.keyword;
      return {};
    }
    auto message = messages_.find(t.subject_id);
    if (message == messages_.end()) {
      return core::MakeError(core::Errc::kNotFound, "no message '" + t.subject_id + "'");
    }
    auto event = events_.find(job.event_id);
    if (event == events_.end()) {
      return core::MakeError(core::Errc::kNotFound, "no message event '" + job.event_id + "'");
    }
    job.message = ReportedMessage(message->second);
    job.event = event->second;
    return {};
  }

 private:
  core::Result<void> ReadSecrets(Connection& conn, const std::set<std::string>& sids) {
    auto rows = conn.Exec(kSecrets, Params().Text(TextArray(sids)));
    if (!rows) {
      return Fail(std::move(rows));
    }
    for (int i = 0; i < rows->rows(); ++i) {
      secrets_.emplace(rows->Text(i, 0), rows->Text(i, 1));
    }
    return {};
  }

  core::Result<void> ReadMessages(Connection& conn, const std::set<std::string>& ids) {
    if (ids.empty()) {
      return {};
    }
    auto rows = conn.Exec(kStatusMessages, Params().Text(TextArray(ids)));
    if (!rows) {
      return Fail(std::move(rows));
    }
    for (int i = 0; i < rows->rows(); ++i) {
      auto row = ReadMessageRow(*rows, i);
      if (!row) {
        return Fail(std::move(row));
      }
      std::string id = row->id;
      messages_.emplace(std::move(id), std::move(*row));
    }
    return {};
  }

  core::Result<void> ReadEvents(Connection& conn, const std::vector<std::string>& message_ids,
                                const std::vector<std::string>& event_ids) {
    if (event_ids.empty()) {
      return {};
    }
    auto rows =
        conn.Exec(kStatusEvents, Params().Text(TextArray(message_ids)).Text(TextArray(event_ids)));
    if (!rows) {
      return Fail(std::move(rows));
    }
    for (int i = 0; i < rows->rows(); ++i) {
      auto state = rows->Enum(i, 3, core::MessageState::kNotSent, "message state");
      if (!state) {
        return Fail(std::move(state));
      }
      StatusEvent event{rows->Text(i, 0), rows->Text(i, 1), rows->Text(i, 2),
                        *state,           rows->Text(i, 4), rows->Time(i, 5)};
      std::string id = event.event_id;
      events_.emplace(std::move(id), std::move(event));
    }
    return {};
  }

  // Only when an inbound webhook was claimed: no other read names inbound_messages.
  core::Result<void> ReadInbound(Connection& conn, const std::set<std::string>& ids) {
    if (ids.empty()) {
      return {};
    }
    auto rows = conn.Exec(kInboundMessages, Params().Text(TextArray(ids)));
    if (!rows) {
      return Fail(std::move(rows));
    }
    for (int i = 0; i < rows->rows(); ++i) {
      auto message = ReadInboundMessage(*rows, i);
      if (!message) {
        return Fail(std::move(message));
      }
      std::string id = message->id;
      inbound_.emplace(std::move(id), std::move(*message));
    }
    return {};
  }

  std::map<std::string, std::string> secrets_;
  std::map<std::string, MessageRow> messages_;
  std::map<std::string, StatusEvent> events_;
  std::map<std::string, InboundMessage> inbound_;
};

// Records one attempt (store/webhook_decisions.h decides what it does); nothing for an unknown
// webhook.
core::Result<void> RecordAttempt(Connection& conn, const WebhookAttempt& a) {
  auto counted = conn.Exec(kCountAttempt, Params().Text(a.event_id));
  if (!counted) {
    return Fail(std::move(counted));
  }
  if (counted->rows() == 0) {
    return {};  // no such webhook: nothing to log the attempt against
  }
  auto state = counted->Enum(0, 0, WebhookState::kExhausted, "webhook state");
  if (!state) {
    return Fail(std::move(state));
  }
  auto logged = conn.Exec(kInsertAttempt, Params()
                                              .Text(a.event_id)
                                              .Int(counted->Int(0, 1))
                                              .Time(a.at)
                                              .Int(a.latency.count())
                                              .Int(a.http_status)
                                              .Text(a.error));
  if (!logged) {
    return Fail(std::move(logged));
  }
  const AttemptEffect effect = AttemptEffectOn(*state, a);
  if (effect == AttemptEffect::kCountOnly) {
    return {};
  }
  auto changed = effect == AttemptEffect::kRetry
                     ? conn.Exec(kRetry, Params().Text(a.event_id).Text(a.error).Time(*a.retry_at))
                     : conn.Exec(kFinish, Params()
                                              .Text(a.event_id)
                                              .Text(a.error)
                                              .Int(static_cast<int64_t>(AttemptFinishState(a)))
                                              .Time(a.at + a.latency));
  if (!changed) {
    return Fail(std::move(changed));
  }
  return {};
}

}  // namespace

void Webhooks::SetWebhookHandoff(WebhookHandoff* handoff, std::string_view owner,
                                 std::chrono::milliseconds lease) {
  outbox_state_.Set(handoff, owner, lease);
}

void Webhooks::ClearWebhookHandoff(WebhookHandoff* handoff) { outbox_state_.Clear(handoff); }

core::Result<std::vector<WebhookJob>> Webhooks::ClaimWebhooks(std::string_view owner,
                                                              core::TimePoint now,
                                                              std::chrono::milliseconds lease,
                                                              size_t limit) {
  std::vector<WebhookJob> jobs;
  if (limit == 0) {
    return jobs;
  }
  auto claimed = pool_.InTransaction([&](Connection& conn) -> core::Result<void> {
    jobs.clear();
    auto taken = TakeDue(conn, owner, now, lease, limit);
    if (!taken) {
      return Fail(std::move(taken));
    }
    if (taken->empty()) {
      return {};
    }
    Subjects subjects;
    if (auto read = subjects.Read(conn, *taken); !read) {
      return read;
    }
    for (Taken& t : *taken) {
      auto filled = subjects.Fill(t);
      if (!filled && filled.error().code == core::Errc::kNotFound) {
        // What it reports is no longer stored: nothing can ever be sent, so it ends here rather
        // than failing every claim after this one.
        auto abandoned = conn.Exec(
            kAbandon, Params().Text(t.job.event_id).Text(filled.error().message).Time(now));
        if (!abandoned) {
          return Fail(std::move(abandoned));
        }
        continue;
      }
      if (!filled) {
        return filled;
      }
      jobs.push_back(std::move(t.job));
    }
    return {};
  });
  if (!claimed) {
    return Fail(std::move(claimed));
  }
  return jobs;
}

core::Result<size_t> Webhooks::ReleaseWebhookClaims(std::string_view keep_owner,
                                                    core::TimePoint now) {
  auto rows = pool_.InTransaction([&](Connection& conn) -> core::Result<Rows> {
    return conn.Exec(kRelease, Params().Text(keep_owner).Time(now).Text(OwnerNode(keep_owner)));
  });
  if (!rows) {
    return Fail(std::move(rows));
  }
  return static_cast<size_t>(rows->affected());
}

core::Result<void> Webhooks::DeferWebhooks(std::span<const std::string> event_ids,
                                           core::TimePoint due_at) {
  if (event_ids.empty()) {
    return {};
  }
  const std::string ids = TextArray(event_ids);
  return pool_.InTransaction([&](Connection& conn) -> core::Result<void> {
    auto deferred = conn.Exec(kDefer, Params().Text(ids).Time(due_at));
    if (!deferred) {
      return Fail(std::move(deferred));
    }
    return {};
  });
}

core::Result<void> Webhooks::RecordWebhookAttempts(std::span<const WebhookAttempt> attempts) {
  if (attempts.empty()) {
    return {};
  }
  // Webhooks locked in one order, so two batches sharing some wait rather than deadlock; one
  // webhook's attempts stay in the order given.
  std::vector<const WebhookAttempt*> ordered;
  for (const WebhookAttempt& a : attempts) {
    ordered.push_back(&a);
  }
  std::stable_sort(
      ordered.begin(), ordered.end(),
      [](const WebhookAttempt* a, const WebhookAttempt* b) { return a->event_id < b->event_id; });
  return pool_.InTransaction([&](Connection& conn) -> core::Result<void> {
    for (const WebhookAttempt* a : ordered) {
      if (auto recorded = RecordAttempt(conn, *a); !recorded) {
        return recorded;
      }
    }
    return {};
  });
}

core::Result<void> Webhooks::ReplayWebhook(std::string_view sid, std::string_view event_id,
                                           core::TimePoint now) {
  auto rows = pool_.InTransaction([&](Connection& conn) -> core::Result<Rows> {
    return conn.Exec(kReplay, Params().Text(sid).Text(event_id).Time(now));
  });
  if (!rows) {
    return Fail(std::move(rows));
  }
  if (rows->affected() == 0) {
    return core::MakeError(core::Errc::kNotFound, "no webhook '" + std::string(event_id) + "'");
  }
  return {};
}

core::Result<WebhookPage> Webhooks::ListWebhooks(std::string_view sid, WebhookState state,
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
    if (!IsPrintableAscii(decoded->id)) {  // event ids are; the server would refuse other bytes
      return core::MakeError(core::Errc::kInvalidArgument, "malformed cursor");
    }
    from = std::move(*decoded);
  }
  const int64_t wanted = std::min(Bigint(limit), std::numeric_limits<int64_t>::max() - 1);
  auto rows = pool_.Read(kList, Params()
                                    .Text(sid)
                                    .Int(static_cast<int64_t>(state))
                                    .Int(from.created_ms)
                                    .Text(from.id)
                                    .Int(wanted + 1));
  if (!rows) {
    return Fail(std::move(rows));
  }
  WebhookPage page;
  for (int i = 0; i < rows->rows(); ++i) {
    if (static_cast<int64_t>(page.webhooks.size()) == wanted) {
      const WebhookSummary& last = page.webhooks.back();
      page.next_cursor = EncodePageCursor(core::ToUnixMillis(last.created_at), last.event_id);
      break;
    }
    auto summary = ReadSummary(*rows, i);
    if (!summary) {
      return Fail(std::move(summary));
    }
    page.webhooks.push_back(std::move(*summary));
  }
  return page;
}

core::Result<std::vector<WebhookSummary>> Webhooks::WebhooksOf(std::string_view sid,
                                                               std::string_view subject_id) {
  return pool_.InTransaction([&](Connection& conn) -> core::Result<std::vector<WebhookSummary>> {
    // Read only: such a transaction never fails to serialize, and takes no locks writers wait on.
    if (auto set = conn.ExecScript("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        !set) {
      return Fail(std::move(set));
    }
    auto rows = conn.Exec(kOfSubject, Params().Text(subject_id).Text(sid));
    if (!rows) {
      return Fail(std::move(rows));
    }
    std::vector<WebhookSummary> all;
    std::map<std::string, size_t> index;
    for (int i = 0; i < rows->rows(); ++i) {
      auto summary = ReadSummary(*rows, i);
      if (!summary) {
        return Fail(std::move(summary));
      }
      index.emplace(summary->event_id, all.size());
      all.push_back(std::move(*summary));
    }
    if (all.empty()) {
      return all;
    }
    std::vector<std::string> ids;
    for (const auto& [id, i] : index) {
      ids.push_back(id);
    }
    auto attempts = conn.Exec(kAttempts, Params().Text(TextArray(ids)));
    if (!attempts) {
      return Fail(std::move(attempts));
    }
    for (int i = 0; i < attempts->rows(); ++i) {
      all[index.at(attempts->Text(i, 0))].attempt_log.push_back(
          AttemptRecord{static_cast<int>(attempts->Int(i, 1)), attempts->Time(i, 2),
                        std::chrono::milliseconds(attempts->Int(i, 3)),
                        static_cast<int>(attempts->Int(i, 4)), attempts->Text(i, 5)});
    }
    return all;
  });
}

core::Result<WebhookCounts> Webhooks::CountWebhooks() {
  auto rows = pool_.Read(kCounts, {});
  if (!rows) {
    return Fail(std::move(rows));
  }
  WebhookCounts counts;
  counts.pending = static_cast<uint64_t>(rows->Int(0, 0));
  counts.exhausted = static_cast<uint64_t>(rows->Int(0, 1));
  counts.delivered = static_cast<uint64_t>(rows->Int(0, 2)) - counts.pending - counts.exhausted;
  return counts;
}

}  // namespace smsgw::store::postgres
