#include "store/sqlite/sqlite_db.h"

#include "store/sqlite/wal_write_vfs.h"

namespace smsgw::store::sqlite {

core::Errc SqliteErrc(int rc) {
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      return core::Errc::kConflict;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
    case SQLITE_READONLY:
    case SQLITE_NOLFS:
    case SQLITE_NOMEM:
      return core::Errc::kUnavailable;
    default:
      return core::Errc::kInternal;
  }
}

core::Error SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string message(what);
  message += ": ";
  // The connection's message is only about `rc` if `rc` is the connection's latest error.
  if (db != nullptr && sqlite3_extended_errcode(db) == rc) {
    message += sqlite3_errmsg(db);
  } else {
    message += sqlite3_errstr(rc);
  }
  return core::Error{core::make_error_code(SqliteErrc(rc)), std::move(message)};
}

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), bind_rc_(other.bind_rc_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    bind_rc_ = other.bind_rc_;
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::BindText(int index, std::string_view text) {
  // A null pointer would bind SQL NULL; an empty string must stay an empty string.
  const int rc = sqlite3_bind_text64(stmt_, index, text.data() != nullptr ? text.data() : "",
                                     text.size(), SQLITE_STATIC, SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) {
    bind_rc_ = rc;
  }
}

void Statement::BindInt64(int index, int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) {
    bind_rc_ = rc;
  }
}

void Statement::BindNull(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) {
    bind_rc_ = rc;
  }
}

core::Result<bool> Statement::Step() {
  sqlite3* db = sqlite3_db_handle(stmt_);
  if (bind_rc_ != SQLITE_OK) {
    return std::unexpected(SqliteError(db, bind_rc_, "binding parameters"));
  }
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  return std::unexpected(SqliteError(db, rc, sqlite3_sql(stmt_)));
}

core::Result<void> Statement::Run() {
  auto stepped = Step();
  if (!stepped) {
    return std::unexpected(std::move(stepped.error()));
  }
  return {};
}

int64_t Statement::ColumnInt64(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string Statement::ColumnText(int index) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
  if (text == nullptr) {
    return {};
  }
  return std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt_, index)));
}

bool Statement::ColumnIsNull(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_rc_ = SQLITE_OK;
}

core::Result<Db> Db::Open(const std::string& path, std::chrono::milliseconds busy_timeout) {
  // SQLite's allocation statistics (on in Debian's build) take a global mutex on every malloc
  // and free of every connection; nothing here reads them. Process-wide, and only possible
  // before the library initialises, so with the first open (a no-op error once it has).
  static const bool quiet_allocator = [] {
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)quiet_allocator;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(
      path.c_str(), &raw,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
      WalWriteVfsName());
  Db db(raw);  // closes `raw` on every path, even when the open failed
  if (rc != SQLITE_OK) {
    return std::unexpected(SqliteError(raw, rc, "opening " + path));
  }
  sqlite3_busy_timeout(raw, static_cast<int>(busy_timeout.count()));
  return db;
}

Db& Db::operator=(Db&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

Db::~Db() { sqlite3_close_v2(db_); }

core::Result<void> Db::Exec(const char* sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string what = error != nullptr ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    return std::unexpected(core::Error{core::make_error_code(SqliteErrc(rc)), std::move(what)});
  }
  return {};
}

core::Result<std::string> Db::QueryText(const char* sql) {
  auto statement = Prepare(sql);
  if (!statement) {
    return std::unexpected(std::move(statement.error()));
  }
  auto row = statement->Step();
  if (!row) {
    return std::unexpected(std::move(row.error()));
  }
  if (!*row) {
    return std::string();
  }
  return statement->ColumnText(0);
}

core::Result<Statement> Db::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    return std::unexpected(SqliteError(db_, rc, "preparing " + std::string(sql)));
  }
  return Statement(stmt);
}

int64_t Db::Changes() const { return sqlite3_changes64(db_); }

bool Db::AutoCommit() const { return sqlite3_get_autocommit(db_) != 0; }

}  // namespace smsgw::store::sqlite
