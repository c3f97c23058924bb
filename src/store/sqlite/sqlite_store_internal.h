#pragma once
// SqliteStore's private parts, shared by the files that implement it (sqlite_store.cpp: messages,
// accounts and registries; sqlite_delivery.cpp: DeliveryStore; sqlite_message_log.cpp:
// MessageLog; sqlite_inbound.cpp: InboundStore; sqlite_webhooks.cpp: WebhookStore and the outbox
// writes; sqlite_callback_profiles.cpp, sqlite_inbound_numbers.cpp): the writer connection and a
// pooled read connection, each with its cached statements, and the row helpers they share. Included
// only by store/sqlite sources and tests.
//
// Thread-compatible: the Writer is used only under SqliteStore::write_mu_ (a WriteGroup's leader
// takes it too), a ReadConnection by one caller at a time (taken from the pool).

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/message.h"
#include "core/opt_out.h"
#include "core/result.h"
#include "core/time.h"
#include "store/country_cap_store.h"
#include "store/sqlite/delivery_rollup.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/write_group.h"

namespace smsgw::store::sqlite {

// The delivery pipeline's writes (claims, submit results, receipts, MO parts) share the writer
// connection and its mutex with Enqueue. While another process holds the database (the CLI, a
// backup), they give up after kPipelineBusyTimeout rather than the store's full busy timeout, so
// that they never hold the mutex for seconds in front of the API's Enqueue; their callers try
// again anyway. Scoped: the connection's normal timeout comes back at the end.
inline constexpr std::chrono::milliseconds kPipelineBusyTimeout{100};

class ShortBusyTimeout {
 public:
  ShortBusyTimeout(Db& db, std::chrono::milliseconds normal) : db_(db), normal_(normal) {
    sqlite3_busy_timeout(db_.get(), static_cast<int>(kPipelineBusyTimeout.count()));
  }
  ~ShortBusyTimeout() { sqlite3_busy_timeout(db_.get(), static_cast<int>(normal_.count())); }
  ShortBusyTimeout(const ShortBusyTimeout&) = delete;
  ShortBusyTimeout& operator=(const ShortBusyTimeout&) = delete;

 private:
  Db& db_;
  std::chrono::milliseconds normal_;
};

// The messages columns in one order, shared by the INSERT and every SELECT that reads a whole
// Message back (ReadMessage): a macro so that SQL texts can be concatenated at compile time.
#define SMSGW_SQLITE_MESSAGE_COLUMNS                                                         \
  "id, request_id, sid, recipient, sender, body, type, encoding, segments, flash, unicode, " \
  "created_at, send_at, template_id, template_data, ref, ref1, ref2, ref_custom, "           \
  "campaign_name, callback_profile_id, callback, channel, source, state, status_details, "   \
  "updated_at, entity_id, expires_at"
// What a status webhook reports of a message (store::WebhookJob::message), read by
// ReadReportedMessage from column `first` on.
#define SMSGW_SQLITE_REPORTED_COLUMNS                                                              \
  "id, request_id, sid, recipient, sender, segments, ref, ref1, ref2, ref_custom, campaign_name, " \
  "state, status_details"
core::Result<core::Message> ReadReportedMessage(const Statement& s, int first);

// How many columns SMSGW_SQLITE_MESSAGE_COLUMNS names: a statement's own columns follow them.
constexpr int kMessageColumnCount = 29;
static_assert([](std::string_view columns) {
  return 1 + std::count(columns.begin(), columns.end(), ',');
}(SMSGW_SQLITE_MESSAGE_COLUMNS) == kMessageColumnCount);

template <class T>
std::unexpected<core::Error> Fail(core::Result<T>&& result) {
  return std::unexpected(std::move(result.error()));
}

// Steps `s` once: whether it produced a row (the caller resets it).
inline core::Result<bool> HasRow(Statement& s) {
  auto row = s.Step();
  if (!row) {
    return Fail(std::move(row));
  }
  return *row;
}

// One page of a bounded walk (the message log's and the webhook list's): the rows of `select`
// whose column `match` is non-zero, read by `read`, up to `limit` of them, reading at most
// `budget` rows. The cursor is empty at the end of the rows; else it continues after the last
// item (`item_cursor`) when another match follows, or after the last row read (`row_cursor`,
// given the statement on that row) when the budget ran out first.
template <class T, class Read, class ItemCursor, class RowCursor>
core::Result<std::pair<std::vector<T>, std::string>> ReadBoundedPage(Statement& select, int match,
                                                                     size_t limit, size_t budget,
                                                                     Read read,
                                                                     ItemCursor item_cursor,
                                                                     RowCursor row_cursor) {
  std::vector<T> items;
  for (size_t scanned = 1;; ++scanned) {
    auto row = select.Step();
    if (!row) {
      return Fail(std::move(row));
    }
    if (!*row) {
      return std::pair(std::move(items), std::string());
    }
    if (select.ColumnInt64(match) != 0) {
      if (items.size() == limit) {
        std::string cursor = item_cursor(items.back());
        return std::pair(std::move(items), std::move(cursor));
      }
      auto item = read(select);
      if (!item) {
        return Fail(std::move(item));
      }
      items.push_back(std::move(*item));
    }
    if (scanned >= budget) {
      return std::pair(std::move(items), row_cursor(select));
    }
  }
}

// Prepares each SQL text into the statement paired with it.
core::Result<void> PrepareAll(Db& db,
                              std::initializer_list<std::pair<Statement*, const char*>> all);

// An enum column read back, or kInternal when the row holds a value no enumerator has (a
// corrupted row, or one written by a newer smsgw).
template <class Enum>
core::Result<Enum> EnumColumn(const Statement& s, int index, int64_t max, const char* name) {
  const int64_t value = s.ColumnInt64(index);
  if (value < 0 || value > max) {
    return core::MakeError(
        core::Errc::kInternal,
        std::string("stored ") + name + " " + std::to_string(value) + " is not a known value");
  }
  return static_cast<Enum>(value);
}

core::Result<core::MessageState> StateColumn(const Statement& s, int index);

// Times are stored as Unix ms.
inline int64_t Ms(core::TimePoint t) { return core::ToUnixMillis(t); }

// The row at `s` (its first columns in SMSGW_SQLITE_MESSAGE_COLUMNS order) as a Message.
core::Result<core::Message> ReadMessage(const Statement& s);

// Steps `select` (bound by the caller) through all its rows, reading each.
template <class T, class Read>
core::Result<std::vector<T>> ReadAll(Statement& select, Read read) {
  std::vector<T> out;
  for (;;) {
    auto row = select.Step();
    if (!row) {
      return Fail(std::move(row));
    }
    if (!*row) {
      return out;
    }
    core::Result<T> item = read(select);
    if (!item) {
      return Fail(std::move(item));
    }
    out.push_back(std::move(*item));
  }
}

// The writer's statements behind DeliveryStore; SQL and Prepare in sqlite_delivery.cpp.
struct DeliveryStatements {
  Statement claim_due, claim, claim_parts, release_claims;
  Statement message_row, part_states, settle, set_parts_total, insert_event;
  Statement insert_part, held_for_part, any_held, delete_held, find_part, update_part, hold_receipt;
  Statement requeue, awaiting_receipt;

  core::Result<void> Prepare(Db& db);
};

// A read connection's statements behind MessageLog, DeliveryStore::Counts and ClaimDue's probe;
// SQL and Prepare in sqlite_message_log.cpp.
struct MessageLogStatements {
  Statement detail, parts, history, list_by_sid, list_by_recipient, count_waiting, count_held,
      any_due;

  core::Result<void> Prepare(Db& db);
};

// The writer's statements behind InboundStore; SQL and Prepare in sqlite_inbound.cpp.
// entries_of_number and last_sent_to match a stored message to an inbound number.
struct InboundStatements {
  Statement part_exists, repeats_of, insert_part, count_parts, group_parts, delete_group,
      insert_message, expired_groups, entries_of_number, last_sent_to;

  core::Result<void> Prepare(Db& db);
};

// A read connection's statements behind InboundStore; SQL and Prepare in sqlite_inbound.cpp.
struct InboundReadStatements {
  Statement list, list_before, get, count_waiting, count_unmatched;

  core::Result<void> Prepare(Db& db);
};

// The inbound_messages columns every SELECT of a whole InboundMessage reads (ReadInbound).
#define SMSGW_INBOUND_MESSAGE_COLUMNS                                               \
  "id, received_at, stored_at, connector, source, destination, text, parts_total, " \
  "parts_received, parts_missing, coalesce(sid, ''), number_id, keyword"
// The row at `s` (its first columns in SMSGW_INBOUND_MESSAGE_COLUMNS order); sqlite_inbound.cpp.
core::Result<InboundMessage> ReadInbound(const Statement& s);

// A number's inbound entries in (keyword, id) order: what both the sharing rules
// (sqlite_inbound_numbers.cpp) and matching (sqlite_inbound.cpp) read.
inline constexpr const char* kEntriesOfNumberSql =
    "SELECT id, sid, keyword, expires_at, callback, callback_profile_id, target FROM "
    "inbound_numbers "
    "WHERE number = ?1 ORDER BY keyword, id";

// The writer's statements behind WebhookStore and the outbox writes; SQL and Prepare in
// sqlite_webhooks.cpp.
struct WebhookStatements {
  Statement default_profile, insert, insert_claimed;
  Statement claim_due, claim, secret, status_message, status_event, inbound_message;
  Statement release, defer, webhook_row, insert_attempt, count_attempt, retry, finish, finish_first,
      replay, abandon;

  core::Result<void> Prepare(Db& db);
};

// A read connection's statements behind WebhookStore; SQL and Prepare in sqlite_webhooks.cpp.
struct WebhookReadStatements {
  Statement list, list_exhausted, of_subject, attempts, counts, any_due;

  core::Result<void> Prepare(Db& db);
};

// Writes webhook outbox rows inside a writer transaction (sqlite_webhooks.cpp). Lives for one
// transaction: each account's default callback profile is read once and then remembered.
// The messages one write moved to a final state, counted once it commits; and what it accepted
// and settled for the delivery rollups, merged into its group's when the write succeeds.
struct StatusTally {
  std::vector<std::pair<core::RouteType, core::MessageState>> finished;
  DeliveryRollup rollup;
  uint64_t smpp_outbox = 0;  // SMPP outbox rows were written: a bit per SmppOutboxBucket
};

// The writer's and a reader's statements behind SmppOutboxStore; sqlite_smpp_outbox.cpp.
struct SmppOutboxStatements {
  Statement insert, claim_due, claim, finish, defer;

  core::Result<void> Prepare(Db& db);
};
struct SmppOutboxReadStatements {
  Statement any_due, count;

  core::Result<void> Prepare(Db& db);
};

// The writer's and a reader's statements behind SmppStagingStore; sqlite_smpp_staging.cpp.
struct SmppStagingStatements {
  Statement find_set, count_sets, insert_set, select_part, insert_part, add_to_set, select_parts,
      select_set, delete_parts, delete_set, expired, message_exists;

  core::Result<void> Prepare(Db& db);
};
struct SmppStagingReadStatements {
  Statement any_expired, count_sets;

  core::Result<void> Prepare(Db& db);
};

// What a write emits besides its own rows: webhooks, and the tally of finished messages.
class OutboxWriter {
 public:
  // Status webhooks written claimed for a WebhookHandoff: by `owner` for `lease`, each one's job
  // appended to `jobs` (handed over by the caller once the transaction commits).
  struct Claimed {
    std::string_view owner;
    std::chrono::milliseconds lease;
    std::vector<WebhookJob>* jobs;
  };

  explicit OutboxWriter(WebhookStatements& w, std::optional<Claimed> claimed = std::nullopt,
                        StatusTally* tally = nullptr, SmppOutboxStatements* smpp = nullptr)
      : w_(w), claimed_(claimed), tally_(tally), smpp_(smpp) {}

  // Counts a message of `sid` moved to `state` at `at` (the caller checked it is final), by
  // `connector` ('' when none handled it), with its receipt delay when a receipt settled it.
  void Finished(std::string_view sid, std::string_view connector, core::RouteType type,
                core::MessageState state, core::TimePoint at, std::optional<double> delay_seconds) {
    if (tally_ != nullptr) {
      tally_->finished.emplace_back(type, state);
      tally_->rollup.Finished(sid, connector, type, state, at, delay_seconds);
    }
  }
  // Counts a message accepted (stored) for the delivery rollups.
  void Accepted(std::string_view sid, core::RouteType type, core::TimePoint at) {
    if (tally_ != nullptr) {
      tally_->rollup.Accepted(sid, type, at);
    }
  }

  // Writes a pending webhook, due at `at`, when it has a target (ResolveWebhookTarget,
  // store/webhook_decisions.h: `callback` inline, else `callback_profile_id`, else the account's
  // default profile). Writes nothing when none exists.
  // A status webhook is written claimed instead when the writer was made with Claimed, after the
  // message's change and its event: its job takes `report` (what the write just left) when
  // given, and reads the message and the event back otherwise.
  struct StatusReport {
    core::Message& message;  // the fields WebhookJob::message names; moved into the job
    const StatusEvent& event;
  };
  core::Result<void> Add(WebhookKind kind, std::string_view event_id, std::string_view sid,
                         std::string_view subject_id, std::string_view callback,
                         std::string_view callback_profile_id, core::TimePoint at,
                         const StatusReport* report = nullptr);

  // Writes the SMPP outbox row reporting `event` of a message submitted through `system_id` with
  // `registered_delivery` (the caller checked core::WantsSmppReceipt), due at once
  // (sqlite_smpp_outbox.cpp). kInternal when the writer was made without SMPP statements.
  core::Result<void> AddSmppReceipt(const StatusEvent& event, std::string_view system_id,
                                    uint8_t registered_delivery);
  // Writes the SMPP outbox row that carries the inbound message `inbound_id`, stored at `at`, to
  // the binds of `sid`, due at once. kInternal as for AddSmppReceipt.
  core::Result<void> AddSmppMo(std::string_view sid, std::string_view inbound_id,
                               core::TimePoint at);

 private:
  // The account's default profile id; empty when it has none.
  core::Result<std::string> DefaultProfile(std::string_view sid);
  // The account's webhook secret; empty when it has none.
  core::Result<std::string> Secret(std::string_view sid);

  // Looked up by string_view without building a string (sids do not fit the short-string buffer).
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  using Cache = std::unordered_map<std::string, std::string, Hash, std::equal_to<>>;
  // The one text column `select` reads for `sid` ('' without a row), read once per sid.
  core::Result<std::string> Cached(Statement& select, Cache& cache, std::string_view sid);

  WebhookStatements& w_;
  const std::optional<Claimed> claimed_;
  StatusTally* const tally_;
  SmppOutboxStatements* const smpp_;
  Cache defaults_, secrets_;
};

// What a webhook reports, read into `job` (sqlite_webhooks.cpp): the message and its event
// (status), or the inbound message; kNotFound when it is no longer stored.
core::Result<void> LoadSubject(WebhookStatements& w, WebhookJob& job,
                               const std::string& subject_id);

// The writer's and a reader's statements behind CallbackProfileStore; sqlite_callback_profiles.cpp.
struct CallbackProfileStatements {
  Statement insert, update, clear_default, remove;

  core::Result<void> Prepare(Db& db);
};
struct CallbackProfileReadStatements {
  Statement get, list;

  core::Result<void> Prepare(Db& db);
};

// Ends a waiting message NotSent with `details`, its event and webhook written, inside the
// writer's transaction (sqlite_delivery.cpp).
core::Result<void> EndNotSent(DeliveryStatements& d, OutboxWriter& outbox, std::string_view id,
                              std::string_view details, core::TimePoint at);

// The writer's and a reader's statements behind CountryCapStore; sqlite_country_caps.cpp.
struct CountryCapStatements {
  Statement any, of_account, usage, count, upsert, remove;

  core::Result<void> Prepare(Db& db);
};
struct CountryCapReadStatements {
  Statement list;

  core::Result<void> Prepare(Db& db);
};
// A message of an Enqueue batch over its account's cap for its country, and which cap.
struct OverCap {
  size_t index;              // into the batch
  std::string_view details;  // kDailyCapDetails or kMonthlyCapDetails
};
// Counts the batch's messages against their accounts' country caps inside Enqueue's
// transaction (one probe when no account has caps); returns those over a cap, not counted.
core::Result<std::vector<OverCap>> CountAgainstCaps(CountryCapStatements& s,
                                                    std::span<const core::Message> messages);

// The writer's and a reader's statements behind SmppCredentialStore;
// sqlite_smpp_credentials.cpp.
struct SmppCredentialStatements {
  Statement insert, revoke;

  core::Result<void> Prepare(Db& db);
};
struct SmppCredentialReadStatements {
  Statement find, list;

  core::Result<void> Prepare(Db& db);
};

// The writer's and a reader's statements behind OptOutStore; sqlite_opt_outs.cpp.
struct OptOutStatements {
  Statement insert, remove, start;

  core::Result<void> Prepare(Db& db);
};
struct OptOutReadStatements {
  Statement list, list_after, of_recipient, of_recipient_after;

  core::Result<void> Prepare(Db& db);
};
// An MO's opt-out handling inside the writer's transaction that stores it: `words` decide the
// command (core/opt_out.h), which applies to the account the MO matched.
struct MoOptOut {
  OptOutStatements* statements = nullptr;  // null, or words null: MOs are not commands
  const core::OptOutWords* words = nullptr;
};
// Applies the command in `text` (if any) for `sid`: the handset `source` out of `destination`
// (STOP), out of every sender (STOPALL), or back in (START: both removed).
core::Result<void> ApplyMoOptOut(const MoOptOut& opt_out, std::string_view sid,
                                 std::string_view destination, std::string_view source,
                                 std::string_view text, core::TimePoint at);

// The writer's and a reader's statements for idempotency keys; sqlite_idempotency.cpp.
struct IdempotencyStatements {
  Statement upsert, purge;

  core::Result<void> Prepare(Db& db);
};
struct IdempotencyReadStatements {
  Statement find;

  core::Result<void> Prepare(Db& db);
};
// Stores `keys` inside the writer's open transaction: kConflict when one is taken (stored within
// kIdempotencyWindow of its created_at), and then the caller rolls back.
core::Result<void> StoreIdempotencyKeys(Db& db, IdempotencyStatements& s,
                                        std::span<const IdempotencyRecord> keys);

// The writer's and a reader's statements behind InboundNumberStore; sqlite_inbound_numbers.cpp.
struct InboundNumberStatements {
  Statement entries_of_number, insert, remove;

  core::Result<void> Prepare(Db& db);
};
struct InboundNumberReadStatements {
  Statement get, list;

  core::Result<void> Prepare(Db& db);
};

// `text` with every character but the ASCII digits removed: how numbers are compared.
std::string DigitsOnly(std::string_view text);

// Steps `select` (bound by the caller) to its one row and reads it, or kNotFound with `missing`.
template <class Read>
auto ReadOne(Statement& select, Read read, const std::string& missing)
    -> core::Result<typename std::invoke_result_t<Read, const Statement&>::value_type> {
  auto row = select.Step();
  if (!row) {
    return Fail(std::move(row));
  }
  if (!*row) {
    return core::MakeError(core::Errc::kNotFound, missing);
  }
  return read(select);
}

inline std::string NoMessage(std::string_view id) { return "no message '" + std::string(id) + "'"; }

// Each statement behind DeliveryStore, MessageLog and InboundStore as {name, SQL}, so that tests
// can pin their query plans (sqlite_delivery_test.cpp, sqlite_inbound_test.cpp).
struct NamedSql {
  std::string_view name;
  std::string_view sql;
};
// A statement set's members with their SQL, so that a set is prepared in one loop and listed for
// the query-plan tests from the same table.
template <class Statements>
struct StatementSql {
  std::string_view name;
  Statement Statements::*statement;
  const char* sql;
};

template <class Statements, size_t N>
core::Result<void> PrepareEach(Db& db, Statements& into, const StatementSql<Statements> (&all)[N]) {
  for (const StatementSql<Statements>& s : all) {
    auto prepared = db.Prepare(s.sql);
    if (!prepared) {
      return std::unexpected(std::move(prepared.error()));
    }
    into.*s.statement = std::move(*prepared);
  }
  return {};
}

// Every statement of the given tables, named, for the query-plan tests.
template <class... Tables>
std::vector<NamedSql> NamedSqlOf(const Tables&... tables) {
  std::vector<NamedSql> out;
  const auto append = [&out](const auto& table) {
    for (const auto& s : table) {
      out.push_back({s.name, s.sql});
    }
  };
  (append(tables), ...);
  return out;
}

std::vector<NamedSql> OperationsSqlForTest();
std::vector<NamedSql> DeliverySqlForTest();
std::vector<NamedSql> MessageLogSqlForTest();
std::vector<NamedSql> InboundSqlForTest();
std::vector<NamedSql> WebhookSqlForTest();
std::vector<NamedSql> CallbackProfileSqlForTest();
std::vector<NamedSql> InboundNumberSqlForTest();
std::vector<NamedSql> IdempotencySqlForTest();
std::vector<NamedSql> OptOutSqlForTest();
std::vector<NamedSql> CountryCapSqlForTest();
std::vector<NamedSql> SmppCredentialSqlForTest();
std::vector<NamedSql> RollupSqlForTest();
std::vector<NamedSql> RollupReadSqlForTest();
std::vector<NamedSql> SmppOutboxSqlForTest();
std::vector<NamedSql> SmppStagingSqlForTest();

struct SqliteStore::Writer {
  Db db;
  Statement begin, commit, rollback;
  // The group's transaction runs at `synchronous = NORMAL` (COMMIT skips its own fsync) when its
  // durability comes from WalSync.
  bool defer_sync = false;
  Statement savepoint, release,
      rollback_to;  // one group entry's work inside the group's transaction
  Statement insert_message, insert_account, account_exists, insert_key, revoke_key,
      set_smart_encoding, set_require_registered_senders, set_webhook_secret, set_sends_per_second,
      set_recipients_per_second;
  Statement insert_template, select_template, update_template, delete_template;
  Statement sender_exists, upsert_sender, select_sender, update_sender, delete_sender;
  DeliveryStatements delivery;
  InboundStatements inbound;
  WebhookStatements webhooks;
  CallbackProfileStatements profiles;
  IdempotencyStatements idempotency;
  OptOutStatements opt_outs;
  CountryCapStatements caps;
  InboundNumberStatements numbers;
  SmppCredentialStatements smpp_credentials;
  RollupStatements rollups;
  // What the group being written accepted and settled, written as one upsert per key before its
  // COMMIT (WriteGroupNow) and cleared after it; the newest minute pruned so far.
  DeliveryRollup group_rollup;
  int64_t rollup_pruned_through = 0;
  SmppOutboxStatements smpp_outbox;
  SmppStagingStatements smpp_staging;

  explicit Writer(Db&& opened) : db(std::move(opened)) {}

  // Writes group_rollup (when the group accepted or settled anything) inside the open transaction.
  core::Result<void> WriteRollup() {
    if (group_rollup.empty()) {
      return {};
    }
    return sqlite::WriteRollup(group_rollup, rollups, rollup_pruned_through);
  }

  core::Result<void> Prepare();

  // kNotFound unless the account exists.
  core::Result<void> CheckAccount(std::string_view sid);

  // Writes a WriteGroup: one IMMEDIATE transaction, each entry's work in a savepoint (when there
  // are several) so that a failing entry is rolled back alone and fails only its caller; a failed
  // BEGIN or COMMIT fails every entry. The busy timeout is the pipeline's short one only when
  // every entry asked for it, so that grouping never makes an Enqueue give up sooner. With
  // defer_sync the COMMIT does not fsync: the caller syncs the WAL afterwards (WalSync).
  void WriteGroupNow(std::span<WriteGroup::Entry* const> group,
                     std::chrono::milliseconds busy_timeout);

  // Runs `body` in an IMMEDIATE transaction: committed when it succeeds, rolled back otherwise.
  template <class Body>
  core::Result<void> InTransaction(Body&& body) {
    {
      const ScopedReset reset(begin);
      if (auto begun = begin.Run(); !begun) {
        return begun;
      }
    }
    core::Result<void> result = body();
    if (result) {
      const ScopedReset reset(commit);
      result = commit.Run();
    }
    if (!result && !db.AutoCommit()) {
      // A failed COMMIT (or an I/O error mid-way) may already have rolled back.
      const ScopedReset reset(rollback);
      (void)rollback.Run();
    }
    return result;
  }
};

struct SqliteStore::ReadConnection {
  Db db;
  Statement begin, commit;
  Statement select_status, select_accounts, account_exists, find_key, list_keys, select_settings;
  Statement select_template, select_templates, select_sender, select_senders;
  MessageLogStatements log;
  InboundReadStatements inbound;
  WebhookReadStatements webhooks;
  CallbackProfileReadStatements profiles;
  IdempotencyReadStatements idempotency;
  OptOutReadStatements opt_outs;
  CountryCapReadStatements caps;
  InboundNumberReadStatements numbers;
  SmppCredentialReadStatements smpp_credentials;
  SmppOutboxReadStatements smpp_outbox;
  SmppStagingReadStatements smpp_staging;

  explicit ReadConnection(Db&& opened) : db(std::move(opened)) {}

  static core::Result<std::unique_ptr<ReadConnection>> Open(const std::string& path,
                                                            std::chrono::milliseconds busy_timeout);

  // Runs `body` inside one read transaction, so that every statement in it reads the same
  // snapshot (and takes the WAL read lock once).
  template <class Body>
  auto InSnapshot(Body&& body) -> std::invoke_result_t<Body&> {
    {
      const ScopedReset reset(begin);
      if (auto begun = begin.Run(); !begun) {
        return Fail(std::move(begun));
      }
    }
    auto result = body();
    // Ends the snapshot; a read-only COMMIT only fails if the connection is unusable.
    const ScopedReset reset(commit);
    if (auto ended = commit.Run(); !ended && result) {
      return Fail(std::move(ended));
    }
    return result;
  }
};

// Borrows a read connection for one call and gives it back to the pool afterwards.
class SqliteStore::ReadLease {
 public:
  ReadLease(SqliteStore& store, std::unique_ptr<ReadConnection> reader)
      : store_(store), reader_(std::move(reader)) {}
  ~ReadLease() { store_.ReturnReader(std::move(reader_)); }
  ReadLease(const ReadLease&) = delete;
  ReadLease& operator=(const ReadLease&) = delete;

  ReadConnection* operator->() const { return reader_.get(); }
  ReadConnection* get() const { return reader_.get(); }

 private:
  SqliteStore& store_;
  std::unique_ptr<ReadConnection> reader_;
};

template <class Body>
core::Result<void> SqliteStore::InWriteGroup(WriteLane lane, Body&& body) {
  return RunInGroup(*write_group_, lane, body);
}

template <class Body>
core::Result<void> SqliteStore::InWriteGroupWithOutbox(WriteLane lane, Body&& body) {
  const Handoff handoff = HandoffNow();
  std::vector<WebhookJob> jobs;
  std::optional<OutboxWriter::Claimed> claimed;
  if (handoff.to != nullptr) {
    claimed = OutboxWriter::Claimed{handoff.owner, handoff.lease, &jobs};
  }
  StatusTally tally;
  auto written = InWriteGroup(lane, [&]() -> core::Result<void> {
    jobs.clear();
    tally.finished.clear();
    tally.rollup.clear();
    tally.smpp_outbox = 0;
    OutboxWriter outbox(writer_->webhooks, claimed, &tally, &writer_->smpp_outbox);
    core::Result<void> done = body(outbox);
    if (done) {
      tally.rollup.MergeInto(writer_->group_rollup);  // the leader holds write_mu_
    }
    return done;
  });
  if (written) {
    HandOver(handoff, std::move(jobs));
    CountFinished(tally);
    for (size_t i = 0; i < smpp_outbox_versions_.size(); ++i) {
      if ((tally.smpp_outbox >> i) & 1) {
        smpp_outbox_versions_[i].fetch_add(1, std::memory_order_release);
      }
    }
  }
  return written;
}

template <class Use>
auto SqliteStore::WithReader(Use&& use) -> std::invoke_result_t<Use&, ReadConnection&> {
  auto taken = TakeReader();
  if (!taken) {
    return Fail(std::move(taken));
  }
  const ReadLease reader(*this, std::move(*taken));
  return use(*reader.get());
}

}  // namespace smsgw::store::sqlite
