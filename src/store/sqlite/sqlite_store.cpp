#include "store/sqlite/sqlite_store.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <utility>

#include "core/delivery_status.h"
#include "store/sender_list.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace smsgw::store::sqlite {
namespace {

// A nullable boolean column's value.
std::optional<int64_t> Flag(std::optional<bool> on) {
  return on ? std::optional<int64_t>(*on ? 1 : 0) : std::nullopt;
}

// Read connections kept open between calls; more are opened under load and closed afterwards.
constexpr size_t kMaxIdleReaders = 8;

// priority and due_at place the message in messages_due, where ClaimDue finds it.
constexpr const char* kInsertMessage =
    "INSERT INTO messages (" SMSGW_SQLITE_MESSAGE_COLUMNS
    ", priority, due_at, smpp_system_id, registered_delivery) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
    "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, "
    "?27, ?28, ?29, ?30, ?31, ?32, ?33)";

constexpr const char* kSelectStatus =
    "SELECT state, status_details FROM messages WHERE id = ?1 AND sid = ?2";
constexpr const char* kSelectAccounts =
    "SELECT a.sid, a.name, a.created_at, "
    "(SELECT count(*) FROM api_keys k WHERE k.sid = a.sid AND k.revoked_at IS NULL) "
    "FROM accounts a ORDER BY a.created_at, a.sid";
constexpr const char* kAccountExists = "SELECT 1 FROM accounts WHERE sid = ?1";
constexpr const char* kFindKey =
    "SELECT sid FROM api_keys WHERE key_hash = ?1 AND revoked_at IS NULL";
// api_keys_by_sid: an account has a handful of keys.
constexpr const char* kListKeys =
    "SELECT key_hash, created_at FROM api_keys WHERE sid = ?1 AND revoked_at IS NULL "
    "ORDER BY created_at, key_hash";
constexpr const char* kInsertAccount =
    "INSERT INTO accounts (sid, name, created_at) VALUES (?1, ?2, ?3)";
constexpr const char* kInsertKey =
    "INSERT INTO api_keys (key_hash, sid, created_at) VALUES (?1, ?2, ?3)";
constexpr const char* kSelectSettings =
    "SELECT smart_encoding, require_registered_senders, webhook_secret IS NOT NULL, "
    "sends_per_second, recipients_per_second FROM accounts WHERE sid = ?1";
constexpr const char* kSetWebhookSecret = "UPDATE accounts SET webhook_secret = ?2 WHERE sid = ?1";
constexpr const char* kSetSmartEncoding = "UPDATE accounts SET smart_encoding = ?2 WHERE sid = ?1";
constexpr const char* kSetRequireRegisteredSenders =
    "UPDATE accounts SET require_registered_senders = ?2 WHERE sid = ?1";
constexpr const char* kSetSendsPerSecond =
    "UPDATE accounts SET sends_per_second = ?2 WHERE sid = ?1";
constexpr const char* kSetRecipientsPerSecond =
    "UPDATE accounts SET recipients_per_second = ?2 WHERE sid = ?1";
constexpr const char* kRevokeKey =
    "UPDATE api_keys SET revoked_at = ?3 WHERE key_hash = ?1 AND sid = ?2 AND revoked_at IS NULL";

#define SMSGW_TEMPLATE_COLUMNS "sid, template_id, name, text, type, senders, created_at, updated_at"
constexpr const char* kInsertTemplate =
    "INSERT INTO templates (" SMSGW_TEMPLATE_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr const char* kSelectTemplate =
    "SELECT " SMSGW_TEMPLATE_COLUMNS " FROM templates WHERE sid = ?1 AND template_id = ?2";
constexpr const char* kSelectTemplates =
    "SELECT " SMSGW_TEMPLATE_COLUMNS " FROM templates WHERE sid = ?1 ORDER BY template_id";
#undef SMSGW_TEMPLATE_COLUMNS
// ?5 says whether the type changes (to ?6, which may be NULL); NULL name/text/senders keep theirs.
constexpr const char* kUpdateTemplate =
    "UPDATE templates SET name = coalesce(?3, name), text = coalesce(?4, text), "
    "type = CASE WHEN ?5 THEN ?6 ELSE type END, senders = coalesce(?7, senders), "
    "updated_at = ?8 WHERE sid = ?1 AND template_id = ?2";
constexpr const char* kDeleteTemplate = "DELETE FROM templates WHERE sid = ?1 AND template_id = ?2";

#define SMSGW_SENDER_COLUMNS "sid, sender, description, iso_code, entity_id, created_at, updated_at"
constexpr const char* kSelectSender =
    "SELECT " SMSGW_SENDER_COLUMNS " FROM senders WHERE sid = ?1 AND sender = ?2";
constexpr const char* kSelectSenders =
    "SELECT " SMSGW_SENDER_COLUMNS " FROM senders WHERE sid = ?1 ORDER BY sender";
constexpr const char* kUpsertSender =
    "INSERT INTO senders (" SMSGW_SENDER_COLUMNS
    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) ON CONFLICT (sid, sender) DO UPDATE SET "
    "description = excluded.description, iso_code = excluded.iso_code, "
    "entity_id = excluded.entity_id, updated_at = excluded.updated_at";
#undef SMSGW_SENDER_COLUMNS
constexpr const char* kSenderExists = "SELECT 1 FROM senders WHERE sid = ?1 AND sender = ?2";
constexpr const char* kUpdateSender =
    "UPDATE senders SET description = coalesce(?3, description), "
    "iso_code = coalesce(?4, iso_code), entity_id = coalesce(?5, entity_id), updated_at = ?6 "
    "WHERE sid = ?1 AND sender = ?2";
constexpr const char* kDeleteSender = "DELETE FROM senders WHERE sid = ?1 AND sender = ?2";

int64_t NowMillis() { return core::ToUnixMillis(std::chrono::system_clock::now()); }

void BindMessage(Statement& s, const core::Message& m) {
  s.BindText(1, m.id);
  s.BindText(2, m.request_id);
  s.BindText(3, m.sid);
  s.BindText(4, m.recipient);
  s.BindText(5, m.sender);
  s.BindText(6, m.body);
  s.BindInt64(7, static_cast<int64_t>(m.type));
  s.BindInt64(8, static_cast<int64_t>(m.encoding));
  s.BindInt64(9, m.segments);
  s.BindInt64(10, m.flash ? 1 : 0);
  s.BindText(11, m.unicode);
  const int64_t created_at = core::ToUnixMillis(m.created_at);
  s.BindInt64(12, created_at);
  if (m.send_at) {
    s.BindInt64(13, core::ToUnixMillis(*m.send_at));
  } else {
    s.BindNull(13);
  }
  s.BindText(14, m.template_id);
  s.BindText(15, m.template_data);
  s.BindText(16, m.ref);
  s.BindText(17, m.ref1);
  s.BindText(18, m.ref2);
  s.BindText(19, m.ref_custom);
  s.BindText(20, m.campaign_name);
  s.BindText(21, m.callback_profile_id);
  s.BindText(22, m.callback);
  s.BindText(23, m.channel);
  s.BindText(24, m.source);
  s.BindInt64(25, static_cast<int64_t>(m.state));
  s.BindText(26, m.status_details);
  s.BindInt64(27, created_at);
  s.BindText(28, m.entity_id);
  if (m.expires_at) {
    s.BindInt64(29, core::ToUnixMillis(*m.expires_at));
  } else {
    s.BindNull(29);
  }
  s.BindInt64(30, core::ClaimPriority(m.type));
  // Only waiting messages belong in messages_due; a scheduled one is due at its send time.
  if (m.state == core::MessageState::kQueued || m.state == core::MessageState::kScheduled) {
    s.BindInt64(31, m.send_at ? core::ToUnixMillis(*m.send_at) : created_at);
  } else {
    s.BindNull(31);
  }
  // NULL for an API send: nothing stored, nothing to read when its status changes.
  if (m.smpp_system_id.empty()) {
    s.BindNull(32);
    s.BindNull(33);
  } else {
    s.BindText(32, m.smpp_system_id);
    s.BindInt64(33, m.registered_delivery);
  }
}

}  // namespace

core::Result<void> PrepareAll(Db& db,
                              std::initializer_list<std::pair<Statement*, const char*>> all) {
  for (const auto& [statement, sql] : all) {
    auto prepared = db.Prepare(sql);
    if (!prepared) {
      return Fail(std::move(prepared));
    }
    *statement = std::move(*prepared);
  }
  return {};
}

core::Result<core::MessageState> StateColumn(const Statement& s, int index) {
  return EnumColumn<core::MessageState>(
      s, index, static_cast<int64_t>(core::MessageState::kNotSent), "message state");
}

core::Result<core::Message> ReadMessage(const Statement& s) {
  auto type = EnumColumn<core::RouteType>(s, 6, static_cast<int64_t>(core::RouteType::kDefault),
                                          "route type");
  auto encoding =
      EnumColumn<core::Encoding>(s, 7, static_cast<int64_t>(core::Encoding::kBinary), "encoding");
  auto state = StateColumn(s, 24);
  if (!type) {
    return Fail(std::move(type));
  }
  if (!encoding) {
    return Fail(std::move(encoding));
  }
  if (!state) {
    return Fail(std::move(state));
  }
  core::Message m;
  m.id = s.ColumnText(0);
  m.request_id = s.ColumnText(1);
  m.sid = s.ColumnText(2);
  m.recipient = s.ColumnText(3);
  m.sender = s.ColumnText(4);
  m.body = s.ColumnText(5);
  m.type = *type;
  m.encoding = *encoding;
  m.segments = static_cast<int>(s.ColumnInt64(8));
  m.flash = s.ColumnInt64(9) != 0;
  m.unicode = s.ColumnText(10);
  m.created_at = core::FromUnixMillis(s.ColumnInt64(11));
  if (!s.ColumnIsNull(12)) {
    m.send_at = core::FromUnixMillis(s.ColumnInt64(12));
  }
  m.template_id = s.ColumnText(13);
  m.template_data = s.ColumnText(14);
  m.ref = s.ColumnText(15);
  m.ref1 = s.ColumnText(16);
  m.ref2 = s.ColumnText(17);
  m.ref_custom = s.ColumnText(18);
  m.campaign_name = s.ColumnText(19);
  m.callback_profile_id = s.ColumnText(20);
  m.callback = s.ColumnText(21);
  m.channel = s.ColumnText(22);
  m.source = s.ColumnText(23);
  m.state = *state;
  m.status_details = s.ColumnText(25);
  m.entity_id = s.ColumnText(27);
  if (!s.ColumnIsNull(28)) {
    m.expires_at = core::FromUnixMillis(s.ColumnInt64(28));
  }
  return m;
}

core::Result<core::Message> ReadReportedMessage(const Statement& s, int first) {
  auto state = StateColumn(s, first + 11);
  if (!state) {
    return Fail(std::move(state));
  }
  core::Message m;
  m.id = s.ColumnText(first);
  m.request_id = s.ColumnText(first + 1);
  m.sid = s.ColumnText(first + 2);
  m.recipient = s.ColumnText(first + 3);
  m.sender = s.ColumnText(first + 4);
  m.segments = static_cast<int>(s.ColumnInt64(first + 5));
  m.ref = s.ColumnText(first + 6);
  m.ref1 = s.ColumnText(first + 7);
  m.ref2 = s.ColumnText(first + 8);
  m.ref_custom = s.ColumnText(first + 9);
  m.campaign_name = s.ColumnText(first + 10);
  m.state = *state;
  m.status_details = s.ColumnText(first + 12);
  return m;
}

namespace {

// The row at `s` (columns in SMSGW_TEMPLATE_COLUMNS order) as a Template.
core::Result<Template> ReadTemplate(const Statement& s) {
  Template t;
  if (!s.ColumnIsNull(4)) {
    auto type = EnumColumn<core::RouteType>(s, 4, static_cast<int64_t>(core::RouteType::kDefault),
                                            "template type");
    if (!type) {
      return Fail(std::move(type));
    }
    t.type = *type;
  }
  t.sid = s.ColumnText(0);
  t.template_id = s.ColumnText(1);
  t.name = s.ColumnText(2);
  t.text = s.ColumnText(3);
  t.senders = SplitSenders(s.ColumnText(5));
  t.created_at = core::FromUnixMillis(s.ColumnInt64(6));
  t.updated_at = core::FromUnixMillis(s.ColumnInt64(7));
  return t;
}

// The row at `s` (columns in SMSGW_SENDER_COLUMNS order) as a Sender.
Sender ReadSender(const Statement& s) {
  return Sender{s.ColumnText(0),
                s.ColumnText(1),
                s.ColumnText(2),
                s.ColumnText(3),
                s.ColumnText(4),
                core::FromUnixMillis(s.ColumnInt64(5)),
                core::FromUnixMillis(s.ColumnInt64(6))};
}

std::string NoTemplate(std::string_view sid, std::string_view template_id) {
  return "account '" + std::string(sid) + "' has no template '" + std::string(template_id) + "'";
}

std::string NoSender(std::string_view sid, std::string_view sender) {
  return "account '" + std::string(sid) + "' has no sender '" + std::string(sender) + "'";
}

}  // namespace

core::Result<void> SqliteStore::Writer::Prepare() {
  auto prepared = PrepareAll(db, {{&begin, "BEGIN IMMEDIATE"},
                                  {&commit, "COMMIT"},
                                  {&rollback, "ROLLBACK"},
                                  {&savepoint, "SAVEPOINT entry"},
                                  {&release, "RELEASE entry"},
                                  {&rollback_to, "ROLLBACK TO entry"},
                                  {&insert_message, kInsertMessage},
                                  {&insert_account, kInsertAccount},
                                  {&account_exists, kAccountExists},
                                  {&insert_key, kInsertKey},
                                  {&revoke_key, kRevokeKey},
                                  {&set_smart_encoding, kSetSmartEncoding},
                                  {&set_require_registered_senders, kSetRequireRegisteredSenders},
                                  {&set_sends_per_second, kSetSendsPerSecond},
                                  {&set_recipients_per_second, kSetRecipientsPerSecond},
                                  {&set_webhook_secret, kSetWebhookSecret},
                                  {&insert_template, kInsertTemplate},
                                  {&select_template, kSelectTemplate},
                                  {&update_template, kUpdateTemplate},
                                  {&delete_template, kDeleteTemplate},
                                  {&sender_exists, kSenderExists},
                                  {&upsert_sender, kUpsertSender},
                                  {&select_sender, kSelectSender},
                                  {&update_sender, kUpdateSender},
                                  {&delete_sender, kDeleteSender}});
  if (!prepared) {
    return prepared;
  }
  if (auto d = delivery.Prepare(db); !d) {
    return d;
  }
  if (auto in = inbound.Prepare(db); !in) {
    return in;
  }
  if (auto w = webhooks.Prepare(db); !w) {
    return w;
  }
  if (auto p = profiles.Prepare(db); !p) {
    return p;
  }
  if (auto i = idempotency.Prepare(db); !i) {
    return i;
  }
  if (auto o = opt_outs.Prepare(db); !o) {
    return o;
  }
  if (auto c = caps.Prepare(db); !c) {
    return c;
  }
  if (auto s = rollups.Prepare(db); !s) {
    return s;
  }
  if (auto s = smpp_credentials.Prepare(db); !s) {
    return s;
  }
  if (auto s = smpp_outbox.Prepare(db); !s) {
    return s;
  }
  if (auto s = smpp_staging.Prepare(db); !s) {
    return s;
  }
  return numbers.Prepare(db);
}

core::Result<void> SqliteStore::Writer::CheckAccount(std::string_view sid) {
  const ScopedReset reset(account_exists);
  account_exists.BindText(1, sid);
  auto exists = account_exists.Step();
  if (!exists) {
    return Fail(std::move(exists));
  }
  if (!*exists) {
    return core::MakeError(core::Errc::kNotFound, "no account '" + std::string(sid) + "'");
  }
  return {};
}

namespace {

// An entry's work; a C++ exception out of it (an allocation that failed) fails only that entry,
// whose writes its savepoint then undoes.
core::Result<void> RunEntry(WriteGroup::Entry& e) {
  try {
    return e.run(e.body);
  } catch (const std::exception& ex) {
    return core::MakeError(core::Errc::kInternal, std::string("write: ") + ex.what());
  }
}

}  // namespace

void SqliteStore::Writer::WriteGroupNow(std::span<WriteGroup::Entry* const> group,
                                        std::chrono::milliseconds busy_timeout) {
  const bool quick = std::ranges::all_of(
      group, [](const WriteGroup::Entry* e) { return e->lane == WriteLane::kPipeline; });
  sqlite3_busy_timeout(db.get(),
                       static_cast<int>((quick ? kPipelineBusyTimeout : busy_timeout).count()));
  // Every entry gets `error` unless it failed on its own already.
  auto fail_all = [&](const core::Error& error) {
    for (WriteGroup::Entry* e : group) {
      if (e->result) {
        e->result = std::unexpected(error);
      }
    }
  };
  auto run = [](Statement& statement) {
    const ScopedReset reset(statement);
    return statement.Run();
  };
  // Not prepared statements: PRAGMA synchronous takes effect when it is compiled, not when run.
  core::Result<void> begun =
      defer_sync ? db.Exec("PRAGMA synchronous = NORMAL") : core::Result<void>();
  if (begun) {
    begun = run(begin);
  }
  if (!begun) {
    fail_all(begun.error());
  } else if (group.size() == 1) {
    WriteGroup::Entry& e = *group.front();
    e.result = RunEntry(e);
    if (e.result) {
      e.result = WriteRollup();
    }
    if (e.result) {
      e.result = run(commit);
    }
  } else {
    for (size_t i = 0; i < group.size(); ++i) {
      WriteGroup::Entry& e = *group[i];
      if (auto saved = run(savepoint); !saved) {
        e.result = std::move(saved);
      } else {
        e.result = RunEntry(e);
        if (!e.result && !db.AutoCommit()) {
          (void)run(rollback_to);
        }
        if (!db.AutoCommit()) {
          (void)run(release);
        }
      }
      if (db.AutoCommit()) {
        // An error (I/O, disk full) rolled the whole transaction back: the entries before this
        // one lost their writes too, and the ones after it are not run.
        const core::Error gone = e.result
                                     ? core::Error{core::make_error_code(core::Errc::kUnavailable),
                                                   "the group's transaction was rolled back"}
                                     : e.result.error();
        for (size_t j = i + 1; j < group.size(); ++j) {
          group[j]->result = std::unexpected(gone);
        }
        fail_all(gone);
        break;
      }
    }
    if (!db.AutoCommit()) {
      if (auto rolled = WriteRollup(); !rolled) {
        fail_all(rolled.error());
      } else if (auto committed = run(commit); !committed) {
        fail_all(committed.error());
      }
    }
  }
  group_rollup.clear();
  if (!db.AutoCommit()) {
    (void)run(rollback);  // a failed entry alone, or a failed COMMIT
  }
  if (defer_sync) {
    // Back to FULL for the writes that commit alone. SQLite refuses the change only inside a
    // transaction, and none is open here; should it fail anyway, the group reports it rather
    // than let a later solo write commit without its fsync unnoticed.
    if (auto set = db.Exec("PRAGMA synchronous = FULL"); !set) {
      fail_all(set.error());
    }
  }
  sqlite3_busy_timeout(db.get(), static_cast<int>(busy_timeout.count()));
}

core::Result<std::unique_ptr<SqliteStore::ReadConnection>> SqliteStore::ReadConnection::Open(
    const std::string& path, std::chrono::milliseconds busy_timeout) {
  // Readers wait only in rare cases (WAL recovery after a crash, another process changing the
  // journal mode), never for a writer.
  auto db = Db::Open(path, busy_timeout);
  if (!db) {
    return Fail(std::move(db));
  }
  auto reader = std::make_unique<ReadConnection>(std::move(*db));
  // query_only: a bug that writes through a reader fails loudly instead of racing the writer.
  if (auto set = reader->db.Exec("PRAGMA query_only = ON"); !set) {
    return Fail(std::move(set));
  }
  auto prepared = PrepareAll(reader->db, {{&reader->begin, "BEGIN"},
                                          {&reader->commit, "COMMIT"},
                                          {&reader->select_status, kSelectStatus},
                                          {&reader->select_accounts, kSelectAccounts},
                                          {&reader->account_exists, kAccountExists},
                                          {&reader->find_key, kFindKey},
                                          {&reader->list_keys, kListKeys},
                                          {&reader->select_settings, kSelectSettings},
                                          {&reader->select_template, kSelectTemplate},
                                          {&reader->select_templates, kSelectTemplates},
                                          {&reader->select_sender, kSelectSender},
                                          {&reader->select_senders, kSelectSenders}});
  if (!prepared) {
    return Fail(std::move(prepared));
  }
  if (auto log = reader->log.Prepare(reader->db); !log) {
    return Fail(std::move(log));
  }
  if (auto inbound = reader->inbound.Prepare(reader->db); !inbound) {
    return Fail(std::move(inbound));
  }
  if (auto webhooks = reader->webhooks.Prepare(reader->db); !webhooks) {
    return Fail(std::move(webhooks));
  }
  if (auto keys = reader->idempotency.Prepare(reader->db); !keys) {
    return Fail(std::move(keys));
  }
  if (auto opt_outs = reader->opt_outs.Prepare(reader->db); !opt_outs) {
    return Fail(std::move(opt_outs));
  }
  if (auto caps = reader->caps.Prepare(reader->db); !caps) {
    return Fail(std::move(caps));
  }
  if (auto profiles = reader->profiles.Prepare(reader->db); !profiles) {
    return Fail(std::move(profiles));
  }
  if (auto credentials = reader->smpp_credentials.Prepare(reader->db); !credentials) {
    return Fail(std::move(credentials));
  }
  if (auto outbox = reader->smpp_outbox.Prepare(reader->db); !outbox) {
    return Fail(std::move(outbox));
  }
  if (auto staging = reader->smpp_staging.Prepare(reader->db); !staging) {
    return Fail(std::move(staging));
  }
  if (auto numbers = reader->numbers.Prepare(reader->db); !numbers) {
    return Fail(std::move(numbers));
  }
  return reader;
}

core::Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path) {
  return Open(path, Options{});
}

core::Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                             const Options& options) {
  if (path.empty() || path == ":memory:") {
    return core::MakeError(core::Errc::kInvalidArgument,
                           "the SQLite store needs a file path, got '" + path + "'");
  }
  if (sqlite3_threadsafe() == 0) {
    return core::MakeError(core::Errc::kInternal,
                           "libsqlite3 was built without thread support (SQLITE_THREADSAFE=0)");
  }
  auto db = Db::Open(path, options.busy_timeout);
  if (!db) {
    return Fail(std::move(db));
  }
  // WAL: readers and the writer do not block one another. FULL: the WAL is fsynced at every
  // commit, which is what makes a committed write survive power loss (NORMAL alone would not).
  // The write group's transactions run at NORMAL and are fsynced by WalSync instead, before
  // their callers hear back (Writer::defer_sync).
  auto mode = db->QueryText("PRAGMA journal_mode = WAL");
  if (!mode) {
    return Fail(std::move(mode));
  }
  if (*mode != "wal") {
    return core::MakeError(core::Errc::kUnavailable,
                           path + ": cannot use WAL mode (journal_mode is " + *mode + ")");
  }
  if (auto set = db->Exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON"); !set) {
    return Fail(std::move(set));
  }
  if (auto migrated = Migrate(*db, NowMillis()); !migrated) {
    migrated.error().message = path + ": " + migrated.error().message;
    return Fail(std::move(migrated));
  }
  auto writer = std::make_unique<Writer>(std::move(*db));
  if (auto prepared = writer->Prepare(); !prepared) {
    return Fail(std::move(prepared));
  }
  auto counter = SharedCounter::Open(path + "-keys-version");
  if (!counter) {
    return Fail(std::move(counter));
  }
  auto registry_counter = SharedCounter::Open(path + "-registry-version");
  if (!registry_counter) {
    return Fail(std::move(registry_counter));
  }
  // One reader up front, so that a file readers cannot open fails here rather than on a request.
  auto reader = ReadConnection::Open(path, options.busy_timeout);
  if (!reader) {
    return Fail(std::move(reader));
  }
  // The WAL exists by now: the migrations read (and maybe wrote) the database in WAL mode.
  auto wal_sync = WalSync::Open(path);
  if (!wal_sync) {
    return Fail(std::move(wal_sync));
  }
  writer->defer_sync = true;
  std::unique_ptr<SqliteStore> store(new SqliteStore(path, options, std::move(writer),
                                                     std::move(*wal_sync), std::move(*counter),
                                                     std::move(*registry_counter)));
  store->ReturnReader(std::move(*reader));
  return store;
}

SqliteStore::SqliteStore(std::string path, const Options& options, std::unique_ptr<Writer> writer,
                         WalSync wal_sync, SharedCounter keys_version,
                         SharedCounter registry_version)
    : path_(std::move(path)),
      options_(options),
      writer_(std::move(writer)),
      wal_sync_(std::move(wal_sync)),
      write_group_(std::make_unique<WriteGroup>(
          [this](std::span<WriteGroup::Entry* const> group) {
            std::lock_guard lock(write_mu_);
            const auto start = std::chrono::steady_clock::now();
            writer_->WriteGroupNow(group, options_.busy_timeout);
            write_seconds_.Observe(
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
            write_size_.Observe(static_cast<double>(group.size()));
          },
          [this] { return wal_sync_.Sync(); })),
      keys_version_(std::move(keys_version)),
      registry_version_(std::move(registry_version)) {}

SqliteStore::~SqliteStore() = default;

core::Result<std::unique_ptr<SqliteStore::ReadConnection>> SqliteStore::TakeReader() {
  {
    std::lock_guard lock(readers_mu_);
    if (!idle_readers_.empty()) {
      auto reader = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return reader;
    }
  }
  return ReadConnection::Open(path_, options_.busy_timeout);
}

void SqliteStore::ReturnReader(std::unique_ptr<ReadConnection> reader) {
  std::unique_lock lock(readers_mu_);
  if (idle_readers_.size() < kMaxIdleReaders) {
    idle_readers_.push_back(std::move(reader));
    return;
  }
  lock.unlock();  // close the surplus connection outside the lock
}

core::Result<void> SqliteStore::Enqueue(std::span<const core::Message> messages,
                                        std::span<const IdempotencyRecord> keys) {
  if (messages.empty() && keys.empty()) {
    return {};
  }
  return InWriteGroupWithOutbox(WriteLane::kCustomer, [&](OutboxWriter& outbox) {
    return EnqueueIn(outbox, messages, keys);
  });
}

core::Result<void> SqliteStore::EnqueueIn(OutboxWriter& outbox,
                                          std::span<const core::Message> messages,
                                          std::span<const IdempotencyRecord> keys) {
  Writer& w = *writer_;
  if (auto stored = StoreIdempotencyKeys(w.db, w.idempotency, keys); !stored) {
    return stored;
  }
  auto over = CountAgainstCaps(w.caps, messages);
  if (!over) {
    return Fail(std::move(over));
  }
  for (const core::Message& message : messages) {
    const ScopedReset reset(w.insert_message);
    BindMessage(w.insert_message, message);
    if (auto inserted = w.insert_message.Run(); !inserted) {
      if (inserted.error().code == core::Errc::kConflict) {
        inserted.error().message = "message id '" + message.id + "' already exists";
      }
      return inserted;
    }
    outbox.Accepted(message.sid, message.type, message.created_at);
  }
  for (const OverCap& o : *over) {
    const core::Message& m = messages[o.index];
    if (auto ended = EndNotSent(w.delivery, outbox, m.id, o.details, m.created_at); !ended) {
      return ended;
    }
  }
  return {};
}

core::Result<std::vector<StatusRecord>> SqliteStore::GetStatuses(std::string_view sid,
                                                                 std::span<const std::string> ids) {
  std::vector<std::string_view> unique(ids.begin(), ids.end());
  std::sort(unique.begin(), unique.end());  // B-tree order, and duplicates side by side
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  std::vector<StatusRecord> records;
  if (unique.empty()) {
    return records;
  }
  auto taken = TakeReader();
  if (!taken) {
    return Fail(std::move(taken));
  }
  const ReadLease reader(*this, std::move(*taken));

  // One read transaction: every id from the same snapshot, and one WAL read lock, not one per id.
  const bool in_transaction = unique.size() > 1;
  if (in_transaction) {
    const ScopedReset reset(reader->begin);
    if (auto begun = reader->begin.Run(); !begun) {
      return Fail(std::move(begun));
    }
  }
  auto result = [&]() -> core::Result<void> {
    Statement& select = reader->select_status;
    for (std::string_view id : unique) {
      const ScopedReset reset(select);
      select.BindText(1, id);
      select.BindText(2, sid);
      auto row = select.Step();
      if (!row) {
        return Fail(std::move(row));
      }
      if (!*row) {
        continue;
      }
      auto state = StateColumn(select, 0);
      if (!state) {
        return Fail(std::move(state));
      }
      records.push_back(StatusRecord{std::string(id), *state, select.ColumnText(1)});
    }
    return {};
  }();
  if (in_transaction) {
    // Ends the read snapshot; a read-only COMMIT only fails if the connection is unusable.
    const ScopedReset reset(reader->commit);
    if (auto ended = reader->commit.Run(); !ended && result) {
      result = std::move(ended);
    }
  }
  if (!result) {
    return Fail(std::move(result));
  }
  return records;
}

core::Result<void> SqliteStore::CreateAccount(const Account& account) {
  std::lock_guard lock(write_mu_);
  Statement& insert = writer_->insert_account;
  const ScopedReset reset(insert);
  insert.BindText(1, account.sid);
  insert.BindText(2, account.name);
  insert.BindInt64(3, core::ToUnixMillis(account.created_at));
  auto inserted = insert.Run();
  if (!inserted && inserted.error().code == core::Errc::kConflict) {
    return core::MakeError(core::Errc::kConflict, "account '" + account.sid + "' already exists");
  }
  return inserted;
}

core::Result<std::vector<Account>> SqliteStore::ListAccounts() {
  return WithReader([&](ReadConnection& r) -> core::Result<std::vector<Account>> {
    Statement& select = r.select_accounts;
    const ScopedReset reset(select);
    std::vector<Account> accounts;
    for (;;) {
      auto row = select.Step();
      if (!row) {
        return Fail(std::move(row));
      }
      if (!*row) {
        return accounts;
      }
      accounts.push_back(Account{select.ColumnText(0), select.ColumnText(1),
                                 core::FromUnixMillis(select.ColumnInt64(2)),
                                 static_cast<int>(select.ColumnInt64(3))});
    }
  });
}

core::Result<void> SqliteStore::AddKey(std::string_view sid, std::string_view key_hash,
                                       core::TimePoint created_at) {
  std::lock_guard lock(write_mu_);
  Writer& w = *writer_;
  auto added = w.InTransaction([&]() -> core::Result<void> {
    {
      const ScopedReset reset(w.account_exists);
      w.account_exists.BindText(1, sid);
      auto exists = w.account_exists.Step();
      if (!exists) {
        return Fail(std::move(exists));
      }
      if (!*exists) {
        return core::MakeError(core::Errc::kNotFound, "no account '" + std::string(sid) + "'");
      }
    }
    const ScopedReset reset(w.insert_key);
    w.insert_key.BindText(1, key_hash);
    w.insert_key.BindText(2, sid);
    w.insert_key.BindInt64(3, core::ToUnixMillis(created_at));
    auto inserted = w.insert_key.Run();
    if (!inserted && inserted.error().code == core::Errc::kConflict) {
      return core::MakeError(core::Errc::kConflict, "the key already exists");
    }
    return inserted;
  });
  if (added) {
    keys_version_.Increment();
  }
  return added;
}

core::Result<void> SqliteStore::RevokeKey(std::string_view sid, std::string_view key_hash) {
  std::lock_guard lock(write_mu_);
  Statement& revoke = writer_->revoke_key;
  const ScopedReset reset(revoke);
  revoke.BindText(1, key_hash);
  revoke.BindText(2, sid);
  revoke.BindInt64(3, NowMillis());
  if (auto revoked = revoke.Run(); !revoked) {
    return revoked;
  }
  if (writer_->db.Changes() == 0) {
    return core::MakeError(core::Errc::kNotFound,
                           "account '" + std::string(sid) + "' has no such active key");
  }
  keys_version_.Increment();
  return {};
}

core::Result<std::vector<ApiKeyRecord>> SqliteStore::ListKeys(std::string_view sid) {
  return WithReader([&](ReadConnection& r) -> core::Result<std::vector<ApiKeyRecord>> {
    Statement& select = r.list_keys;
    const ScopedReset reset(select);
    select.BindText(1, sid);
    std::vector<ApiKeyRecord> keys;
    for (;;) {
      auto row = select.Step();
      if (!row) {
        return Fail(std::move(row));
      }
      if (!*row) {
        return keys;
      }
      keys.push_back(
          ApiKeyRecord{select.ColumnText(0), core::FromUnixMillis(select.ColumnInt64(1))});
    }
  });
}

core::Result<std::optional<std::string>> SqliteStore::FindSidByKeyHash(std::string_view key_hash) {
  return WithReader([&](ReadConnection& r) -> core::Result<std::optional<std::string>> {
    Statement& select = r.find_key;
    const ScopedReset reset(select);
    select.BindText(1, key_hash);
    auto row = select.Step();
    if (!row) {
      return Fail(std::move(row));
    }
    if (!*row) {
      return std::optional<std::string>();
    }
    return std::optional<std::string>(select.ColumnText(0));
  });
}

core::Result<AccountSettings> SqliteStore::GetSettings(std::string_view sid) {
  return WithReader([&](ReadConnection& r) -> core::Result<AccountSettings> {
    Statement& select = r.select_settings;
    const ScopedReset reset(select);
    select.BindText(1, sid);
    auto row = select.Step();
    if (!row) {
      return Fail(std::move(row));
    }
    if (!*row) {
      return core::MakeError(core::Errc::kNotFound, "no account '" + std::string(sid) + "'");
    }
    AccountSettings settings;
    if (!select.ColumnIsNull(0)) {
      settings.smart_encoding = select.ColumnInt64(0) != 0;
    }
    if (!select.ColumnIsNull(1)) {
      settings.require_registered_senders = select.ColumnInt64(1) != 0;
    }
    settings.has_webhook_secret = select.ColumnInt64(2) != 0;
    if (!select.ColumnIsNull(3)) {
      settings.sends_per_second = select.ColumnInt64(3);
    }
    if (!select.ColumnIsNull(4)) {
      settings.recipients_per_second = select.ColumnInt64(4);
    }
    return settings;
  });
}

core::Result<void> SqliteStore::SetSmartEncoding(std::string_view sid, std::optional<bool> on) {
  std::lock_guard lock(write_mu_);
  return SetAccountColumn(writer_->set_smart_encoding, sid, Flag(on));
}

core::Result<void> SqliteStore::SetRequireRegisteredSenders(std::string_view sid,
                                                            std::optional<bool> on) {
  std::lock_guard lock(write_mu_);
  return SetAccountColumn(writer_->set_require_registered_senders, sid, Flag(on));
}

core::Result<void> SqliteStore::SetRateLimit(std::string_view sid, RateLimit limit,
                                             std::optional<int64_t> per_second) {
  std::lock_guard lock(write_mu_);
  return SetAccountColumn(limit == RateLimit::kSendsPerSecond ? writer_->set_sends_per_second
                                                              : writer_->set_recipients_per_second,
                          sid, per_second);
}

core::Result<void> SqliteStore::SetWebhookSecret(std::string_view sid,
                                                 std::optional<std::string_view> secret) {
  std::lock_guard lock(write_mu_);
  Statement& update = writer_->set_webhook_secret;
  const ScopedReset reset(update);
  update.BindText(1, sid);
  if (secret) {
    update.BindText(2, *secret);
  } else {
    update.BindNull(2);
  }
  if (auto updated = update.Run(); !updated) {
    return updated;
  }
  if (writer_->db.Changes() == 0) {
    return core::MakeError(core::Errc::kNotFound, "no account '" + std::string(sid) + "'");
  }
  keys_version_.Increment();
  return {};
}

core::Result<std::string> SqliteStore::GetWebhookSecret(std::string_view sid) {
  return WithReader([&](ReadConnection& r) -> core::Result<std::string> {
    auto select = r.db.Prepare("SELECT webhook_secret FROM accounts WHERE sid = ?1");
    if (!select) {
      return Fail(std::move(select));
    }
    select->BindText(1, sid);
    auto row = select->Step();
    if (!row) {
      return Fail(std::move(row));
    }
    if (!*row) {
      return core::MakeError(core::Errc::kNotFound, "no account '" + std::string(sid) + "'");
    }
    return select->ColumnIsNull(0) ? std::string() : select->ColumnText(0);
  });
}

core::Result<void> SqliteStore::SetAccountColumn(Statement& update, std::string_view sid,
                                                 std::optional<int64_t> value) {
  const ScopedReset reset(update);
  update.BindText(1, sid);
  if (value) {
    update.BindInt64(2, *value);
  } else {
    update.BindNull(2);
  }
  if (auto updated = update.Run(); !updated) {
    return updated;
  }
  if (writer_->db.Changes() == 0) {
    return core::MakeError(core::Errc::kNotFound, "no account '" + std::string(sid) + "'");
  }
  keys_version_.Increment();
  return {};
}

uint64_t SqliteStore::KeysVersion() const { return keys_version_.Load(); }

core::Result<void> SqliteStore::CheckAccount(ReadConnection& r, std::string_view sid) {
  const ScopedReset reset(r.account_exists);
  r.account_exists.BindText(1, sid);
  auto exists = r.account_exists.Step();
  if (!exists) {
    return Fail(std::move(exists));
  }
  if (!*exists) {
    return core::MakeError(core::Errc::kNotFound, "no account '" + std::string(sid) + "'");
  }
  return {};
}

core::Result<void> SqliteStore::CreateTemplate(const Template& t) {
  std::lock_guard lock(write_mu_);
  Writer& w = *writer_;
  auto created = w.InTransaction([&]() -> core::Result<void> {
    if (auto account = w.CheckAccount(t.sid); !account) {
      return account;
    }
    Statement& insert = w.insert_template;
    const ScopedReset reset(insert);
    const std::string senders = JoinSenders(t.senders);
    insert.BindText(1, t.sid);
    insert.BindText(2, t.template_id);
    insert.BindText(3, t.name);
    insert.BindText(4, t.text);
    if (t.type) {
      insert.BindInt64(5, static_cast<int64_t>(*t.type));
    } else {
      insert.BindNull(5);
    }
    insert.BindText(6, senders);
    insert.BindInt64(7, core::ToUnixMillis(t.created_at));
    insert.BindInt64(8, core::ToUnixMillis(t.updated_at));
    auto inserted = insert.Run();
    if (!inserted && inserted.error().code == core::Errc::kConflict) {
      return core::MakeError(
          core::Errc::kConflict,
          "account '" + t.sid + "' already has template '" + t.template_id + "'");
    }
    return inserted;
  });
  if (created) {
    registry_version_.Increment();
  }
  return created;
}

core::Result<Template> SqliteStore::GetTemplate(std::string_view sid,
                                                std::string_view template_id) {
  return WithReader([&](ReadConnection& r) -> core::Result<Template> {
    Statement& select = r.select_template;
    const ScopedReset reset(select);
    select.BindText(1, sid);
    select.BindText(2, template_id);
    return ReadOne(select, ReadTemplate, NoTemplate(sid, template_id));
  });
}

core::Result<std::vector<Template>> SqliteStore::ListTemplates(std::string_view sid) {
  return WithReader([&](ReadConnection& r) -> core::Result<std::vector<Template>> {
    if (auto account = CheckAccount(r, sid); !account) {
      return Fail(std::move(account));
    }
    Statement& select = r.select_templates;
    const ScopedReset reset(select);
    select.BindText(1, sid);
    return ReadAll<Template>(select, ReadTemplate);
  });
}

core::Result<Template> SqliteStore::UpdateTemplate(std::string_view sid,
                                                   std::string_view template_id,
                                                   const TemplateChange& change,
                                                   core::TimePoint now) {
  std::lock_guard lock(write_mu_);
  Writer& w = *writer_;
  core::Result<Template> updated = core::MakeError(core::Errc::kInternal, "not run");
  auto done = w.InTransaction([&]() -> core::Result<void> {
    {
      Statement& update = w.update_template;
      const ScopedReset reset(update);
      const std::optional<std::string> senders =
          change.senders ? std::optional<std::string>(JoinSenders(*change.senders)) : std::nullopt;
      update.BindText(1, sid);
      update.BindText(2, template_id);
      auto bind_optional = [&update](int index, const std::optional<std::string>& value) {
        if (value) {
          update.BindText(index, *value);
        } else {
          update.BindNull(index);
        }
      };
      bind_optional(3, change.name);
      bind_optional(4, change.text);
      update.BindInt64(5, change.type ? 1 : 0);
      if (change.type && *change.type) {
        update.BindInt64(6, static_cast<int64_t>(**change.type));
      } else {
        update.BindNull(6);
      }
      bind_optional(7, senders);
      update.BindInt64(8, core::ToUnixMillis(now));
      if (auto ran = update.Run(); !ran) {
        return ran;
      }
      if (w.db.Changes() == 0) {
        return core::MakeError(core::Errc::kNotFound, NoTemplate(sid, template_id));
      }
    }
    Statement& select = w.select_template;
    const ScopedReset reset(select);
    select.BindText(1, sid);
    select.BindText(2, template_id);
    updated = ReadOne(select, ReadTemplate, NoTemplate(sid, template_id));
    if (!updated) {
      return Fail(std::move(updated));
    }
    return {};
  });
  if (!done) {
    return Fail(std::move(done));
  }
  registry_version_.Increment();
  return updated;
}

core::Result<void> SqliteStore::DeleteRows(Statement& del,
                                           std::initializer_list<std::string_view> params,
                                           std::string not_found) {
  const ScopedReset reset(del);
  int index = 1;
  for (std::string_view param : params) {
    del.BindText(index++, param);
  }
  if (auto ran = del.Run(); !ran) {
    return ran;
  }
  if (writer_->db.Changes() == 0) {
    return core::MakeError(core::Errc::kNotFound, std::move(not_found));
  }
  return {};
}

core::Result<void> SqliteStore::DeleteRegistryEntry(Statement& del, std::string_view sid,
                                                    std::string_view key, std::string not_found) {
  std::lock_guard lock(write_mu_);
  auto deleted = DeleteRows(del, {sid, key}, std::move(not_found));
  if (deleted) {
    registry_version_.Increment();
  }
  return deleted;
}

core::Result<void> SqliteStore::DeleteTemplate(std::string_view sid, std::string_view template_id) {
  return DeleteRegistryEntry(writer_->delete_template, sid, template_id,
                             NoTemplate(sid, template_id));
}

uint64_t SqliteStore::TemplatesVersion() const { return registry_version_.Load(); }

core::Result<std::vector<RegisterOutcome>> SqliteStore::RegisterSenders(
    std::string_view sid, std::span<const Sender> senders, core::TimePoint now) {
  std::vector<RegisterOutcome> outcomes;
  outcomes.reserve(senders.size());
  std::lock_guard lock(write_mu_);
  Writer& w = *writer_;
  auto registered = w.InTransaction([&]() -> core::Result<void> {
    if (auto account = w.CheckAccount(sid); !account) {
      return account;
    }
    const int64_t now_ms = core::ToUnixMillis(now);
    for (const Sender& sender : senders) {
      {
        const ScopedReset reset(w.sender_exists);
        w.sender_exists.BindText(1, sid);
        w.sender_exists.BindText(2, sender.sender);
        auto exists = w.sender_exists.Step();
        if (!exists) {
          return Fail(std::move(exists));
        }
        outcomes.push_back(*exists ? RegisterOutcome::kUpdated : RegisterOutcome::kCreated);
      }
      const ScopedReset reset(w.upsert_sender);
      w.upsert_sender.BindText(1, sid);
      w.upsert_sender.BindText(2, sender.sender);
      w.upsert_sender.BindText(3, sender.description);
      w.upsert_sender.BindText(4, sender.iso_code);
      w.upsert_sender.BindText(5, sender.entity_id);
      w.upsert_sender.BindInt64(6, now_ms);
      if (auto ran = w.upsert_sender.Run(); !ran) {
        return ran;
      }
    }
    return {};
  });
  if (!registered) {
    return Fail(std::move(registered));
  }
  if (!senders.empty()) {
    registry_version_.Increment();
  }
  return outcomes;
}

core::Result<Sender> SqliteStore::GetSender(std::string_view sid, std::string_view sender) {
  return WithReader([&](ReadConnection& r) -> core::Result<Sender> {
    Statement& select = r.select_sender;
    const ScopedReset reset(select);
    select.BindText(1, sid);
    select.BindText(2, sender);
    return ReadOne(
        select, [](const Statement& s) -> core::Result<Sender> { return ReadSender(s); },
        NoSender(sid, sender));
  });
}

core::Result<std::vector<Sender>> SqliteStore::ListSenders(std::string_view sid) {
  return WithReader([&](ReadConnection& r) -> core::Result<std::vector<Sender>> {
    if (auto account = CheckAccount(r, sid); !account) {
      return Fail(std::move(account));
    }
    Statement& select = r.select_senders;
    const ScopedReset reset(select);
    select.BindText(1, sid);
    return ReadAll<Sender>(
        select, [](const Statement& s) -> core::Result<Sender> { return ReadSender(s); });
  });
}

core::Result<Sender> SqliteStore::UpdateSender(std::string_view sid, std::string_view sender,
                                               const SenderChange& change, core::TimePoint now) {
  std::lock_guard lock(write_mu_);
  Writer& w = *writer_;
  core::Result<Sender> updated = core::MakeError(core::Errc::kInternal, "not run");
  auto done = w.InTransaction([&]() -> core::Result<void> {
    {
      Statement& update = w.update_sender;
      const ScopedReset reset(update);
      update.BindText(1, sid);
      update.BindText(2, sender);
      int index = 3;
      for (const std::optional<std::string>* value :
           {&change.description, &change.iso_code, &change.entity_id}) {
        if (*value) {
          update.BindText(index, **value);
        } else {
          update.BindNull(index);
        }
        ++index;
      }
      update.BindInt64(6, core::ToUnixMillis(now));
      if (auto ran = update.Run(); !ran) {
        return ran;
      }
      if (w.db.Changes() == 0) {
        return core::MakeError(core::Errc::kNotFound, NoSender(sid, sender));
      }
    }
    Statement& select = w.select_sender;
    const ScopedReset reset(select);
    select.BindText(1, sid);
    select.BindText(2, sender);
    updated = ReadOne(
        select, [](const Statement& s) -> core::Result<Sender> { return ReadSender(s); },
        NoSender(sid, sender));
    if (!updated) {
      return Fail(std::move(updated));
    }
    return {};
  });
  if (!done) {
    return Fail(std::move(done));
  }
  registry_version_.Increment();
  return updated;
}

core::Result<void> SqliteStore::DeleteSender(std::string_view sid, std::string_view sender) {
  return DeleteRegistryEntry(writer_->delete_sender, sid, sender, NoSender(sid, sender));
}

uint64_t SqliteStore::SendersVersion() const { return registry_version_.Load(); }

}  // namespace smsgw::store::sqlite
