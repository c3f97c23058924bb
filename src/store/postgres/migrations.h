#pragma once
// The PostgreSQL schema as an ordered list of migrations, and the function that brings a database
// (the first schema of the connection's search_path) up to date. The applied versions are
// recorded in the database itself (table schema_migrations), so every node agrees on its shape.
// Once a version has shipped its SQL never changes; until the backend's first release (issue 15)
// version 1 grows with it.

#include "core/result.h"
#include "store/postgres/pg_connection.h"

namespace smsgw::store::postgres {

// The newest schema version this build knows.
int LatestSchemaVersion();

// Applies every migration newer than the database's version in one transaction, holding a
// transaction-scoped advisory lock keyed by the schema's name, so nodes starting together apply
// each migration once and the others wait for it. A database whose version is newer than
// LatestSchemaVersion() was written by a newer smsgw and is refused with kInvalidArgument,
// untouched. `now_ms` is recorded as each migration's applied_at.
core::Result<void> Migrate(Connection& conn, int64_t now_ms);

}  // namespace smsgw::store::postgres
