// SqliteStore's SmppOutboxStore (migration 18): deliver_sm owed to customers' SMPP binds. Rows
// are written by the DeliveryStore writes through OutboxWriter::AddSmppReceipt (receipts) and by
// the InboundStore writes through AddSmppMo (MO of entries that target SMPP), claimed per
// account in id order through smpp_outbox_by_sid, and deleted once acknowledged. The query plans
// are pinned by sqlite_webhooks_test.cpp with the other outbox statements.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace smsgw::store::sqlite {
namespace {

constexpr const char* kInsert =
    "INSERT INTO smpp_outbox (sid, kind, subject_id, system_id, registered_delivery, state, "
    "details, at, due_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?8)";
// One range of smpp_outbox_by_sid in id order (the rows in flight are skipped by due_at: at most
// a window per bind); the message (receipt) or the inbound message (MO) by its primary key, and a
// receipt's carrier error from its message's parts (their primary key: a message's few parts)
// and its credential's id format (by system_id, the credentials' primary key).
constexpr const char* kClaimDue =
    "SELECT o.id, o.kind, o.subject_id, o.system_id, o.registered_delivery, o.state, o.details, "
    "o.at, o.attempts, m.recipient, m.sender, m.body, m.created_at, i.destination, i.source, "
    "i.text, i.stored_at, CASE WHEN o.kind = 0 THEN (SELECT p.err FROM message_parts p WHERE "
    "p.message_id = o.subject_id AND p.err NOT IN ('', '000') ORDER BY p.part LIMIT 1) END, "
    "coalesce(c.id_format, 0) FROM smpp_outbox o "
    "LEFT JOIN messages m ON o.kind = 0 AND m.id = o.subject_id "
    "LEFT JOIN inbound_messages i ON o.kind = 1 AND i.id = o.subject_id "
    "LEFT JOIN smpp_credentials c ON o.kind = 0 AND c.system_id = o.system_id "
    "WHERE o.sid = ?1 AND o.due_at <= ?2 ORDER BY o.id LIMIT ?3";
constexpr const char* kClaim = "UPDATE smpp_outbox SET due_at = ?2, claim_owner = ?3 WHERE id = ?1";
constexpr const char* kFinish = "DELETE FROM smpp_outbox WHERE id = ?1";
constexpr const char* kDefer =
    "UPDATE smpp_outbox SET due_at = ?2, claim_owner = '', attempts = attempts + ?3 WHERE id = ?1";
// The same range as kClaimDue, read before taking the writer: a bound session polls.
constexpr const char* kAnyDue =
    "SELECT 1 FROM smpp_outbox o WHERE o.sid = ?1 AND o.due_at <= ?2 LIMIT 1";
constexpr const char* kCount = "SELECT count(*) FROM smpp_outbox WHERE sid = ?1";

constexpr StatementSql<SmppOutboxStatements> kWriterStatements[] = {
    {"insert_smpp_outbox", &SmppOutboxStatements::insert, kInsert},
    {"claim_smpp_outbox_due", &SmppOutboxStatements::claim_due, kClaimDue},
    {"claim_smpp_outbox", &SmppOutboxStatements::claim, kClaim},
    {"finish_smpp_outbox", &SmppOutboxStatements::finish, kFinish},
    {"defer_smpp_outbox", &SmppOutboxStatements::defer, kDefer},
};
constexpr StatementSql<SmppOutboxReadStatements> kReaderStatements[] = {
    {"any_smpp_outbox_due", &SmppOutboxReadStatements::any_due, kAnyDue},
    {"count_smpp_outbox", &SmppOutboxReadStatements::count, kCount},
};

int64_t Limit(size_t limit) {
  return static_cast<int64_t>(std::min<size_t>(limit, std::numeric_limits<int64_t>::max()));
}

}  // namespace

core::Result<void> SmppOutboxStatements::Prepare(Db& db) {
  return PrepareEach(db, *this, kWriterStatements);
}

core::Result<void> SmppOutboxReadStatements::Prepare(Db& db) {
  return PrepareEach(db, *this, kReaderStatements);
}

std::vector<NamedSql> SmppOutboxSqlForTest() {
  return NamedSqlOf(kWriterStatements, kReaderStatements);
}

core::Result<void> OutboxWriter::AddSmppReceipt(const StatusEvent& event,
                                                std::string_view system_id,
                                                uint8_t registered_delivery) {
  if (smpp_ == nullptr) {
    return core::MakeError(core::Errc::kInternal, "SMPP receipt written outside the outbox");
  }
  Statement& insert = smpp_->insert;
  const ScopedReset reset(insert);
  insert.BindText(1, event.sid);
  insert.BindInt64(2, static_cast<int64_t>(SmppOutboxKind::kReceipt));
  insert.BindText(3, event.message_id);
  insert.BindText(4, system_id);
  insert.BindInt64(5, registered_delivery);
  insert.BindInt64(6, static_cast<int64_t>(event.state));
  insert.BindText(7, event.details);
  insert.BindInt64(8, Ms(event.at));
  if (auto ran = insert.Run(); !ran) {
    return ran;
  }
  if (tally_ != nullptr) {
    tally_->smpp_outbox |= uint64_t{1} << SqliteStore::SmppOutboxBucket(event.sid);
  }
  return {};
}

core::Result<void> OutboxWriter::AddSmppMo(std::string_view sid, std::string_view inbound_id,
                                           core::TimePoint at) {
  if (smpp_ == nullptr) {
    return core::MakeError(core::Errc::kInternal, "SMPP MO written outside the outbox");
  }
  Statement& insert = smpp_->insert;
  const ScopedReset reset(insert);
  insert.BindText(1, sid);
  insert.BindInt64(2, static_cast<int64_t>(SmppOutboxKind::kMo));
  insert.BindText(3, inbound_id);
  insert.BindText(4, "");
  insert.BindInt64(5, 0);
  insert.BindInt64(6, 0);
  insert.BindText(7, "");
  insert.BindInt64(8, Ms(at));
  if (auto ran = insert.Run(); !ran) {
    return ran;
  }
  if (tally_ != nullptr) {
    tally_->smpp_outbox |= uint64_t{1} << SqliteStore::SmppOutboxBucket(sid);
  }
  return {};
}

core::Result<std::vector<SmppOutboxJob>> SqliteStore::ClaimSmppOutbox(
    std::string_view sid, std::string_view owner, core::TimePoint now,
    std::chrono::milliseconds lease, size_t limit) {
  std::vector<SmppOutboxJob> jobs;
  if (limit == 0) {
    return jobs;
  }
  auto any_due = WithReader([&](ReadConnection& r) -> core::Result<bool> {
    Statement& select = r.smpp_outbox.any_due;
    const ScopedReset reset(select);
    select.BindText(1, sid);
    select.BindInt64(2, Ms(now));
    return HasRow(select);
  });
  if (!any_due) {
    return Fail(std::move(any_due));
  }
  if (!*any_due) {
    return jobs;
  }
  SmppOutboxStatements& o = writer_->smpp_outbox;
  auto claimed = InWriteGroup(WriteLane::kPipeline, [&]() -> core::Result<void> {
    jobs.clear();
    std::vector<int64_t> gone;  // rows whose message is no longer stored
    {
      Statement& select = o.claim_due;
      const ScopedReset reset(select);
      select.BindText(1, sid);
      select.BindInt64(2, Ms(now));
      select.BindInt64(3, Limit(limit));
      for (;;) {
        auto row = select.Step();
        if (!row) {
          return Fail(std::move(row));
        }
        if (!*row) {
          break;
        }
        auto kind = EnumColumn<SmppOutboxKind>(select, 1, static_cast<int64_t>(SmppOutboxKind::kMo),
                                               "kind");
        if (!kind) {
          return Fail(std::move(kind));
        }
        auto state = StateColumn(select, 5);
        if (!state) {
          return Fail(std::move(state));
        }
        // The subject's columns: the message's (9..12) or the inbound message's (13..16).
        const int subject = *kind == SmppOutboxKind::kMo ? 13 : 9;
        if (select.ColumnIsNull(subject + 3)) {
          gone.push_back(select.ColumnInt64(0));  // the subject is no longer stored
          continue;
        }
        SmppOutboxJob job;
        job.id = select.ColumnInt64(0);
        job.kind = *kind;
        job.sid = std::string(sid);
        job.message_id = select.ColumnText(2);
        job.system_id = select.ColumnText(3);
        job.registered_delivery = static_cast<uint8_t>(select.ColumnInt64(4) & 0xFF);
        job.state = *state;
        job.details = select.ColumnText(6);
        job.at = core::FromUnixMillis(select.ColumnInt64(7));
        job.attempts = static_cast<int>(select.ColumnInt64(8));
        job.recipient = select.ColumnText(subject);
        job.sender = select.ColumnText(subject + 1);
        job.body = select.ColumnText(subject + 2);
        job.submitted_at = core::FromUnixMillis(select.ColumnInt64(subject + 3));
        job.err = select.ColumnText(17);  // NULL reads as ""
        auto id_format = EnumColumn<SmppIdFormat>(
            select, 18, static_cast<int64_t>(SmppIdFormat::kDecimal), "SMPP id format");
        if (!id_format) {
          return Fail(std::move(id_format));
        }
        job.id_format = *id_format;
        jobs.push_back(std::move(job));
      }
    }
    // Updated after the scan: changing rows of the index a statement is walking is undefined.
    for (const SmppOutboxJob& job : jobs) {
      Statement& update = o.claim;
      const ScopedReset reset(update);
      update.BindInt64(1, job.id);
      update.BindInt64(2, Ms(now + lease));
      update.BindText(3, owner);
      if (auto ran = update.Run(); !ran) {
        return ran;
      }
    }
    for (const int64_t id : gone) {
      Statement& del = o.finish;
      const ScopedReset reset(del);
      del.BindInt64(1, id);
      if (auto ran = del.Run(); !ran) {
        return ran;
      }
    }
    return {};
  });
  if (!claimed) {
    return Fail(std::move(claimed));
  }
  return jobs;
}

core::Result<void> SqliteStore::FinishSmppOutbox(std::span<const int64_t> ids) {
  if (ids.empty()) {
    return {};
  }
  Statement& del = writer_->smpp_outbox.finish;
  return InWriteGroup(WriteLane::kPipeline, [&]() -> core::Result<void> {
    for (const int64_t id : ids) {
      const ScopedReset reset(del);
      del.BindInt64(1, id);
      if (auto ran = del.Run(); !ran) {
        return ran;
      }
    }
    return {};
  });
}

core::Result<void> SqliteStore::DeferSmppOutbox(std::span<const int64_t> ids,
                                                core::TimePoint due_at, bool refused) {
  if (ids.empty()) {
    return {};
  }
  Statement& defer = writer_->smpp_outbox.defer;
  return InWriteGroup(WriteLane::kPipeline, [&]() -> core::Result<void> {
    for (const int64_t id : ids) {
      const ScopedReset reset(defer);
      defer.BindInt64(1, id);
      defer.BindInt64(2, Ms(due_at));
      defer.BindInt64(3, refused ? 1 : 0);
      if (auto ran = defer.Run(); !ran) {
        return ran;
      }
    }
    return {};
  });
}

core::Result<size_t> SqliteStore::CountSmppOutbox(std::string_view sid) {
  return WithReader([&](ReadConnection& r) -> core::Result<size_t> {
    Statement& select = r.smpp_outbox.count;
    const ScopedReset reset(select);
    select.BindText(1, sid);
    auto row = HasRow(select);
    if (!row) {
      return Fail(std::move(row));
    }
    return static_cast<size_t>(select.ColumnInt64(0));
  });
}

}  // namespace smsgw::store::sqlite
