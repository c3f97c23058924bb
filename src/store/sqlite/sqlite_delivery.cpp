// SqliteStore's DeliveryStore: claiming, recording parts, receipts, failures and cancels. Every
// write is one IMMEDIATE transaction on the writer connection with cached statements, and every
// row is reached through an index (see the SQL below and migration 4).

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/delivery_status.h"
#include "core/ids.h"
#include "store/delivery_decisions.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace smsgw::store::sqlite {
namespace {

using core::MessageState;
using core::PartState;

// One range scan of messages_due per priority; NOT (...) keeps an owner from taking back its own
// claims whose lease ran out (they are still in flight there). Columns after the message's:
// rowid, attempts, parts_total, and whether the recipient opted out of the sender (the
// handset's opt-outs, a range of opt_outs' primary key, usually empty; a numeric sender may be
// written with '+', opt-outs never are). Not `sender IN (...)`: SQLite fills an ephemeral table
// with the list for every message claimed (`+` keeps the OR from becoming that IN).
constexpr const char* kClaimDue =
    "SELECT " SMSGW_SQLITE_MESSAGE_COLUMNS
    ", rowid, attempts, parts_total, EXISTS (SELECT 1 FROM opt_outs o WHERE o.sid = messages.sid "
    "AND o.recipient = messages.recipient AND (+o.sender = messages.sender OR "
    "+o.sender = ltrim(messages.sender, '+') OR +o.sender = '')) FROM messages "
    "WHERE priority = ?1 AND due_at <= ?2 AND NOT (state = ?5 AND claim_owner = ?3) "
    "ORDER BY due_at LIMIT ?4";
constexpr const char* kClaim =
    "UPDATE messages SET state = ?2, status_details = 'QUEUED', claim_owner = ?3, "
    "due_at = ?4, updated_at = ?5 WHERE rowid = ?1";
constexpr const char* kClaimParts =
    "SELECT part, connector FROM message_parts WHERE message_id = ?1 ORDER BY part";
// INDEXED BY: only waiting and claimed messages are in messages_due, a small part of the table.
// ?4 is the owner's node prefix (OwnerNode): only that node's earlier lives are released.
constexpr const char* kReleaseClaims =
    "UPDATE messages INDEXED BY messages_due SET due_at = min(due_at, ?2) "
    "WHERE due_at IS NOT NULL AND state = ?3 AND claim_owner <> ?1 AND "
    "substr(claim_owner, 1, length(?4)) = ?4";

// The callback columns tell Settle whether the message's events need a webhook row, and the SMPP
// origin columns whether they need an SMPP outbox row (NULL for API sends); the reported ones are
// what that webhook's job carries.
constexpr const char* kMessageRow =
    "SELECT rowid, parts_total, callback, callback_profile_id, type, "
    "coalesce(registered_delivery, 0), coalesce(smpp_system_id, ''), " SMSGW_SQLITE_REPORTED_COLUMNS
    " FROM messages WHERE id = ?1";
constexpr const char* kPartStates =
    "SELECT state, stat FROM message_parts WHERE message_id = ?1 ORDER BY part";
// Every state a settle moves to no longer waits: out of messages_due.
constexpr const char* kSettle =
    "UPDATE messages SET state = ?2, status_details = ?3, updated_at = ?4, parts_total = ?5, "
    "due_at = NULL, claim_owner = '' WHERE rowid = ?1";
constexpr const char* kSetPartsTotal = "UPDATE messages SET parts_total = ?2 WHERE rowid = ?1";
constexpr const char* kInsertEvent =
    "INSERT INTO message_events (event_id, message_id, sid, state, details, at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr const char* kRequeue =
    "UPDATE messages SET state = ?2, status_details = 'QUEUED', due_at = ?3, "
    "attempts = attempts + 1, last_error = ?4, claim_owner = '', updated_at = ?5 WHERE rowid = ?1";

constexpr const char* kInsertPart =
    "INSERT INTO message_parts (message_id, part, connector, smsc_id, smsc_id_raw, state, "
    "submitted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (message_id, part) DO NOTHING";
constexpr const char* kHeldForPart =
    "SELECT state, stat, err, received_at FROM held_receipts WHERE connector = ?1 AND "
    "smsc_id = ?2 ORDER BY id";
// Held receipts are rare: one probe per RecordAccepted spares every part its own. (Through the
// index, the narrowest B-tree of the table: the first entry answers.)
constexpr const char* kAnyHeld =
    "SELECT 1 FROM held_receipts INDEXED BY held_receipts_by_smsc_id LIMIT 1";
constexpr const char* kDeleteHeld =
    "DELETE FROM held_receipts WHERE connector = ?1 AND smsc_id = ?2";
// Usually one row; an SMSC may reuse an id long after, and FindPart picks among them (in C++:
// an ORDER BY here would build a sorter for every receipt).
constexpr const char* kFindPart =
    "SELECT message_id, part, state, submitted_at FROM message_parts WHERE connector = ?1 AND "
    "smsc_id = ?2";
constexpr const char* kUpdatePart =
    "UPDATE message_parts SET state = ?3, stat = ?4, err = ?5, done_at = ?6 "
    "WHERE message_id = ?1 AND part = ?2";
// Oldest first through the partial index of parts without a final receipt.
constexpr const char* kAwaitingReceipt =
    "SELECT message_id, part, submitted_at, connector FROM message_parts INDEXED BY "
    "message_parts_awaiting_receipt WHERE state = 0 AND submitted_at < ?1 ORDER BY submitted_at "
    "LIMIT ?2";
constexpr const char* kHoldReceipt =
    "INSERT INTO held_receipts (connector, smsc_id, state, stat, err, received_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

int64_t Value(MessageState s) { return static_cast<int64_t>(s); }
int64_t Value(PartState s) { return static_cast<int64_t>(s); }

core::Result<PartState> PartStateColumn(const Statement& s, int index) {
  return EnumColumn<PartState>(s, index, Value(PartState::kUndelivered), "part state");
}

// What a transaction needs to know about a message to move it, and what a status webhook reports
// of it (`message`: its sid, state and status_details among them).
struct MessageRow {
  int64_t rowid = 0;
  int parts_total = 0;
  std::string callback, callback_profile_id;
  core::RouteType type = core::RouteType::kDefault;
  uint8_t registered_delivery = 0;  // 0 unless submitted over SMPP asking for receipts
  std::string smpp_system_id;
  core::Message message;
  // Not read from the row: set by the caller for the delivery rollups (Settle). The connector
  // that handled the message ('' when unknown), and the delay of the receipt settling it.
  std::string connector;
  std::optional<double> receipt_delay;
};

core::Result<std::optional<MessageRow>> ReadMessageRow(DeliveryStatements& d, std::string_view id) {
  Statement& select = d.message_row;
  const ScopedReset reset(select);
  select.BindText(1, id);
  auto row = select.Step();
  if (!row) {
    return Fail(std::move(row));
  }
  if (!*row) {
    return std::optional<MessageRow>();
  }
  auto type = EnumColumn<core::RouteType>(select, 4, static_cast<int64_t>(kRouteTypes) - 1, "type");
  if (!type) {
    return Fail(std::move(type));
  }
  auto message = ReadReportedMessage(select, 7);
  if (!message) {
    return Fail(std::move(message));
  }
  // Built in place: a MessageRow is some thirty strings, and every settle reads one.
  core::Result<std::optional<MessageRow>> result(std::in_place, std::in_place);
  MessageRow& out = **result;
  out.rowid = select.ColumnInt64(0);
  out.parts_total = static_cast<int>(select.ColumnInt64(1));
  out.callback = select.ColumnText(2);
  out.callback_profile_id = select.ColumnText(3);
  out.type = *type;
  out.registered_delivery = static_cast<uint8_t>(select.ColumnInt64(5) & 0xFF);
  out.smpp_system_id = select.ColumnText(6);
  out.message = std::move(*message);
  return result;
}

// Moves the message to `change` (when core::CanTransition allows it) and writes its event, the
// event's webhook when the message or its account has a callback target, and its SMPP receipt
// when the message was submitted over SMPP asking for one.
core::Result<void> Settle(DeliveryStatements& d, OutboxWriter& outbox, std::string_view id,
                          MessageRow& row, const core::StatusChange& change, int parts_total,
                          core::TimePoint at) {
  if (!core::CanTransition(row.message.state, change.state)) {
    return {};
  }
  {
    Statement& settle = d.settle;
    const ScopedReset reset(settle);
    settle.BindInt64(1, row.rowid);
    settle.BindInt64(2, Value(change.state));
    settle.BindText(3, change.details);
    settle.BindInt64(4, Ms(at));
    settle.BindInt64(5, parts_total);
    if (auto ran = settle.Run(); !ran) {
      return ran;
    }
  }
  if (core::IsFinal(change.state)) {
    outbox.Finished(row.message.sid, row.connector, row.type, change.state, at, row.receipt_delay);
  }
  row.message.state = change.state;
  row.message.status_details = change.details;
  row.parts_total = parts_total;
  const StatusEvent event{core::NewUuid(), std::string(id), row.message.sid,
                          change.state,    change.details,  at};
  {
    Statement& insert = d.insert_event;
    const ScopedReset reset(insert);
    insert.BindText(1, event.event_id);
    insert.BindText(2, event.message_id);
    insert.BindText(3, event.sid);
    insert.BindInt64(4, Value(event.state));
    insert.BindText(5, event.details);
    insert.BindInt64(6, Ms(event.at));
    if (auto ran = insert.Run(); !ran) {
      return ran;
    }
  }
  // The last use of row.message: the webhook's job takes it (moved, not copied).
  const OutboxWriter::StatusReport report{row.message, event};
  if (auto added = outbox.Add(WebhookKind::kStatus, event.event_id, row.message.sid, id,
                              row.callback, row.callback_profile_id, at, &report);
      !added) {
    return added;
  }
  if (row.registered_delivery != 0 &&
      core::WantsSmppReceipt(row.registered_delivery, change.state)) {
    if (auto added = outbox.AddSmppReceipt(event, row.smpp_system_id, row.registered_delivery);
        !added) {
      return added;
    }
  }
  return {};
}

// Moves the message where its parts say (MoveAfterParts), given all its parts (in part order):
// `known` when the caller knows them all, else read here. Records `parts_total` either way.
core::Result<void> Recompute(DeliveryStatements& d, OutboxWriter& outbox, std::string_view id,
                             MessageRow& row, int parts_total, core::TimePoint at,
                             std::optional<std::vector<core::PartStatus>> known) {
  std::vector<core::PartStatus> parts;
  if (known) {
    parts = std::move(*known);
  } else {
    Statement& select = d.part_states;
    const ScopedReset reset(select);
    select.BindText(1, id);
    auto read =
        ReadAll<core::PartStatus>(select, [](const Statement& s) -> core::Result<core::PartStatus> {
          auto state = PartStateColumn(s, 0);
          if (!state) {
            return Fail(std::move(state));
          }
          return core::PartStatus{*state, s.ColumnText(1)};
        });
    if (!read) {
      return Fail(std::move(read));
    }
    parts = std::move(*read);
  }
  const MessageMove move = MoveAfterParts(row.message.state, row.parts_total, parts, parts_total);
  if (move.sent_first) {
    core::Message kept = row.message;  // the Sent webhook's job may take row.message (Settle)
    if (auto sent = Settle(d, outbox, id, row, *move.sent_first, parts_total, at); !sent) {
      return sent;
    }
    kept.state = row.message.state;
    kept.status_details = row.message.status_details;
    row.message = std::move(kept);
  }
  if (move.settle) {
    return Settle(d, outbox, id, row, *move.settle, parts_total, at);
  }
  if (!move.record_parts_total) {
    return {};
  }
  Statement& update = d.set_parts_total;
  const ScopedReset reset(update);
  update.BindInt64(1, row.rowid);
  update.BindInt64(2, parts_total);
  if (auto ran = update.Run(); !ran) {
    return ran;
  }
  row.parts_total = parts_total;
  return {};
}

// Writes `r` on the part (its done_at as PartDoneAt says).
core::Result<void> WriteReceipt(DeliveryStatements& d, std::string_view message_id, int64_t part,
                                const PartReceipt& r) {
  Statement& update = d.update_part;
  const ScopedReset reset(update);
  update.BindText(1, message_id);
  update.BindInt64(2, part);
  update.BindInt64(3, Value(r.state));
  update.BindText(4, r.stat);
  update.BindText(5, r.err);
  if (const std::optional<core::TimePoint> done_at = PartDoneAt(r)) {
    update.BindInt64(6, Ms(*done_at));
  } else {
    update.BindNull(6);
  }
  return update.Run();
}

// Applies one receipt to a part now in `current`, when ReceiptOutcomeOn lets it.
core::Result<ReceiptOutcome> ApplyToPart(DeliveryStatements& d, std::string_view message_id,
                                         int64_t part, PartState current, const PartReceipt& r) {
  const ReceiptOutcome outcome = ReceiptOutcomeOn(current);
  if (outcome != ReceiptOutcome::kApplied) {
    return outcome;
  }
  if (auto written = WriteReceipt(d, message_id, part, r); !written) {
    return Fail(std::move(written));
  }
  return outcome;
}

// Applies the receipts held for a part just recorded, and drops them. Returns the part's status
// afterwards. Applied in arrival order each would overwrite the last (LastAppliedHeldReceipt), so
// only the one the part ends with is written.
core::Result<core::PartStatus> ApplyHeld(DeliveryStatements& d, const PartAccepted& p) {
  struct Held {
    PartState state;
    std::string stat, err;
    core::TimePoint at;
  };
  std::vector<Held> held;
  {
    Statement& select = d.held_for_part;
    const ScopedReset reset(select);
    select.BindText(1, p.connector);
    select.BindText(2, p.smsc_id);
    auto read = ReadAll<Held>(select, [](const Statement& s) -> core::Result<Held> {
      auto state = PartStateColumn(s, 0);
      if (!state) {
        return Fail(std::move(state));
      }
      return Held{*state, s.ColumnText(1), s.ColumnText(2), core::FromUnixMillis(s.ColumnInt64(3))};
    });
    if (!read) {
      return Fail(std::move(read));
    }
    held = std::move(*read);
  }
  std::vector<PartReceipt> receipts;
  receipts.reserve(held.size());
  for (const Held& h : held) {
    receipts.push_back({h.state, h.stat, h.err, h.at});
  }
  const std::optional<size_t> last = LastAppliedHeldReceipt(receipts);
  core::PartStatus status;
  if (!last) {
    return status;  // none held
  }
  if (auto written = WriteReceipt(d, p.message_id, p.part, receipts[*last]); !written) {
    return Fail(std::move(written));
  }
  status = core::PartStatus{held[*last].state, held[*last].stat};
  Statement& del = d.delete_held;
  const ScopedReset reset(del);
  del.BindText(1, p.connector);
  del.BindText(2, p.smsc_id);
  if (auto ran = del.Run(); !ran) {
    return Fail(std::move(ran));
  }
  return status;
}

struct FoundPart {
  std::string message_id;
  int64_t part = 0;
  PartState state = PartState::kSubmitted;
  core::TimePoint submitted_at;
};

// The part a receipt from `connector` for `smsc_id` belongs to (PrefersForReceipt, the rows
// compared as they are stepped), nullopt when no part has that id.
core::Result<std::optional<FoundPart>> FindPart(DeliveryStatements& d, std::string_view connector,
                                                std::string_view smsc_id) {
  Statement& find = d.find_part;
  const ScopedReset reset(find);
  find.BindText(1, connector);
  find.BindText(2, smsc_id);
  std::optional<FoundPart> best;
  for (;;) {
    auto row = find.Step();
    if (!row) {
      return Fail(std::move(row));
    }
    if (!*row) {
      return best;
    }
    auto state = PartStateColumn(find, 2);
    if (!state) {
      return Fail(std::move(state));
    }
    const ReceiptPartCandidate candidate{*state, core::FromUnixMillis(find.ColumnInt64(3))};
    if (!best || PrefersForReceipt(candidate, {best->state, best->submitted_at})) {
      best = FoundPart{find.ColumnText(0), find.ColumnInt64(1), candidate.state,
                       candidate.submitted_at};
    }
  }
}

// The messages a batch touched, each once, in first-touch order, with the latest time.
class TouchedMessages {
 public:
  struct Entry {
    std::string id;
    core::TimePoint at;
    int parts_total = 0;
    // Every part of the message with its status, by part number, when this batch recorded or
    // receipted them all; otherwise they are read back.
    std::optional<std::vector<std::pair<int64_t, core::PartStatus>>> parts;
    // For the delivery rollups: the connector of the parts, and the longest receipt delay seen.
    std::string connector;
    std::optional<double> receipt_delay;

    std::optional<std::vector<core::PartStatus>> KnownParts() {
      if (!parts) {
        return std::nullopt;
      }
      std::sort(parts->begin(), parts->end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      std::vector<core::PartStatus> out;
      for (auto& [number, status] : *parts) {
        out.push_back(std::move(status));
      }
      return out;
    }
  };

  // `parts_known`: on first touch, whether the batch will see every part of the message.
  Entry& Touch(std::string_view id, core::TimePoint at, bool parts_known) {
    auto [it, added] = index_.try_emplace(std::string(id), entries_.size());
    if (added) {
      entries_.push_back(Entry{std::string(id), at, 0, {}, {}, std::nullopt});
      if (parts_known) {
        entries_.back().parts.emplace();
      }
    }
    Entry& entry = entries_[it->second];
    entry.at = std::max(entry.at, at);
    return entry;
  }
  std::vector<Entry>& entries() { return entries_; }

 private:
  std::unordered_map<std::string, size_t> index_;
  std::vector<Entry> entries_;
};

// Moves each message whose parts receipts changed where its parts now say.
core::Result<void> SettleReceipted(DeliveryStatements& d, OutboxWriter& outbox,
                                   TouchedMessages& touched) {
  for (TouchedMessages::Entry& entry : touched.entries()) {
    auto row = ReadMessageRow(d, entry.id);
    if (!row) {
      return Fail(std::move(row));
    }
    if (!*row) {
      continue;
    }
    (*row)->connector = entry.connector;
    (*row)->receipt_delay = entry.receipt_delay;
    // What this batch saw of the message is all of it only for a single-part message.
    std::optional<std::vector<core::PartStatus>> known;
    if ((*row)->parts_total == 1) {
      known = entry.KnownParts();
    }
    auto done =
        Recompute(d, outbox, entry.id, **row, (*row)->parts_total, entry.at, std::move(known));
    if (!done) {
      return done;
    }
  }
  return {};
}

// Every statement with its SQL: prepared together, and listed for the query-plan tests.
constexpr StatementSql<DeliveryStatements> kStatements[] = {
    {"claim_due", &DeliveryStatements::claim_due, kClaimDue},
    {"claim", &DeliveryStatements::claim, kClaim},
    {"claim_parts", &DeliveryStatements::claim_parts, kClaimParts},
    {"release_claims", &DeliveryStatements::release_claims, kReleaseClaims},
    {"message_row", &DeliveryStatements::message_row, kMessageRow},
    {"part_states", &DeliveryStatements::part_states, kPartStates},
    {"settle", &DeliveryStatements::settle, kSettle},
    {"set_parts_total", &DeliveryStatements::set_parts_total, kSetPartsTotal},
    {"insert_event", &DeliveryStatements::insert_event, kInsertEvent},
    {"insert_part", &DeliveryStatements::insert_part, kInsertPart},
    {"held_for_part", &DeliveryStatements::held_for_part, kHeldForPart},
    {"any_held", &DeliveryStatements::any_held, kAnyHeld},
    {"delete_held", &DeliveryStatements::delete_held, kDeleteHeld},
    {"find_part", &DeliveryStatements::find_part, kFindPart},
    {"update_part", &DeliveryStatements::update_part, kUpdatePart},
    {"hold_receipt", &DeliveryStatements::hold_receipt, kHoldReceipt},
    {"requeue", &DeliveryStatements::requeue, kRequeue},
    {"awaiting_receipt", &DeliveryStatements::awaiting_receipt, kAwaitingReceipt},
};

}  // namespace

core::Result<void> DeliveryStatements::Prepare(Db& db) {
  return PrepareEach(db, *this, kStatements);
}

std::vector<NamedSql> DeliverySqlForTest() { return NamedSqlOf(kStatements); }

core::Result<std::vector<Claim>> SqliteStore::ClaimDue(std::string_view owner, core::TimePoint now,
                                                       std::chrono::milliseconds lease,
                                                       size_t limit) {
  std::vector<Claim> claims;
  if (limit == 0) {
    return claims;
  }
  auto any_due = WithReader([&](ReadConnection& r) -> core::Result<bool> {
    Statement& select = r.log.any_due;
    const ScopedReset reset(select);
    select.BindInt64(1, Ms(now));
    select.BindText(2, owner);
    select.BindInt64(3, Value(MessageState::kSubmitting));
    return HasRow(select);
  });
  if (!any_due) {
    return std::unexpected(std::move(any_due.error()));
  }
  if (!*any_due) {
    return claims;
  }
  DeliveryStatements& d = writer_->delivery;
  auto claimed = InWriteGroup(WriteLane::kPipeline, [&]() -> core::Result<void> {
    for (int priority = 0; priority <= 2 && claims.size() < limit; ++priority) {
      struct Due {
        int64_t rowid;
        int parts_total;
      };
      std::vector<Due> due;
      const size_t first = claims.size();
      {
        Statement& select = d.claim_due;
        const ScopedReset reset(select);
        select.BindInt64(1, priority);
        select.BindInt64(2, Ms(now));
        select.BindText(3, owner);
        select.BindInt64(4, static_cast<int64_t>(limit - claims.size()));
        select.BindInt64(5, Value(MessageState::kSubmitting));
        for (;;) {
          auto row = select.Step();
          if (!row) {
            return Fail(std::move(row));
          }
          if (!*row) {
            break;
          }
          auto message = ReadMessage(select);
          if (!message) {
            return Fail(std::move(message));
          }
          // Only waiting and claimed messages are ever due (migration 4's invariant).
          if (!Claimable(message->state)) {
            continue;
          }
          Claim claim;
          claim.message = std::move(*message);
          claim.attempts = static_cast<int>(select.ColumnInt64(kMessageColumnCount + 1));
          claim.opted_out = select.ColumnInt64(kMessageColumnCount + 3) != 0;
          claims.push_back(std::move(claim));
          due.push_back(Due{select.ColumnInt64(kMessageColumnCount),
                            static_cast<int>(select.ColumnInt64(kMessageColumnCount + 2))});
        }
      }
      // Updated after the scan: changing rows of the index a statement is walking is undefined.
      for (size_t i = 0; i < due.size(); ++i) {
        Claim& claim = claims[first + i];
        {
          Statement& update = d.claim;
          const ScopedReset reset(update);
          update.BindInt64(1, due[i].rowid);
          update.BindInt64(2, Value(MessageState::kSubmitting));
          update.BindText(3, owner);
          update.BindInt64(4, Ms(now + lease));
          update.BindInt64(5, Ms(now));
          if (auto ran = update.Run(); !ran) {
            return ran;
          }
        }
        claim.message.state = MessageState::kSubmitting;
        claim.message.status_details = "QUEUED";
        if (due[i].parts_total == 0) {
          continue;  // never accepted anywhere: nothing to read
        }
        Statement& parts = d.claim_parts;
        const ScopedReset reset(parts);
        parts.BindText(1, claim.message.id);
        for (;;) {
          auto row = parts.Step();
          if (!row) {
            return Fail(std::move(row));
          }
          if (!*row) {
            break;
          }
          claim.parts_done.push_back(static_cast<int>(parts.ColumnInt64(0)));
          if (claim.connector.empty()) {
            claim.connector = parts.ColumnText(1);
          }
        }
      }
    }
    return {};
  });
  if (!claimed) {
    return Fail(std::move(claimed));
  }
  return claims;
}

core::Result<size_t> SqliteStore::ReleaseClaims(std::string_view keep_owner, core::TimePoint now) {
  std::lock_guard lock(write_mu_);
  Statement& release = writer_->delivery.release_claims;
  const ScopedReset reset(release);
  release.BindText(1, keep_owner);
  release.BindInt64(2, Ms(now));
  release.BindInt64(3, Value(MessageState::kSubmitting));
  const std::string node = OwnerNode(keep_owner);
  release.BindText(4, node);
  if (auto ran = release.Run(); !ran) {
    return Fail(std::move(ran));
  }
  return static_cast<size_t>(writer_->db.Changes());
}

core::Result<void> SqliteStore::RecordAccepted(std::span<const PartAccepted> parts) {
  if (parts.empty()) {
    return {};
  }
  DeliveryStatements& d = writer_->delivery;
  return InWriteGroupWithOutbox(
      WriteLane::kPipeline, [&](OutboxWriter& outbox) -> core::Result<void> {
        TouchedMessages touched;
        std::unordered_map<std::string_view, std::optional<MessageRow>> rows;
        bool any_held = false;
        {
          Statement& probe = d.any_held;
          const ScopedReset reset(probe);
          auto row = probe.Step();
          if (!row) {
            return Fail(std::move(row));
          }
          any_held = *row;
        }
        for (const PartAccepted& p : parts) {
          auto found = rows.find(p.message_id);
          if (found == rows.end()) {
            auto row = ReadMessageRow(d, p.message_id);
            if (!row) {
              return Fail(std::move(row));
            }
            found = rows.emplace(p.message_id, std::move(*row)).first;
          }
          if (!found->second) {
            continue;  // no such message: nothing to attach the part to
          }
          found->second->connector = p.connector;
          {
            Statement& insert = d.insert_part;
            const ScopedReset reset(insert);
            insert.BindText(1, p.message_id);
            insert.BindInt64(2, p.part);
            insert.BindText(3, p.connector);
            insert.BindText(4, p.smsc_id);
            insert.BindText(5, p.smsc_id_raw);
            insert.BindInt64(6, Value(PartState::kSubmitted));
            insert.BindInt64(7, Ms(p.at));
            if (auto ran = insert.Run(); !ran) {
              return ran;
            }
          }
          if (writer_->db.Changes() == 0) {
            continue;  // recorded before
          }
          auto status = any_held ? ApplyHeld(d, p) : core::Result<core::PartStatus>();
          if (!status) {
            return Fail(std::move(status));
          }
          // A message without parts before this call has exactly the parts this call records.
          TouchedMessages::Entry& entry =
              touched.Touch(p.message_id, p.at, found->second->parts_total == 0);
          entry.parts_total = p.total_parts;
          if (entry.parts) {
            entry.parts->emplace_back(p.part, std::move(*status));
          }
        }
        for (TouchedMessages::Entry& entry : touched.entries()) {
          MessageRow& row = *rows.find(entry.id)->second;
          auto done =
              Recompute(d, outbox, entry.id, row, entry.parts_total, entry.at, entry.KnownParts());
          if (!done) {
            return done;
          }
        }
        return {};
      });
}

core::Result<void> SqliteStore::RecordFailures(std::span<const SubmitFailure> failures) {
  if (failures.empty()) {
    return {};
  }
  DeliveryStatements& d = writer_->delivery;
  return InWriteGroupWithOutbox(
      WriteLane::kPipeline, [&](OutboxWriter& outbox) -> core::Result<void> {
        for (const SubmitFailure& f : failures) {
          auto row = ReadMessageRow(d, f.message_id);
          if (!row) {
            return Fail(std::move(row));
          }
          if (!*row) {
            continue;  // unknown
          }
          const FailureAction action = AfterSubmitFailure((*row)->message.state, f);
          if (action == FailureAction::kLeave) {
            continue;
          }
          if (action == FailureAction::kEndNotSent) {
            auto settled = Settle(d, outbox, f.message_id, **row,
                                  {MessageState::kNotSent, f.reason}, (*row)->parts_total, f.at);
            if (!settled) {
              return settled;
            }
            continue;
          }
          Statement& requeue = d.requeue;
          const ScopedReset reset(requeue);
          requeue.BindInt64(1, (*row)->rowid);
          requeue.BindInt64(2, Value(MessageState::kQueued));
          requeue.BindInt64(3, Ms(*f.retry_at));
          requeue.BindText(4, f.reason);
          requeue.BindInt64(5, Ms(f.at));
          if (auto ran = requeue.Run(); !ran) {
            return ran;
          }
        }
        return {};
      });
}

core::Result<std::vector<ReceiptOutcome>> SqliteStore::ApplyReceipts(
    std::span<const ReceiptRecord> receipts) {
  std::vector<ReceiptOutcome> outcomes;
  if (receipts.empty()) {
    return outcomes;
  }
  outcomes.reserve(receipts.size());
  DeliveryStatements& d = writer_->delivery;
  std::vector<double> delays;  // of final receipts, observed once committed
  auto applied =
      InWriteGroupWithOutbox(WriteLane::kPipeline, [&](OutboxWriter& outbox) -> core::Result<void> {
        outcomes.clear();
        delays.clear();
        TouchedMessages touched;
        for (const ReceiptRecord& r : receipts) {
          auto found = FindPart(d, r.connector, r.smsc_id);
          if (!found) {
            return Fail(std::move(found));
          }
          if (!*found) {
            Statement& hold = d.hold_receipt;
            const ScopedReset reset(hold);
            hold.BindText(1, r.connector);
            hold.BindText(2, r.smsc_id);
            hold.BindInt64(3, Value(r.state));
            hold.BindText(4, r.stat);
            hold.BindText(5, r.err);
            hold.BindInt64(6, Ms(r.at));
            if (auto ran = hold.Run(); !ran) {
              return ran;
            }
            outcomes.push_back(ReceiptOutcome::kHeld);
            continue;
          }
          const FoundPart& part = **found;
          auto outcome = ApplyToPart(d, part.message_id, part.part, part.state,
                                     {r.state, r.stat, r.err, r.at});
          if (!outcome) {
            return Fail(std::move(outcome));
          }
          outcomes.push_back(*outcome);
          // Of a single-part message the receipt tells all there is to know, which spares
          // Recompute reading the parts back (parts_total is checked below).
          if (ReceiptMovesMessage(*outcome, r.state)) {
            const double delay = std::chrono::duration<double>(r.at - part.submitted_at).count();
            delays.push_back(delay);
            TouchedMessages::Entry& entry = touched.Touch(part.message_id, r.at, part.part == 1);
            entry.connector = r.connector;
            entry.receipt_delay = std::max(entry.receipt_delay.value_or(delay), delay);
            if (entry.parts && entry.parts->empty()) {
              entry.parts->emplace_back(part.part, core::PartStatus{r.state, r.stat});
            }
          }
        }
        return SettleReceipted(d, outbox, touched);
      });
  if (!applied) {
    return Fail(std::move(applied));
  }
  for (const double delay : delays) {
    receipt_delay_.Observe(delay);
  }
  return outcomes;
}

core::Result<void> EndNotSent(DeliveryStatements& d, OutboxWriter& outbox, std::string_view id,
                              std::string_view details, core::TimePoint at) {
  auto row = ReadMessageRow(d, id);
  if (!row) {
    return Fail(std::move(row));
  }
  if (!*row) {
    return core::MakeError(core::Errc::kInternal, "message " + std::string(id) + " vanished");
  }
  return Settle(d, outbox, id, **row, {MessageState::kNotSent, std::string(details)},
                (*row)->parts_total, at);
}

core::Result<size_t> SqliteStore::ExpireReceipts(core::TimePoint submitted_before,
                                                 core::TimePoint now, size_t limit) {
  DeliveryStatements& d = writer_->delivery;
  size_t expired = 0;
  auto done =
      InWriteGroupWithOutbox(WriteLane::kPipeline, [&](OutboxWriter& outbox) -> core::Result<void> {
        struct Waiting {
          std::string message_id;
          int64_t part;
          std::string connector;
        };
        Statement& select = d.awaiting_receipt;
        const ScopedReset reset(select);
        select.BindInt64(1, Ms(submitted_before));
        select.BindInt64(2, static_cast<int64_t>(limit));
        auto waiting = ReadAll<Waiting>(select, [](const Statement& s) -> core::Result<Waiting> {
          return Waiting{s.ColumnText(0), s.ColumnInt64(1), s.ColumnText(3)};
        });
        if (!waiting) {
          return Fail(std::move(waiting));
        }
        TouchedMessages touched;
        for (const Waiting& w : *waiting) {
          auto outcome =
              ApplyToPart(d, w.message_id, w.part, PartState::kSubmitted, NoReceipt(now));
          if (!outcome) {
            return Fail(std::move(outcome));
          }
          touched.Touch(w.message_id, now, false).connector = w.connector;
        }
        expired = waiting->size();
        return SettleReceipted(d, outbox, touched);
      });
  if (!done) {
    return Fail(std::move(done));
  }
  return expired;
}

core::Result<void> SqliteStore::Cancel(std::string_view sid, std::string_view id,
                                       core::TimePoint now) {
  DeliveryStatements& d = writer_->delivery;
  return InWriteGroupWithOutbox(
      WriteLane::kCustomer, [&](OutboxWriter& outbox) -> core::Result<void> {
        auto row = ReadMessageRow(d, id);
        if (!row) {
          return Fail(std::move(row));
        }
        if (!*row || (*row)->message.sid != sid) {
          return core::MakeError(core::Errc::kNotFound, "no message '" + std::string(id) + "'");
        }
        auto change = CancelChange((*row)->message.state);
        if (!change) {
          return Fail(std::move(change));
        }
        return Settle(d, outbox, id, **row, *change, (*row)->parts_total, now);
      });
}

}  // namespace smsgw::store::sqlite
