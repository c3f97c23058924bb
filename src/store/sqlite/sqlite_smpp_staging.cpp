// SqliteStore's SmppStagingStore (migration 19): the parts of customers' concatenated submits
// until the last one arrives. A set is one row of smpp_staged_sets, found by its unique key; its
// parts are one range of smpp_staged_parts. Every write joins the pipeline's write group, as
// Enqueue does, and CompleteSmppSet stores the message with Enqueue's own inserts (EnqueueIn) in
// the transaction that deletes the set.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace smsgw::store::sqlite {
namespace {

constexpr const char* kFindSet =
    "SELECT id, total, data_coding, registered_delivery, message_id, parts, octets, first_at "
    "FROM smpp_staged_sets WHERE system_id = ?1 AND source = ?2 AND destination = ?3 "
    "AND reference = ?4";
constexpr const char* kCountSets = "SELECT count(*) FROM smpp_staged_sets WHERE system_id = ?1";
constexpr const char* kInsertSet =
    "INSERT INTO smpp_staged_sets (system_id, source, destination, reference, sid, total, "
    "data_coding, registered_delivery, message_id, parts, octets, first_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, ?10, ?11) RETURNING id";
constexpr const char* kSelectPart =
    "SELECT user_data FROM smpp_staged_parts WHERE set_id = ?1 AND seqnum = ?2";
constexpr const char* kInsertPart =
    "INSERT INTO smpp_staged_parts (set_id, seqnum, user_data) VALUES (?1, ?2, ?3)";
constexpr const char* kAddToSet =
    "UPDATE smpp_staged_sets SET parts = parts + 1, octets = octets + ?2, registered_delivery = "
    "CASE WHEN registered_delivery = 0 THEN ?3 ELSE registered_delivery END WHERE id = ?1";
constexpr const char* kSelectParts =
    "SELECT user_data FROM smpp_staged_parts WHERE set_id = ?1 ORDER BY seqnum";
constexpr const char* kSelectSet = "SELECT total, parts FROM smpp_staged_sets WHERE id = ?1";
constexpr const char* kDeleteParts = "DELETE FROM smpp_staged_parts WHERE set_id = ?1";
constexpr const char* kDeleteSet = "DELETE FROM smpp_staged_sets WHERE id = ?1";
constexpr const char* kExpired =
    "SELECT id, sid, system_id, source, destination, reference, total, parts, message_id, "
    "first_at FROM smpp_staged_sets WHERE first_at < ?1 ORDER BY first_at LIMIT ?2";
constexpr const char* kMessageExists = "SELECT 1 FROM messages WHERE id = ?1";
// Read before taking the writer: the expiry tick of an idle server.
constexpr const char* kAnyExpired = "SELECT 1 FROM smpp_staged_sets WHERE first_at < ?1 LIMIT 1";

constexpr StatementSql<SmppStagingStatements> kWriterStatements[] = {
    {"find_smpp_staged_set", &SmppStagingStatements::find_set, kFindSet},
    {"count_smpp_staged_sets", &SmppStagingStatements::count_sets, kCountSets},
    {"insert_smpp_staged_set", &SmppStagingStatements::insert_set, kInsertSet},
    {"select_smpp_staged_part", &SmppStagingStatements::select_part, kSelectPart},
    {"insert_smpp_staged_part", &SmppStagingStatements::insert_part, kInsertPart},
    {"add_to_smpp_staged_set", &SmppStagingStatements::add_to_set, kAddToSet},
    {"select_smpp_staged_parts", &SmppStagingStatements::select_parts, kSelectParts},
    {"select_smpp_staged_set", &SmppStagingStatements::select_set, kSelectSet},
    {"delete_smpp_staged_parts", &SmppStagingStatements::delete_parts, kDeleteParts},
    {"delete_smpp_staged_set", &SmppStagingStatements::delete_set, kDeleteSet},
    {"expired_smpp_staged_sets", &SmppStagingStatements::expired, kExpired},
    {"smpp_staged_message_exists", &SmppStagingStatements::message_exists, kMessageExists},
};
constexpr StatementSql<SmppStagingReadStatements> kReaderStatements[] = {
    {"any_expired_smpp_staged_set", &SmppStagingReadStatements::any_expired, kAnyExpired},
    {"count_smpp_staged_sets_read", &SmppStagingReadStatements::count_sets, kCountSets},
};

std::string ToHex(const std::vector<uint8_t>& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0x0F];
  }
  return out;
}

core::Result<std::vector<uint8_t>> FromHex(const std::string& hex) {
  const auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  };
  if (hex.size() % 2 != 0) {
    return core::MakeError(core::Errc::kInternal, "stored SMPP part is not hex");
  }
  std::vector<uint8_t> out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]);
    const int lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) {
      return core::MakeError(core::Errc::kInternal, "stored SMPP part is not hex");
    }
    out.push_back(static_cast<uint8_t>(hi << 4 | lo));
  }
  return out;
}

int64_t Limit(size_t limit) {
  return static_cast<int64_t>(std::min<size_t>(limit, std::numeric_limits<int64_t>::max()));
}

// Every part's user data of set `set_id`, in part order.
core::Result<std::vector<std::vector<uint8_t>>> ReadParts(SmppStagingStatements& s,
                                                          int64_t set_id) {
  std::vector<std::vector<uint8_t>> parts;
  Statement& select = s.select_parts;
  const ScopedReset reset(select);
  select.BindInt64(1, set_id);
  for (;;) {
    auto row = select.Step();
    if (!row) {
      return Fail(std::move(row));
    }
    if (!*row) {
      return parts;
    }
    auto bytes = FromHex(select.ColumnText(0));
    if (!bytes) {
      return Fail(std::move(bytes));
    }
    parts.push_back(std::move(*bytes));
  }
}

core::Result<void> DeleteSet(SmppStagingStatements& s, int64_t set_id) {
  for (Statement* del : {&s.delete_parts, &s.delete_set}) {
    const ScopedReset reset(*del);
    del->BindInt64(1, set_id);
    if (auto ran = del->Run(); !ran) {
      return ran;
    }
  }
  return {};
}

// A set as found by its key.
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

core::Result<std::optional<FoundSet>> FindSet(SmppStagingStatements& s,
                                              const SmppStagedPart& part) {
  Statement& find = s.find_set;
  const ScopedReset reset(find);
  find.BindText(1, part.system_id);
  find.BindText(2, part.source);
  find.BindText(3, part.destination);
  find.BindInt64(4, part.reference);
  auto row = HasRow(find);
  if (!row) {
    return Fail(std::move(row));
  }
  if (!*row) {
    return std::nullopt;
  }
  return FoundSet{find.ColumnInt64(0),
                  static_cast<int>(find.ColumnInt64(1)),
                  static_cast<uint8_t>(find.ColumnInt64(2)),
                  static_cast<uint8_t>(find.ColumnInt64(3)),
                  find.ColumnText(4),
                  static_cast<int>(find.ColumnInt64(5)),
                  find.ColumnInt64(6),
                  core::FromUnixMillis(find.ColumnInt64(7))};
}

core::Result<int64_t> CountSets(Statement& count, std::string_view system_id) {
  const ScopedReset reset(count);
  count.BindText(1, system_id);
  auto row = HasRow(count);
  if (!row) {
    return Fail(std::move(row));
  }
  return count.ColumnInt64(0);
}

core::Result<void> InsertPart(SmppStagingStatements& s, int64_t set_id,
                              const SmppStagedPart& part) {
  const std::string hex = ToHex(part.user_data);  // bound, not copied: outlives the statement's run
  Statement& insert = s.insert_part;
  const ScopedReset reset(insert);
  insert.BindInt64(1, set_id);
  insert.BindInt64(2, part.seqnum);
  insert.BindText(3, hex);
  return insert.Run();
}

// A new set with `part` as its first part.
core::Result<int64_t> StartSet(SmppStagingStatements& s, const SmppStagedPart& part) {
  int64_t id = 0;
  {
    Statement& insert = s.insert_set;
    const ScopedReset reset(insert);
    insert.BindText(1, part.system_id);
    insert.BindText(2, part.source);
    insert.BindText(3, part.destination);
    insert.BindInt64(4, part.reference);
    insert.BindText(5, part.sid);
    insert.BindInt64(6, part.total);
    insert.BindInt64(7, part.data_coding);
    insert.BindInt64(8, part.registered_delivery);
    insert.BindText(9, part.message_id);
    insert.BindInt64(10, static_cast<int64_t>(part.user_data.size()));
    insert.BindInt64(11, Ms(part.received_at));
    auto row = HasRow(insert);
    if (!row) {
      return Fail(std::move(row));
    }
    id = insert.ColumnInt64(0);
    if (auto rest = insert.Run(); !rest) {  // RETURNING: step to the end
      return Fail(std::move(rest));
    }
  }
  if (auto inserted = InsertPart(s, id, part); !inserted) {
    return Fail(std::move(inserted));
  }
  return id;
}

}  // namespace

core::Result<void> SmppStagingStatements::Prepare(Db& db) {
  return PrepareEach(db, *this, kWriterStatements);
}

core::Result<void> SmppStagingReadStatements::Prepare(Db& db) {
  return PrepareEach(db, *this, kReaderStatements);
}

std::vector<NamedSql> SmppStagingSqlForTest() {
  return NamedSqlOf(kWriterStatements, kReaderStatements);
}

core::Result<SmppStageResult> SqliteStore::StageSmppPart(const SmppStagedPart& part,
                                                         const SmppStagingLimits& limits) {
  if (part.total < 2 || part.total > 255 || part.seqnum < 1 || part.seqnum > part.total) {
    return core::MakeError(core::Errc::kInvalidArgument, "an SMPP part numbered " +
                                                             std::to_string(part.seqnum) + " of " +
                                                             std::to_string(part.total));
  }
  SmppStagingStatements& s = writer_->smpp_staging;
  SmppStageResult result;
  auto written = InWriteGroup(WriteLane::kCustomer, [&]() -> core::Result<void> {
    result = SmppStageResult{};
    auto found = FindSet(s, part);
    if (!found) {
      return Fail(std::move(found));
    }
    if (!*found) {
      auto sets = CountSets(s.count_sets, part.system_id);
      if (!sets) {
        return Fail(std::move(sets));
      }
      if (static_cast<size_t>(*sets) >= limits.max_sets_per_credential) {
        result.outcome = SmppStageOutcome::kTooManySets;
        return {};
      }
      if (part.user_data.size() > limits.max_set_octets) {
        result.outcome = SmppStageOutcome::kTooLong;
        return {};
      }
      auto id = StartSet(s, part);
      if (!id) {
        return Fail(std::move(id));
      }
      result = SmppStageResult{SmppStageOutcome::kStaged, *id, part.message_id,
                               part.registered_delivery,  {},  std::nullopt};
      return {};
    }
    const FoundSet& set = **found;
    result.set_id = set.id;
    if (part.total != set.total) {
      result.outcome = SmppStageOutcome::kTotalDiffers;
      return {};
    }
    if (part.data_coding != set.data_coding) {
      result.outcome = SmppStageOutcome::kCodingDiffers;
      return {};
    }
    result.message_id = set.message_id;
    result.registered_delivery =
        set.registered_delivery != 0 ? set.registered_delivery : part.registered_delivery;
    int parts = set.parts;
    std::optional<std::string> staged;  // this part number's user data (hex), when staged
    {
      Statement& select = s.select_part;
      const ScopedReset reset(select);
      select.BindInt64(1, set.id);
      select.BindInt64(2, part.seqnum);
      auto row = HasRow(select);
      if (!row) {
        return Fail(std::move(row));
      }
      if (*row) {
        staged = select.ColumnText(0);
      }
    }
    if (staged && parts < set.total) {
      if (*staged == ToHex(part.user_data)) {
        result.outcome = SmppStageOutcome::kRepeated;
        return {};
      }
      // Another text under a part number already staged: the customer's reference came round
      // again to a new message while an old one waits. The old one is given up (reported), so
      // that the new message is not completed with the old one's parts.
      result.superseded = SmppExpiredSet{part.sid,         part.system_id, part.source,
                                         part.destination, part.reference, set.total,
                                         set.parts,        set.message_id, set.first_at};
      if (auto deleted = DeleteSet(s, set.id); !deleted) {
        return deleted;
      }
      auto id = StartSet(s, part);
      if (!id) {
        return Fail(std::move(id));
      }
      result.outcome = SmppStageOutcome::kStaged;
      result.set_id = *id;
      result.message_id = part.message_id;
      result.registered_delivery = part.registered_delivery;
      return {};
    }
    if (!staged) {
      if (static_cast<size_t>(set.octets) + part.user_data.size() > limits.max_set_octets) {
        result.outcome = SmppStageOutcome::kTooLong;
        return {};
      }
      if (auto inserted = InsertPart(s, set.id, part); !inserted) {
        return inserted;
      }
      Statement& add = s.add_to_set;
      const ScopedReset add_reset(add);
      add.BindInt64(1, set.id);
      add.BindInt64(2, static_cast<int64_t>(part.user_data.size()));
      add.BindInt64(3, part.registered_delivery);
      if (auto ran = add.Run(); !ran) {
        return ran;
      }
      ++parts;
    }
    if (parts < set.total) {
      result.outcome = SmppStageOutcome::kStaged;
      return {};
    }
    auto all = ReadParts(s, set.id);
    if (!all) {
      return Fail(std::move(all));
    }
    result.outcome = SmppStageOutcome::kComplete;
    result.parts = std::move(*all);
    return {};
  });
  if (!written) {
    return Fail(std::move(written));
  }
  return result;
}

core::Result<void> SqliteStore::CompleteSmppSet(int64_t set_id, const core::Message& message) {
  SmppStagingStatements& s = writer_->smpp_staging;
  return InWriteGroupWithOutbox(
      WriteLane::kCustomer, [&](OutboxWriter& outbox) -> core::Result<void> {
        bool complete = false;
        {
          Statement& select = s.select_set;
          const ScopedReset reset(select);
          select.BindInt64(1, set_id);
          auto row = HasRow(select);
          if (!row) {
            return Fail(std::move(row));
          }
          complete = *row && select.ColumnInt64(0) == select.ColumnInt64(1);
        }
        if (!complete) {
          Statement& exists = s.message_exists;
          const ScopedReset reset(exists);
          exists.BindText(1, message.id);
          auto stored = HasRow(exists);
          if (!stored) {
            return Fail(std::move(stored));
          }
          if (*stored) {
            return {};  // an answer to the same last part stored it first
          }
          return core::MakeError(core::Errc::kNotFound,
                                 "the parts of message '" + message.id + "' are no longer staged");
        }
        if (auto deleted = DeleteSet(s, set_id); !deleted) {
          return deleted;
        }
        return EnqueueIn(outbox, std::span(&message, 1), {});
      });
}

core::Result<void> SqliteStore::DropSmppSet(int64_t set_id) {
  SmppStagingStatements& s = writer_->smpp_staging;
  return InWriteGroup(WriteLane::kCustomer, [&] { return DeleteSet(s, set_id); });
}

core::Result<std::vector<SmppExpiredSet>> SqliteStore::ExpireSmppSets(core::TimePoint cutoff,
                                                                      size_t limit) {
  std::vector<SmppExpiredSet> sets;
  if (limit == 0) {
    return sets;
  }
  auto any = WithReader([&](ReadConnection& r) -> core::Result<bool> {
    Statement& select = r.smpp_staging.any_expired;
    const ScopedReset reset(select);
    select.BindInt64(1, Ms(cutoff));
    return HasRow(select);
  });
  if (!any) {
    return Fail(std::move(any));
  }
  if (!*any) {
    return sets;
  }
  SmppStagingStatements& s = writer_->smpp_staging;
  std::vector<int64_t> ids;
  auto written = InWriteGroup(WriteLane::kPipeline, [&]() -> core::Result<void> {
    sets.clear();
    ids.clear();
    {
      Statement& select = s.expired;
      const ScopedReset reset(select);
      select.BindInt64(1, Ms(cutoff));
      select.BindInt64(2, Limit(limit));
      for (;;) {
        auto row = select.Step();
        if (!row) {
          return Fail(std::move(row));
        }
        if (!*row) {
          break;
        }
        ids.push_back(select.ColumnInt64(0));
        sets.push_back(SmppExpiredSet{
            select.ColumnText(1), select.ColumnText(2), select.ColumnText(3), select.ColumnText(4),
            static_cast<uint16_t>(select.ColumnInt64(5)), static_cast<int>(select.ColumnInt64(6)),
            static_cast<int>(select.ColumnInt64(7)), select.ColumnText(8),
            core::FromUnixMillis(select.ColumnInt64(9))});
      }
    }
    for (const int64_t id : ids) {
      if (auto deleted = DeleteSet(s, id); !deleted) {
        return deleted;
      }
    }
    return {};
  });
  if (!written) {
    return Fail(std::move(written));
  }
  return sets;
}

core::Result<size_t> SqliteStore::CountSmppStagedSets(std::string_view system_id) {
  return WithReader([&](ReadConnection& r) -> core::Result<size_t> {
    auto count = CountSets(r.smpp_staging.count_sets, system_id);
    if (!count) {
      return Fail(std::move(count));
    }
    return static_cast<size_t>(*count);
  });
}

}  // namespace smsgw::store::sqlite
