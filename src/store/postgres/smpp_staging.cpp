#include "store/postgres/smpp_staging.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "core/strings.h"
#include "store/postgres/messages.h"

namespace smsgw::store::postgres {
namespace {

// A set's key is $1..$4 in every statement that takes it, so that one Params serves.
constexpr const char* kLockKey =
    "SELECT pg_advisory_xact_lock(hashtextextended(concat_ws(chr(31), 'smpp-set', $1::text, "
    "$2::text, $3::text, $4::text), 0))";
// Taken after a key's lock, only to start a set: the credential's count of sets stays true.
constexpr const char* kLockCredential =
    "SELECT pg_advisory_xact_lock(hashtextextended(concat_ws(chr(31), 'smpp-sets', $1::text), 0))";
constexpr const char* kFindSet =
    "SELECT id, total, data_coding, registered_delivery, message_id, parts, octets, first_at "
    "FROM smpp_staged_sets WHERE system_id = $1 AND source = $2 AND destination = $3 "
    "AND reference = $4 FOR UPDATE";
constexpr const char* kCountSets = "SELECT count(*) FROM smpp_staged_sets WHERE system_id = $1";
constexpr const char* kInsertSet =
    "INSERT INTO smpp_staged_sets (system_id, source, destination, reference, sid, total, "
    "data_coding, registered_delivery, message_id, parts, octets, first_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11) RETURNING id";
// Whether part $2 of set $1 is staged, and with the octets $3.
constexpr const char* kSamePart =
    "SELECT user_data = decode($3, 'hex') FROM smpp_staged_parts WHERE set_id = $1 AND seqnum = $2";
constexpr const char* kInsertPart =
    "INSERT INTO smpp_staged_parts (set_id, seqnum, user_data) VALUES ($1, $2, decode($3, 'hex'))";
constexpr const char* kAddToSet =
    "UPDATE smpp_staged_sets SET parts = parts + 1, octets = octets + $2, registered_delivery = "
    "CASE WHEN registered_delivery = 0 THEN $3 ELSE registered_delivery END WHERE id = $1";
constexpr const char* kSelectParts =
    "SELECT encode(user_data, 'hex') FROM smpp_staged_parts WHERE set_id = $1 ORDER BY seqnum";
constexpr const char* kLockSet =
    "SELECT total, parts FROM smpp_staged_sets WHERE id = $1 FOR UPDATE";
constexpr const char* kDeleteParts =
    "DELETE FROM smpp_staged_parts WHERE set_id = ANY($1::bigint[])";
constexpr const char* kDeleteSets = "DELETE FROM smpp_staged_sets WHERE id = ANY($1::bigint[])";
constexpr const char* kAnyExpired = "SELECT 1 FROM smpp_staged_sets WHERE first_at < $1 LIMIT 1";
constexpr const char* kLockExpired =
    "SELECT id, sid, system_id, source, destination, reference, total, parts, message_id, "
    "first_at FROM smpp_staged_sets WHERE first_at < $1 ORDER BY first_at, id LIMIT $2 "
    "FOR UPDATE SKIP LOCKED";
constexpr const char* kMessageExists = "SELECT 1 FROM messages WHERE id = $1";

Params KeyParams(const SmppStagedPart& part) {
  Params params;
  params.Text(part.system_id).Text(part.source).Text(part.destination).Int(part.reference);
  return params;
}

core::Result<void> Run(Connection& conn, const char* sql, const Params& params) {
  auto ran = conn.Exec(sql, params);
  if (!ran) {
    return Fail(std::move(ran));
  }
  return {};
}

core::Result<void> DeleteSets(Connection& conn, std::span<const int64_t> ids) {
  const Params params = Params().Text(IntArray(ids));
  if (auto deleted = Run(conn, kDeleteParts, params); !deleted) {
    return deleted;
  }
  return Run(conn, kDeleteSets, params);
}

// A set as found by its key, locked.
struct FoundSet {
  int64_t id = 0;
  int total = 0;
  uint8_t data_coding = 0;
  uint8_t registered_delivery = 0;
  std::string message_id;
  int parts = 0;
  int64_t octets = 0;
  core::TimePoint first_at;
};

core::Result<std::optional<FoundSet>> FindSet(Connection& conn, const SmppStagedPart& part) {
  auto rows = conn.Exec(kFindSet, KeyParams(part));
  if (!rows) {
    return Fail(std::move(rows));
  }
  if (rows->rows() == 0) {
    return std::optional<FoundSet>();
  }
  return std::optional<FoundSet>(FoundSet{
      rows->Int(0, 0), static_cast<int>(rows->Int(0, 1)), static_cast<uint8_t>(rows->Int(0, 2)),
      static_cast<uint8_t>(rows->Int(0, 3)), rows->Text(0, 4), static_cast<int>(rows->Int(0, 5)),
      rows->Int(0, 6), rows->Time(0, 7)});
}

core::Result<void> InsertPart(Connection& conn, int64_t set_id, const SmppStagedPart& part) {
  return Run(conn, kInsertPart, Params().Int(set_id).Int(part.seqnum).Text(HexOf(part.user_data)));
}

// A new set with `part` as its first part.
core::Result<int64_t> StartSet(Connection& conn, const SmppStagedPart& part) {
  Params params = KeyParams(part);
  params.Text(part.sid)
      .Int(part.total)
      .Int(part.data_coding)
      .Int(part.registered_delivery)
      .Text(part.message_id)
      .Int(static_cast<int64_t>(part.user_data.size()))
      .Time(part.received_at);
  auto rows = conn.Exec(kInsertSet, params);
  if (!rows) {
    return Fail(std::move(rows));
  }
  const int64_t id = rows->Int(0, 0);
  if (auto inserted = InsertPart(conn, id, part); !inserted) {
    return Fail(std::move(inserted));
  }
  return id;
}

// The first part of a key: a new set, within the credential's bounds.
core::Result<SmppStageResult> StageFirst(Connection& conn, const SmppStagedPart& part,
                                         const SmppStagingLimits& limits) {
  SmppStageResult result;
  if (auto locked = Run(conn, kLockCredential, Params().Text(part.system_id)); !locked) {
    return Fail(std::move(locked));
  }
  auto sets = conn.Exec(kCountSets, Params().Text(part.system_id));
  if (!sets) {
    return Fail(std::move(sets));
  }
  if (static_cast<uint64_t>(sets->Int(0, 0)) >= limits.max_sets_per_credential) {
    result.outcome = SmppStageOutcome::kTooManySets;
    return result;
  }
  if (part.user_data.size() > limits.max_set_octets) {
    result.outcome = SmppStageOutcome::kTooLong;
    return result;
  }
  auto id = StartSet(conn, part);
  if (!id) {
    return Fail(std::move(id));
  }
  return SmppStageResult{SmppStageOutcome::kStaged, *id, part.message_id,
                         part.registered_delivery,  {},  std::nullopt};
}

// Every part's user data of set `set_id`, in part order.
core::Result<std::vector<std::vector<uint8_t>>> ReadParts(Connection& conn, int64_t set_id) {
  auto rows = conn.Exec(kSelectParts, Params().Int(set_id));
  if (!rows) {
    return Fail(std::move(rows));
  }
  std::vector<std::vector<uint8_t>> parts;
  for (int i = 0; i < rows->rows(); ++i) {
    auto bytes = BytesOfHex(rows->Text(i, 0), "SMPP part");
    if (!bytes) {
      return Fail(std::move(bytes));
    }
    parts.push_back(std::move(*bytes));
  }
  return parts;
}

// A later part of the existing set `set` (as SQLite's StageSmppPart decides).
core::Result<SmppStageResult> StageInto(Connection& conn, const FoundSet& set,
                                        const SmppStagedPart& part,
                                        const SmppStagingLimits& limits) {
  SmppStageResult result;
  result.set_id = set.id;
  if (part.total != set.total) {
    result.outcome = SmppStageOutcome::kTotalDiffers;
    return result;
  }
  if (part.data_coding != set.data_coding) {
    result.outcome = SmppStageOutcome::kCodingDiffers;
    return result;
  }
  result.message_id = set.message_id;
  result.registered_delivery =
      set.registered_delivery != 0 ? set.registered_delivery : part.registered_delivery;
  const std::string hex = HexOf(part.user_data);
  auto same = conn.Exec(kSamePart, Params().Int(set.id).Int(part.seqnum).Text(hex));
  if (!same) {
    return Fail(std::move(same));
  }
  const bool staged = same->rows() > 0;
  int parts = set.parts;
  if (staged && parts < set.total) {
    if (same->Bool(0, 0)) {
      result.outcome = SmppStageOutcome::kRepeated;
      return result;
    }
    // Another text under a part number already staged: the customer's reference came round
    // again to a new message while an old one waits. The old one is given up (reported), so
    // that the new message is not completed with the old one's parts.
    const int64_t old_id = set.id;
    if (auto deleted = DeleteSets(conn, std::span(&old_id, 1)); !deleted) {
      return Fail(std::move(deleted));
    }
    auto id = StartSet(conn, part);
    if (!id) {
      return Fail(std::move(id));
    }
    return SmppStageResult{
        SmppStageOutcome::kStaged,
        *id,
        part.message_id,
        part.registered_delivery,
        {},
        SmppExpiredSet{part.sid, part.system_id, part.source, part.destination, part.reference,
                       set.total, set.parts, set.message_id, set.first_at}};
  }
  if (!staged) {
    if (static_cast<uint64_t>(set.octets) + part.user_data.size() > limits.max_set_octets) {
      result.outcome = SmppStageOutcome::kTooLong;
      return result;
    }
    if (auto inserted = InsertPart(conn, set.id, part); !inserted) {
      return Fail(std::move(inserted));
    }
    auto added = Run(conn, kAddToSet,
                     Params()
                         .Int(set.id)
                         .Int(static_cast<int64_t>(part.user_data.size()))
                         .Int(part.registered_delivery));
    if (!added) {
      return Fail(std::move(added));
    }
    ++parts;
  }
  if (parts < set.total) {
    result.outcome = SmppStageOutcome::kStaged;
    return result;
  }
  auto all = ReadParts(conn, set.id);
  if (!all) {
    return Fail(std::move(all));
  }
  result.outcome = SmppStageOutcome::kComplete;
  result.parts = std::move(*all);
  return result;
}

}  // namespace

core::Result<SmppStageResult> SmppStaging::StageSmppPart(const SmppStagedPart& part,
                                                         const SmppStagingLimits& limits) {
  if (part.total < 2 || part.total > 255 || part.seqnum < 1 || part.seqnum > part.total) {
    return core::MakeError(core::Errc::kInvalidArgument, "an SMPP part numbered " +
                                                             std::to_string(part.seqnum) + " of " +
                                                             std::to_string(part.total));
  }
  return pool_.InTransaction([&](Connection& conn) -> core::Result<SmppStageResult> {
    // Whatever decides below must see the other nodes' parts of this set.
    if (auto locked = Run(conn, kLockKey, KeyParams(part)); !locked) {
      return Fail(std::move(locked));
    }
    auto found = FindSet(conn, part);
    if (!found) {
      return Fail(std::move(found));
    }
    if (!*found) {
      return StageFirst(conn, part, limits);
    }
    return StageInto(conn, **found, part, limits);
  });
}

core::Result<void> SmppStaging::CompleteSmppSet(int64_t set_id, const core::Message& message) {
  const std::span<const core::Message> messages(&message, 1);
  const Params insert = InsertMessagesParams(messages);
  return InSettlingTransaction(
      pool_, outbox_state_,
      [&](Connection& conn, TransactionOutbox& webhooks) -> core::Result<void> {
        // Locked: the same last part answered on another node completes the set after this
        // commits, and then finds it gone and the message stored.
        auto set = conn.Exec(kLockSet, Params().Int(set_id));
        if (!set) {
          return Fail(std::move(set));
        }
        if (set->rows() == 0 || set->Int(0, 0) != set->Int(0, 1)) {
          auto stored = conn.Exec(kMessageExists, Params().Text(message.id));
          if (!stored) {
            return Fail(std::move(stored));
          }
          if (stored->rows() > 0) {
            return {};  // an answer to the same last part stored it first
          }
          return core::MakeError(core::Errc::kNotFound,
                                 "the parts of message '" + message.id + "' are no longer staged");
        }
        if (auto deleted = DeleteSets(conn, std::span(&set_id, 1)); !deleted) {
          return deleted;
        }
        return InsertMessages(conn, messages, insert, webhooks);
      });
}

core::Result<void> SmppStaging::DropSmppSet(int64_t set_id) {
  return pool_.InTransaction(
      [&](Connection& conn) { return DeleteSets(conn, std::span(&set_id, 1)); });
}

core::Result<std::vector<SmppExpiredSet>> SmppStaging::ExpireSmppSets(core::TimePoint cutoff,
                                                                      size_t limit) {
  std::vector<SmppExpiredSet> sets;
  if (limit == 0) {
    return sets;
  }
  auto any = pool_.Read(kAnyExpired, Params().Time(cutoff));
  if (!any) {
    return Fail(std::move(any));
  }
  if (any->rows() == 0) {
    return sets;
  }
  const auto bounded =
      static_cast<int64_t>(std::min<uint64_t>(limit, std::numeric_limits<int64_t>::max()));
  auto expired = pool_.InTransaction([&](Connection& conn) -> core::Result<void> {
    sets.clear();
    auto rows = conn.Exec(kLockExpired, Params().Time(cutoff).Int(bounded));
    if (!rows) {
      return Fail(std::move(rows));
    }
    std::vector<int64_t> ids;
    for (int i = 0; i < rows->rows(); ++i) {
      ids.push_back(rows->Int(i, 0));
      sets.push_back(
          SmppExpiredSet{rows->Text(i, 1), rows->Text(i, 2), rows->Text(i, 3), rows->Text(i, 4),
                         static_cast<uint16_t>(rows->Int(i, 5)), static_cast<int>(rows->Int(i, 6)),
                         static_cast<int>(rows->Int(i, 7)), rows->Text(i, 8), rows->Time(i, 9)});
    }
    if (ids.empty()) {
      return {};
    }
    return DeleteSets(conn, ids);
  });
  if (!expired) {
    return Fail(std::move(expired));
  }
  return sets;
}

core::Result<size_t> SmppStaging::CountSmppStagedSets(std::string_view system_id) {
  auto rows = pool_.Read(kCountSets, Params().Text(system_id));
  if (!rows) {
    return Fail(std::move(rows));
  }
  return static_cast<size_t>(rows->Int(0, 0));
}

}  // namespace smsgw::store::postgres
