#pragma once
// The SQLite schema as an ordered list of migrations, and the function that brings a database up
// to date. The applied versions are recorded in the database itself (table schema_migrations), so
// every process sharing the file agrees on its shape. Migrations are only ever appended: once a
// version has shipped its SQL never changes.
//
// Migrate() runs on one connection from one thread (SqliteStore::Open).

#include "core/result.h"
#include "store/sqlite/sqlite_db.h"

namespace smsgw::store::sqlite {

// The newest schema version this build knows.
int LatestSchemaVersion();

// Applies every migration newer than the database's version, all in one IMMEDIATE transaction (so
// two processes opening a new file at once cannot both apply them). A database whose version is
// newer than LatestSchemaVersion() was written by a newer smsgw and is refused with
// kInvalidArgument, untouched. `now_ms` is recorded as each migration's applied_at.
core::Result<void> Migrate(Db& db, int64_t now_ms);

// The database's current schema version (0 for a new file).
core::Result<int> SchemaVersion(Db& db);

}  // namespace smsgw::store::sqlite
