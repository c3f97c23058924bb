#include "store/postgres/delivery.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "store/delivery_decisions.h"
#include "store/postgres/messages.h"
#include "store/postgres/outbox.h"
#include "store/postgres/pool.h"
#include "store/postgres/settle.h"

namespace smsgw::store::postgres {
namespace {

using core::MessageState;
using core::PartState;

// One priority at a time, oldest due first. The state test is Claimable's (store/
// delivery_decisions.h): only waiting and claimed messages are ever due. NOT (...) keeps an owner
// from taking back its own claims whose lease ran out (they are still in flight there). The
// opt-out probe is a range of opt_outs' key (a numeric sender may be written with '+', opt-outs
// never are).
constexpr const char* kClaimDue =
    "WITH due AS (SELECT id AS due_id, due_at AS was_due FROM messages WHERE priority = $1 AND "
    "due_at <= $2 AND state IN (0, 1, 2) AND NOT (state = 2 AND claim_owner = $3) "
    "ORDER BY due_at LIMIT $4 FOR UPDATE SKIP LOCKED) "
    "UPDATE messages SET state = 2, status_details = 'QUEUED', claim_owner = $3, due_at = $5, "
    "updated_at = $2 FROM due WHERE id = due_id RETURNING " SMSGW_PG_MESSAGE_COLUMNS
    ", attempts, parts_total, was_due, EXISTS (SELECT 1 FROM opt_outs o WHERE o.sid = "
    "messages.sid AND o.recipient = messages.recipient AND o.sender IN (messages.sender, "
    "ltrim(messages.sender, '+'), ''))";
constexpr const char* kClaimParts =
    "SELECT message_id, part, connector FROM message_parts WHERE message_id = ANY($1::text[]) "
    "ORDER BY message_id, part";
// $3 is the owner's node prefix (OwnerNode): only that node's earlier lives are released.
constexpr const char* kReleaseClaims =
    "UPDATE messages SET due_at = LEAST(due_at, $2) WHERE due_at IS NOT NULL AND state = 2 AND "
    "claim_owner <> $1 AND left(claim_owner, length($3)) = $3";

// The messages of a batch, locked in id order: two batches touching the same messages lock them
// in the same order.
constexpr const char* kLockMessages =
    "SELECT " SMSGW_PG_MESSAGE_ROW_COLUMNS
    " FROM messages WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE";
// The per-(connector, SMSC id) locks of a batch, taken in one order (sorted in the subquery,
// which the outer query keeps).
constexpr const char* kLockSmscIds =
    "SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended(c, 0) AS k FROM "
    "unnest($1::text[]) c ORDER BY k) s";

constexpr const char* kInsertPart =
    "INSERT INTO message_parts (message_id, part, connector, smsc_id, smsc_id_raw, state, "
    "submitted_at) VALUES ($1, $2, $3, $4, $5, 0, $6) ON CONFLICT (message_id, part) DO NOTHING "
    "RETURNING 1";
constexpr const char* kHeldForPart =
    "SELECT id, state, stat, err, received_at FROM held_receipts WHERE connector = $1 AND "
    "smsc_id = $2 ORDER BY id";
constexpr const char* kDeleteHeld =
    "DELETE FROM held_receipts WHERE connector = $1 AND smsc_id = $2";
constexpr const char* kHoldReceipt =
    "INSERT INTO held_receipts (connector, smsc_id, state, stat, err, received_at) "
    "VALUES ($1, $2, $3, $4, $5, $6)";
constexpr const char* kFindParts =
    "SELECT message_id, part, state, submitted_at FROM message_parts WHERE connector = $1 AND "
    "smsc_id = $2";
constexpr const char* kUpdatePart =
    "UPDATE message_parts SET state = $3, stat = $4, err = $5, done_at = $6 "
    "WHERE message_id = $1 AND part = $2";
constexpr const char* kPartStates =
    "SELECT state, stat FROM message_parts WHERE message_id = $1 ORDER BY part";
constexpr const char* kSetPartsTotal = "UPDATE messages SET parts_total = $2 WHERE id = $1";
constexpr const char* kRequeue =
    "UPDATE messages SET state = 0, status_details = 'QUEUED', due_at = $2, "
    "attempts = attempts + 1, last_error = $3, claim_owner = '', updated_at = $4 WHERE id = $1";
constexpr const char* kAwaitingReceipt =
    "SELECT message_id, part, connector, smsc_id FROM message_parts WHERE state = 0 AND "
    "submitted_at < $1 ORDER BY submitted_at LIMIT $2";
constexpr const char* kPartState =
    "SELECT state FROM message_parts WHERE message_id = $1 AND part = $2";
constexpr const char* kCounts =
    "SELECT count(*) FILTER (WHERE state IN (0, 1)), count(*) FILTER (WHERE state = 2), "
    "(SELECT count(*) FROM held_receipts) FROM messages WHERE due_at IS NOT NULL";

// A (connector, SMSC id) as one text for the advisory lock: NUL cannot occur in either.
std::string SmscKey(std::string_view connector, std::string_view smsc_id) {
  std::string key(connector);
  key += '\x1f';
  key += smsc_id;
  return key;
}

core::Result<void> LockSmscIds(Connection& conn, const std::vector<std::string>& keys) {
  auto locked = conn.Exec(kLockSmscIds, Params().Text(TextArray(keys)));
  if (!locked) {
    return Fail(std::move(locked));
  }
  return {};
}

using LockedRows = std::map<std::string, MessageRow, std::less<>>;

// The messages `ids` that exist, locked, by id.
core::Result<LockedRows> LockMessages(Connection& conn,
                                      const std::set<std::string, std::less<>>& ids) {
  LockedRows out;
  if (ids.empty()) {
    return out;
  }
  auto rows = conn.Exec(kLockMessages, Params().Text(TextArray(ids)));
  if (!rows) {
    return Fail(std::move(rows));
  }
  for (int i = 0; i < rows->rows(); ++i) {
    auto row = ReadMessageRow(*rows, i);
    if (!row) {
      return Fail(std::move(row));
    }
    std::string id = row->id;
    out.emplace(std::move(id), std::move(*row));
  }
  return out;
}

core::Result<void> WriteReceipt(Connection& conn, std::string_view message_id, int64_t part,
                                const PartReceipt& r) {
  const std::optional<core::TimePoint> done_at = PartDoneAt(r);
  auto written =
      conn.Exec(kUpdatePart,
                Params()
                    .Text(message_id)
                    .Int(part)
                    .Int(static_cast<int64_t>(r.state))
                    .Text(r.stat)
                    .Text(r.err)
                    .OptInt(done_at ? std::optional(core::ToUnixMillis(*done_at)) : std::nullopt));
  if (!written) {
    return Fail(std::move(written));
  }
  return {};
}

// Moves `row` where its parts (read back) say, out of `parts_total`, at `at`.
core::Result<void> Recompute(Connection& conn, MessageRow& row, int parts_total, core::TimePoint at,
                             TransactionOutbox& webhooks) {
  auto rows = conn.Exec(kPartStates, Params().Text(row.id));
  if (!rows) {
    return Fail(std::move(rows));
  }
  std::vector<core::PartStatus> parts;
  for (int i = 0; i < rows->rows(); ++i) {
    auto state = rows->Enum(i, 0, PartState::kUndelivered, "part state");
    if (!state) {
      return Fail(std::move(state));
    }
    parts.push_back(core::PartStatus{*state, rows->Text(i, 1)});
  }
  const MessageMove move = MoveAfterParts(row.state, row.parts_total, parts, parts_total);
  if (move.sent_first) {
    if (auto sent = Settle(conn, row, *move.sent_first, parts_total, at, webhooks); !sent) {
      return sent;
    }
  }
  if (move.settle) {
    return Settle(conn, row, *move.settle, parts_total, at, webhooks);
  }
  if (!move.record_parts_total) {
    return {};
  }
  auto updated = conn.Exec(kSetPartsTotal, Params().Text(row.id).Int(parts_total));
  if (!updated) {
    return Fail(std::move(updated));
  }
  row.parts_total = parts_total;
  return {};
}

// What a batch touched of one message: the latest time, and the part count to settle against.
struct Touched {
  Touched(core::TimePoint first_at, std::optional<int> total) : at(first_at), parts_total(total) {}

  core::TimePoint at;
  std::optional<int> parts_total;  // nullopt: the stored one
  // For the delivery rollups: the connector of the parts, and the longest receipt delay seen.
  std::string connector;
  std::optional<double> receipt_delay;
};

// Moves every touched message where its parts now say. `locked`: the batch's messages, locked
// already; otherwise they are locked here.
core::Result<void> SettleTouched(Connection& conn, const std::map<std::string, Touched>& touched,
                                 TransactionOutbox& webhooks, LockedRows* locked = nullptr) {
  LockedRows here;
  if (locked == nullptr) {
    std::set<std::string, std::less<>> ids;
    for (const auto& [id, t] : touched) {
      ids.insert(id);
    }
    auto rows = LockMessages(conn, ids);
    if (!rows) {
      return Fail(std::move(rows));
    }
    here = std::move(*rows);
    locked = &here;
  }
  for (const auto& [id, t] : touched) {
    auto row = locked->find(id);
    if (row == locked->end()) {
      continue;
    }
    row->second.connector = t.connector;
    row->second.receipt_delay = t.receipt_delay;
    auto done = Recompute(conn, row->second, t.parts_total.value_or(row->second.parts_total), t.at,
                          webhooks);
    if (!done) {
      return done;
    }
  }
  return {};
}

// Applies the receipts held for a part just recorded, and drops them.
core::Result<void> ApplyHeld(Connection& conn, const PartAccepted& p) {
  auto rows = conn.Exec(kHeldForPart, Params().Text(p.connector).Text(p.smsc_id));
  if (!rows) {
    return Fail(std::move(rows));
  }
  if (rows->rows() == 0) {
    return {};
  }
  std::vector<std::string> stats, errs;  // kept alive for the receipts' views
  stats.reserve(rows->rows());
  errs.reserve(rows->rows());
  std::vector<PartReceipt> held;
  for (int i = 0; i < rows->rows(); ++i) {
    auto state = rows->Enum(i, 1, PartState::kUndelivered, "part state");
    if (!state) {
      return Fail(std::move(state));
    }
    stats.push_back(rows->Text(i, 2));
    errs.push_back(rows->Text(i, 3));
    held.push_back(PartReceipt{*state, stats.back(), errs.back(), rows->Time(i, 4)});
  }
  if (const std::optional<size_t> last = LastAppliedHeldReceipt(held)) {
    if (auto written = WriteReceipt(conn, p.message_id, p.part, held[*last]); !written) {
      return written;
    }
  }
  auto deleted = conn.Exec(kDeleteHeld, Params().Text(p.connector).Text(p.smsc_id));
  if (!deleted) {
    return Fail(std::move(deleted));
  }
  return {};
}

}  // namespace

core::Result<std::vector<Claim>> Delivery::ClaimDue(std::string_view owner, core::TimePoint now,
                                                    std::chrono::milliseconds lease, size_t limit) {
  std::vector<Claim> claims;
  if (limit == 0) {
    return claims;
  }
  auto claimed = pool_.InTransaction([&](Connection& conn) -> core::Result<void> {
    claims.clear();
    std::vector<size_t> with_parts;  // indexes of claims with parts accepted before
    for (int priority = 0; priority <= 2 && claims.size() < limit; ++priority) {
      auto rows = conn.Exec(kClaimDue, Params()
                                           .Int(priority)
                                           .Time(now)
                                           .Text(owner)
                                           .Int(static_cast<int64_t>(limit - claims.size()))
                                           .Time(now + lease));
      if (!rows) {
        return Fail(std::move(rows));
      }
      // RETURNING comes in no particular order: oldest due first, as the scan took them.
      struct Taken {
        int64_t due;
        Claim claim;
        bool has_parts;
      };
      std::vector<Taken> taken;
      for (int i = 0; i < rows->rows(); ++i) {
        auto message = ReadMessage(*rows, i);
        if (!message) {
          return Fail(std::move(message));
        }
        Taken t{rows->Int(i, kMessageColumnCount + 2), Claim{},
                rows->Int(i, kMessageColumnCount + 1) > 0};
        t.claim.message = std::move(*message);
        t.claim.attempts = static_cast<int>(rows->Int(i, kMessageColumnCount));
        t.claim.opted_out = rows->Bool(i, kMessageColumnCount + 3);
        taken.push_back(std::move(t));
      }
      std::stable_sort(taken.begin(), taken.end(),
                       [](const Taken& a, const Taken& b) { return a.due < b.due; });
      for (Taken& t : taken) {
        if (t.has_parts) {
          with_parts.push_back(claims.size());
        }
        claims.push_back(std::move(t.claim));
      }
    }
    // Parts accepted in an earlier attempt: a retry sends only the missing ones, through the same
    // connector.
    if (with_parts.empty()) {
      return {};
    }
    ArrayParam ids;
    std::map<std::string, size_t, std::less<>> by_id;
    for (size_t index : with_parts) {
      ids.Text(claims[index].message.id);
      by_id.emplace(claims[index].message.id, index);
    }
    auto parts = conn.Exec(kClaimParts, Params().Text(ids.Finish()));
    if (!parts) {
      return Fail(std::move(parts));
    }
    for (int i = 0; i < parts->rows(); ++i) {
      Claim& claim = claims[by_id.find(parts->Text(i, 0))->second];
      claim.parts_done.push_back(static_cast<int>(parts->Int(i, 1)));
      if (claim.connector.empty()) {
        claim.connector = parts->Text(i, 2);
      }
    }
    return {};
  });
  if (!claimed) {
    return Fail(std::move(claimed));
  }
  return claims;
}

core::Result<size_t> Delivery::ReleaseClaims(std::string_view keep_owner, core::TimePoint now) {
  auto released = pool_.InTransaction([&](Connection& conn) -> core::Result<size_t> {
    auto rows =
        conn.Exec(kReleaseClaims, Params().Text(keep_owner).Time(now).Text(OwnerNode(keep_owner)));
    if (!rows) {
      return Fail(std::move(rows));
    }
    return static_cast<size_t>(rows->affected());
  });
  return released;
}

core::Result<void> Delivery::RecordAccepted(std::span<const PartAccepted> parts) {
  for (size_t i = 0; i < parts.size(); i += kMaxLocksPerTransaction) {
    if (auto done = RecordAcceptedChunk(
            parts.subspan(i, std::min(kMaxLocksPerTransaction, parts.size() - i)));
        !done) {
      return done;
    }
  }
  return {};
}

core::Result<void> Delivery::RecordAcceptedChunk(std::span<const PartAccepted> parts) {
  if (parts.empty()) {
    return {};
  }
  std::vector<std::string> keys;
  std::set<std::string, std::less<>> ids;
  for (const PartAccepted& p : parts) {
    keys.push_back(SmscKey(p.connector, p.smsc_id));
    ids.insert(p.message_id);
  }
  return Settling([&](Connection& conn, TransactionOutbox& webhooks) -> core::Result<void> {
    if (auto locked = LockSmscIds(conn, keys); !locked) {
      return locked;
    }
    auto rows = LockMessages(conn, ids);
    if (!rows) {
      return Fail(std::move(rows));
    }
    std::map<std::string, Touched> touched;
    for (const PartAccepted& p : parts) {
      if (!rows->contains(p.message_id)) {
        continue;  // no such message: nothing to attach the part to
      }
      auto inserted = conn.Exec(kInsertPart, Params()
                                                 .Text(p.message_id)
                                                 .Int(p.part)
                                                 .Text(p.connector)
                                                 .Text(p.smsc_id)
                                                 .Text(p.smsc_id_raw)
                                                 .Time(p.at));
      if (!inserted) {
        return Fail(std::move(inserted));
      }
      if (inserted->rows() == 0) {
        continue;  // recorded before
      }
      if (auto applied = ApplyHeld(conn, p); !applied) {
        return applied;
      }
      Touched& t = touched.try_emplace(p.message_id, Touched{p.at, std::nullopt}).first->second;
      t.at = std::max(t.at, p.at);
      t.parts_total = p.total_parts;
      t.connector = p.connector;
    }
    return SettleTouched(conn, touched, webhooks, &*rows);
  });
}

core::Result<void> Delivery::RecordFailures(std::span<const SubmitFailure> failures) {
  if (failures.empty()) {
    return {};
  }
  std::set<std::string, std::less<>> ids;
  for (const SubmitFailure& f : failures) {
    ids.insert(f.message_id);
  }
  return Settling([&](Connection& conn, TransactionOutbox& webhooks) -> core::Result<void> {
    auto rows = LockMessages(conn, ids);
    if (!rows) {
      return Fail(std::move(rows));
    }
    for (const SubmitFailure& f : failures) {
      auto found = rows->find(f.message_id);
      if (found == rows->end()) {
        continue;  // unknown
      }
      MessageRow& row = found->second;
      switch (AfterSubmitFailure(row.state, f)) {
        case FailureAction::kLeave:
          break;
        case FailureAction::kEndNotSent:
          if (auto settled = Settle(conn, row, {MessageState::kNotSent, f.reason}, row.parts_total,
                                    f.at, webhooks);
              !settled) {
            return settled;
          }
          break;
        case FailureAction::kRequeue: {
          auto requeued = conn.Exec(
              kRequeue, Params().Text(row.id).Time(*f.retry_at).Text(f.reason).Time(f.at));
          if (!requeued) {
            return Fail(std::move(requeued));
          }
          row.state = MessageState::kQueued;
          break;
        }
      }
    }
    return {};
  });
}

core::Result<std::vector<ReceiptOutcome>> Delivery::ApplyReceipts(
    std::span<const ReceiptRecord> receipts) {
  std::vector<ReceiptOutcome> outcomes;
  outcomes.reserve(receipts.size());
  // In order: a later receipt for the same part (ENROUTE, then DELIVRD) lands in a later chunk.
  for (size_t i = 0; i < receipts.size(); i += kMaxLocksPerTransaction) {
    auto chunk = ApplyReceiptsChunk(
        receipts.subspan(i, std::min(kMaxLocksPerTransaction, receipts.size() - i)));
    if (!chunk) {
      return Fail(std::move(chunk));
    }
    outcomes.insert(outcomes.end(), chunk->begin(), chunk->end());
  }
  return outcomes;
}

core::Result<std::vector<ReceiptOutcome>> Delivery::ApplyReceiptsChunk(
    std::span<const ReceiptRecord> receipts) {
  std::vector<ReceiptOutcome> outcomes;
  if (receipts.empty()) {
    return outcomes;
  }
  std::vector<std::string> keys;
  for (const ReceiptRecord& r : receipts) {
    keys.push_back(SmscKey(r.connector, r.smsc_id));
  }
  auto applied = Settling([&](Connection& conn, TransactionOutbox& webhooks) -> core::Result<void> {
    outcomes.clear();
    if (auto locked = LockSmscIds(conn, keys); !locked) {
      return locked;
    }
    std::map<std::string, Touched> touched;
    for (const ReceiptRecord& r : receipts) {
      auto found = conn.Exec(kFindParts, Params().Text(r.connector).Text(r.smsc_id));
      if (!found) {
        return Fail(std::move(found));
      }
      std::vector<ReceiptPartCandidate> candidates;
      for (int i = 0; i < found->rows(); ++i) {
        auto state = found->Enum(i, 2, PartState::kUndelivered, "part state");
        if (!state) {
          return Fail(std::move(state));
        }
        candidates.push_back(ReceiptPartCandidate{*state, found->Time(i, 3)});
      }
      const std::optional<size_t> pick = PickReceiptPart(candidates);
      if (!pick) {
        auto held = conn.Exec(kHoldReceipt, Params()
                                                .Text(r.connector)
                                                .Text(r.smsc_id)
                                                .Int(static_cast<int64_t>(r.state))
                                                .Text(r.stat)
                                                .Text(r.err)
                                                .Time(r.at));
        if (!held) {
          return Fail(std::move(held));
        }
        outcomes.push_back(ReceiptOutcome::kHeld);
        continue;
      }
      const std::string message_id = found->Text(static_cast<int>(*pick), 0);
      const int64_t part = found->Int(static_cast<int>(*pick), 1);
      const ReceiptOutcome outcome = ReceiptOutcomeOn(candidates[*pick].state);
      if (outcome == ReceiptOutcome::kApplied) {
        if (auto written = WriteReceipt(conn, message_id, part, {r.state, r.stat, r.err, r.at});
            !written) {
          return written;
        }
      }
      outcomes.push_back(outcome);
      if (ReceiptMovesMessage(outcome, r.state)) {
        const double delay =
            std::chrono::duration<double>(r.at - candidates[*pick].submitted_at).count();
        webhooks.ReceiptDelay(delay);
        Touched& t = touched.try_emplace(message_id, Touched{r.at, std::nullopt}).first->second;
        t.at = std::max(t.at, r.at);
        t.connector = r.connector;
        t.receipt_delay = std::max(t.receipt_delay.value_or(delay), delay);
      }
    }
    return SettleTouched(conn, touched, webhooks);
  });
  if (!applied) {
    return Fail(std::move(applied));
  }
  return outcomes;
}

core::Result<void> Delivery::Cancel(std::string_view sid, std::string_view id,
                                    core::TimePoint now) {
  return Settling([&](Connection& conn, TransactionOutbox& webhooks) -> core::Result<void> {
    auto row = LockMessage(conn, id);
    if (!row) {
      return Fail(std::move(row));
    }
    if (!*row || (*row)->sid != sid) {
      return core::MakeError(core::Errc::kNotFound, "no message '" + std::string(id) + "'");
    }
    auto change = CancelChange((*row)->state);
    if (!change) {
      return Fail(std::move(change));
    }
    return Settle(conn, **row, *change, (*row)->parts_total, now, webhooks);
  });
}

core::Result<size_t> Delivery::ExpireReceipts(core::TimePoint submitted_before, core::TimePoint now,
                                              size_t limit) {
  size_t total = 0;
  while (total < limit) {
    const size_t want = std::min(kMaxLocksPerTransaction, limit - total);
    auto ended = ExpireReceiptsChunk(submitted_before, now, want);
    if (!ended) {
      return ended;
    }
    total += *ended;
    if (*ended < want) {
      break;
    }
  }
  return total;
}

core::Result<size_t> Delivery::ExpireReceiptsChunk(core::TimePoint submitted_before,
                                                   core::TimePoint now, size_t limit) {
  size_t expired = 0;
  auto done = Settling([&](Connection& conn, TransactionOutbox& webhooks) -> core::Result<void> {
    expired = 0;
    auto waiting = conn.Exec(kAwaitingReceipt,
                             Params().Time(submitted_before).Int(static_cast<int64_t>(limit)));
    if (!waiting) {
      return Fail(std::move(waiting));
    }
    std::vector<std::string> keys;
    for (int i = 0; i < waiting->rows(); ++i) {
      keys.push_back(SmscKey(waiting->Text(i, 2), waiting->Text(i, 3)));
    }
    if (auto locked = LockSmscIds(conn, keys); !locked) {
      return locked;
    }
    const PartReceipt none = NoReceipt(now);
    std::map<std::string, Touched> touched;
    for (int i = 0; i < waiting->rows(); ++i) {
      const std::string message_id = waiting->Text(i, 0);
      const int64_t part = waiting->Int(i, 1);
      // Read again under the lock: a receipt may have ended it since the scan.
      auto state = conn.Exec(kPartState, Params().Text(message_id).Int(part));
      if (!state) {
        return Fail(std::move(state));
      }
      if (state->rows() == 0 ||
          ReceiptOutcomeOn(static_cast<PartState>(state->Int(0, 0))) != ReceiptOutcome::kApplied) {
        continue;
      }
      if (auto written = WriteReceipt(conn, message_id, part, none); !written) {
        return written;
      }
      ++expired;
      touched.try_emplace(message_id, Touched{now, std::nullopt}).first->second.connector =
          waiting->Text(i, 2);
    }
    return SettleTouched(conn, touched, webhooks);
  });
  if (!done) {
    return Fail(std::move(done));
  }
  return expired;
}

core::Result<DeliveryCounts> Delivery::Counts() {
  auto rows = pool_.Read(kCounts, {});
  if (!rows) {
    return Fail(std::move(rows));
  }
  return DeliveryCounts{static_cast<uint64_t>(rows->Int(0, 0)),
                        static_cast<uint64_t>(rows->Int(0, 1)),
                        static_cast<uint64_t>(rows->Int(0, 2))};
}

}  // namespace smsgw::store::postgres
