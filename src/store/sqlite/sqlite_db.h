#pragma once
// Thin RAII wrappers over the SQLite C API for the rest of store/sqlite: Db owns one connection,
// Statement one prepared statement, and every failure comes back as a core::Error whose code says
// what the caller can do about it (SqliteErrc). Nothing outside store/sqlite includes this file.
//
// A Db and its Statements are thread-compatible, not thread-safe: the owner serialises access
// (SqliteStore gives each connection to one thread at a time). The connections are opened with
// SQLITE_OPEN_NOMUTEX for that reason.

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"

namespace smsgw::store::sqlite {

// Maps a SQLite result code to the smsgw code a caller can act on: constraint violations are
// kConflict; a busy or locked database, I/O errors, a full disk and a file that cannot be opened
// are kUnavailable (try again later or elsewhere); anything else (corruption, misuse) is kInternal.
core::Errc SqliteErrc(int rc);

// An Error for `rc` on `db` (which may be null), prefixed with what was being done.
core::Error SqliteError(sqlite3* db, int rc, std::string_view what);

class Statement {
 public:
  Statement() = default;
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  ~Statement();

  // Parameters are 1-based, as in SQLite. Text and blobs are bound without copying: the caller
  // keeps them alive until Reset(). A failed bind is reported by the next Step().
  void BindText(int index, std::string_view text);
  void BindInt64(int index, int64_t value);
  void BindNull(int index);

  // true when a row is ready, false when the statement is done.
  core::Result<bool> Step();
  // Step() for statements that return no rows (or whose rows are ignored).
  core::Result<void> Run();

  // Columns are 0-based. Text columns keep embedded NULs and any bytes that were stored.
  int64_t ColumnInt64(int index) const;
  std::string ColumnText(int index) const;
  bool ColumnIsNull(int index) const;

  // Ends the current execution (releasing its read snapshot) and clears the bindings.
  void Reset();

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int bind_rc_ = SQLITE_OK;
};

// Resets `statement` when the scope ends, so that no early return leaves it holding a snapshot
// (which would stop the WAL from being checkpointed).
class ScopedReset {
 public:
  explicit ScopedReset(Statement& statement) : statement_(statement) {}
  ~ScopedReset() { statement_.Reset(); }
  ScopedReset(const ScopedReset&) = delete;
  ScopedReset& operator=(const ScopedReset&) = delete;

 private:
  Statement& statement_;
};

class Db {
 public:
  // Opens (creating if missing) the database file at `path`, with extended result codes and a
  // busy timeout: how long a statement waits for another connection's lock before SQLITE_BUSY.
  static core::Result<Db> Open(const std::string& path, std::chrono::milliseconds busy_timeout);

  Db(Db&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  Db& operator=(Db&& other) noexcept;
  ~Db();

  // Runs one or more ';'-separated statements that return no rows of interest.
  core::Result<void> Exec(const char* sql);
  // Runs a PRAGMA (or any statement) returning one text value, e.g. "PRAGMA journal_mode=WAL".
  core::Result<std::string> QueryText(const char* sql);
  // A statement prepared for repeated use (SQLITE_PREPARE_PERSISTENT).
  core::Result<Statement> Prepare(std::string_view sql);

  // Rows changed by the last INSERT/UPDATE/DELETE.
  int64_t Changes() const;
  // False while a transaction is open.
  bool AutoCommit() const;

  sqlite3* get() const { return db_; }

 private:
  explicit Db(sqlite3* db) : db_(db) {}

  sqlite3* db_ = nullptr;
};

}  // namespace smsgw::store::sqlite
