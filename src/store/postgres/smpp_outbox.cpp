#include "store/postgres/smpp_outbox.h"

#include <algorithm>
#include <bit>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "core/delivery_status.h"

namespace smsgw::store::postgres {
namespace {

constexpr const char* kInsert =
    "INSERT INTO smpp_outbox (sid, kind, subject_id, system_id, registered_delivery, state, "
    "details, at, due_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8)";
// An idle session's poll: one probe of smpp_outbox_by_sid, no transaction.
constexpr const char* kAnyDue = "SELECT 1 FROM smpp_outbox WHERE sid = $1 AND due_at <= $2 LIMIT 1";
// The account's due rows in id order, locked (rows another node is claiming are skipped, not
// waited for), with the message (receipt) or inbound message (MO) they report, a receipt's
// carrier error (its message's first part with one) and its credential's id format.
constexpr const char* kLockDue =
    "SELECT o.id, o.kind, o.subject_id, o.system_id, o.registered_delivery, o.state, o.details, "
    "o.at, o.attempts, m.recipient, m.sender, m.body, m.created_at, i.destination, i.source, "
    "i.text, i.stored_at, CASE WHEN o.kind = 0 THEN (SELECT p.err FROM message_parts p WHERE "
    "p.message_id = o.subject_id AND p.err NOT IN ('', '000') ORDER BY p.part LIMIT 1) END, "
    "coalesce(c.id_format, 0) FROM smpp_outbox o "
    "LEFT JOIN messages m ON o.kind = 0 AND m.id = o.subject_id "
    "LEFT JOIN inbound_messages i ON o.kind = 1 AND i.id = o.subject_id "
    "LEFT JOIN smpp_credentials c ON o.kind = 0 AND c.system_id = o.system_id "
    "WHERE o.sid = $1 AND o.due_at <= $2 ORDER BY o.id LIMIT $3 FOR UPDATE OF o SKIP LOCKED";
constexpr const char* kClaim =
    "UPDATE smpp_outbox SET due_at = $2, claim_owner = $3 WHERE id = ANY($1::bigint[])";
constexpr const char* kDelete = "DELETE FROM smpp_outbox WHERE id = ANY($1::bigint[])";
constexpr const char* kDefer =
    "UPDATE smpp_outbox SET due_at = $2, claim_owner = '', attempts = attempts + $3 "
    "WHERE id = ANY($1::bigint[])";
constexpr const char* kCount = "SELECT count(*) FROM smpp_outbox WHERE sid = $1";
constexpr const char* kLastId = "SELECT coalesce(max(id), 0) FROM smpp_outbox";
constexpr const char* kAddedSince =
    "SELECT sid, max(id) FROM smpp_outbox WHERE id > $1 GROUP BY sid";

core::Result<void> Insert(Connection& conn, std::string_view sid, SmppOutboxKind kind,
                          std::string_view subject_id, std::string_view system_id,
                          uint8_t registered_delivery, core::MessageState state,
                          std::string_view details, core::TimePoint at, SmppOutboxWrites& writes) {
  auto inserted = conn.Exec(kInsert, Params()
                                         .Text(sid)
                                         .Int(static_cast<int64_t>(kind))
                                         .Text(subject_id)
                                         .Text(system_id)
                                         .Int(registered_delivery)
                                         .Int(static_cast<int64_t>(state))
                                         .Text(details)
                                         .Time(at));
  if (!inserted) {
    return Fail(std::move(inserted));
  }
  writes.buckets |= SmppOutboxVersions::BitOf(sid);
  return {};
}

// Row `i` of kLockDue as a job; nullopt when its subject is no longer stored.
core::Result<std::optional<SmppOutboxJob>> ReadJob(const Rows& rows, int i, std::string_view sid) {
  auto kind = rows.Enum(i, 1, SmppOutboxKind::kMo, "SMPP outbox kind");
  if (!kind) {
    return Fail(std::move(kind));
  }
  auto state = rows.Enum(i, 5, core::MessageState::kNotSent, "message state");
  if (!state) {
    return Fail(std::move(state));
  }
  auto id_format = rows.Enum(i, 18, SmppIdFormat::kDecimal, "SMPP id format");
  if (!id_format) {
    return Fail(std::move(id_format));
  }
  // The subject's columns: the message's (9..12) or the inbound message's (13..16).
  const int subject = *kind == SmppOutboxKind::kMo ? 13 : 9;
  if (rows.IsNull(i, subject + 3)) {
    return std::optional<SmppOutboxJob>();
  }
  SmppOutboxJob job;
  job.id = rows.Int(i, 0);
  job.kind = *kind;
  job.sid = std::string(sid);
  job.message_id = rows.Text(i, 2);
  job.system_id = rows.Text(i, 3);
  job.registered_delivery = static_cast<uint8_t>(rows.Int(i, 4) & 0xFF);
  job.state = *state;
  job.details = rows.Text(i, 6);
  job.at = rows.Time(i, 7);
  job.attempts = static_cast<int>(rows.Int(i, 8));
  job.recipient = rows.Text(i, subject);
  job.sender = rows.Text(i, subject + 1);
  job.body = rows.Text(i, subject + 2);
  job.submitted_at = rows.Time(i, subject + 3);
  job.err = rows.IsNull(i, 17) ? "" : rows.Text(i, 17);
  job.id_format = *id_format;
  return std::optional<SmppOutboxJob>(std::move(job));
}

core::Result<void> Run(Connection& conn, const char* sql, const Params& params) {
  auto ran = conn.Exec(sql, params);
  if (!ran) {
    return Fail(std::move(ran));
  }
  return {};
}

}  // namespace

uint64_t SmppOutboxVersions::BitOf(std::string_view sid) {
  return uint64_t{1} << (std::hash<std::string_view>()(sid) % kBuckets);
}

uint64_t SmppOutboxVersions::Load(std::string_view sid) const {
  return versions_[std::countr_zero(BitOf(sid))].load(std::memory_order_acquire);
}

void SmppOutboxVersions::Bump(uint64_t bits) {
  for (size_t b = 0; b < kBuckets; ++b) {
    if ((bits >> b & 1) != 0) {
      versions_[b].fetch_add(1, std::memory_order_acq_rel);
    }
  }
}

core::Result<void> WriteSmppReceipt(Connection& conn, const MessageRow& row,
                                    const StatusEvent& event, SmppOutboxWrites& writes) {
  if (row.registered_delivery == 0 ||
      !core::WantsSmppReceipt(row.registered_delivery, event.state)) {
    return {};  // an API send (no SMPP origin), or a state the customer did not ask for
  }
  return Insert(conn, event.sid, SmppOutboxKind::kReceipt, event.message_id, row.smpp_system_id,
                row.registered_delivery, event.state, event.details, event.at, writes);
}

core::Result<void> WriteSmppMo(Connection& conn, std::string_view sid, std::string_view inbound_id,
                               core::TimePoint at, SmppOutboxWrites& writes) {
  return Insert(conn, sid, SmppOutboxKind::kMo, inbound_id, "", 0, core::MessageState::kQueued, "",
                at, writes);
}

SmppOutbox::SmppOutbox(Pool& pool, SmppOutboxVersions& versions, std::chrono::milliseconds poll)
    : pool_(pool), versions_(versions), poll_(poll), watcher_([this] { Watch(); }) {}

SmppOutbox::~SmppOutbox() {
  {
    const std::lock_guard lock(mu_);
    stop_ = true;
  }
  stopping_.notify_all();
  watcher_.join();
}

void SmppOutbox::Watch() {
  std::optional<int64_t> seen;
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    seen = Look(seen);
    lock.lock();
    stopping_.wait_for(lock, poll_, [&] { return stop_; });
  }
}

std::optional<int64_t> SmppOutbox::Look(std::optional<int64_t> seen) {
  if (!seen) {
    auto rows = Read(kLastId, Params());
    return rows ? std::optional(rows->Int(0, 0)) : std::nullopt;
  }
  auto rows = Read(kAddedSince, Params().Int(*seen));
  if (!rows) {
    return seen;  // the next look reads the same range again
  }
  uint64_t buckets = 0;
  int64_t last = *seen;
  for (int i = 0; i < rows->rows(); ++i) {
    buckets |= SmppOutboxVersions::BitOf(rows->Text(i, 0));
    last = std::max(last, rows->Int(i, 1));
  }
  versions_.Bump(buckets);
  return last;
}

core::Result<Rows> SmppOutbox::Read(const char* sql, const Params& params) {
  if (conn_ == nullptr || !conn_->ok()) {
    auto opened = Connection::Open(pool_.options().conninfo);
    if (!opened) {
      return Fail(std::move(opened));
    }
    conn_ = std::move(*opened);
  }
  return conn_->Exec(sql, params);
}

core::Result<std::vector<SmppOutboxJob>> SmppOutbox::ClaimSmppOutbox(
    std::string_view sid, std::string_view owner, core::TimePoint now,
    std::chrono::milliseconds lease, size_t limit) {
  std::vector<SmppOutboxJob> jobs;
  if (limit == 0) {
    return jobs;
  }
  auto any = pool_.Read(kAnyDue, Params().Text(sid).Time(now));
  if (!any) {
    return Fail(std::move(any));
  }
  if (any->rows() == 0) {
    return jobs;
  }
  const auto bounded =
      static_cast<int64_t>(std::min<uint64_t>(limit, std::numeric_limits<int64_t>::max()));
  auto claimed = pool_.InTransaction([&](Connection& conn) -> core::Result<void> {
    jobs.clear();
    auto rows = conn.Exec(kLockDue, Params().Text(sid).Time(now).Int(bounded));
    if (!rows) {
      return Fail(std::move(rows));
    }
    std::vector<int64_t> taken, gone;
    for (int i = 0; i < rows->rows(); ++i) {
      auto job = ReadJob(*rows, i, sid);
      if (!job) {
        return Fail(std::move(job));
      }
      if (!*job) {
        gone.push_back(rows->Int(i, 0));
        continue;
      }
      taken.push_back((*job)->id);
      jobs.push_back(std::move(**job));
    }
    if (!taken.empty()) {
      if (auto ran =
              Run(conn, kClaim, Params().Text(IntArray(taken)).Time(now + lease).Text(owner));
          !ran) {
        return ran;
      }
    }
    if (!gone.empty()) {
      return Run(conn, kDelete, Params().Text(IntArray(gone)));
    }
    return {};
  });
  if (!claimed) {
    return Fail(std::move(claimed));
  }
  return jobs;
}

core::Result<void> SmppOutbox::FinishSmppOutbox(std::span<const int64_t> ids) {
  if (ids.empty()) {
    return {};
  }
  const Params params = Params().Text(IntArray(ids));
  return pool_.InTransaction([&](Connection& conn) { return Run(conn, kDelete, params); });
}

core::Result<void> SmppOutbox::DeferSmppOutbox(std::span<const int64_t> ids, core::TimePoint due_at,
                                               bool refused) {
  if (ids.empty()) {
    return {};
  }
  const Params params = Params().Text(IntArray(ids)).Time(due_at).Int(refused ? 1 : 0);
  return pool_.InTransaction([&](Connection& conn) { return Run(conn, kDefer, params); });
}

core::Result<size_t> SmppOutbox::CountSmppOutbox(std::string_view sid) {
  auto rows = pool_.Read(kCount, Params().Text(sid));
  if (!rows) {
    return Fail(std::move(rows));
  }
  return static_cast<size_t>(rows->Int(0, 0));
}

}  // namespace smsgw::store::postgres
