#pragma once
// For the query-plan tests of the SQLite statements: EXPLAIN QUERY PLAN on a connection of its
// own, so a test can check that a statement walks the index it was written for.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace smsgw::store::sqlite {

// The plan of `sql` on the database at `path`, one line per step.
inline std::vector<std::string> QueryPlanLines(const std::string& path, std::string_view sql) {
  std::vector<std::string> lines;
  auto db = Db::Open(path, std::chrono::milliseconds(1000));
  EXPECT_TRUE(db) << db.error().message;
  if (!db) {
    return lines;
  }
  auto explain = db->Prepare("EXPLAIN QUERY PLAN " + std::string(sql));
  EXPECT_TRUE(explain) << explain.error().message;
  while (explain) {
    auto row = explain->Step();
    EXPECT_TRUE(row) << row.error().message;
    if (!row || !*row) {
      break;
    }
    lines.push_back(explain->ColumnText(3));
  }
  return lines;
}

// The plan of the statement called `name` among `all`, its lines joined with '\n'; fails the
// test when there is no such statement.
inline std::string NamedQueryPlan(const std::string& path, const std::vector<NamedSql>& all,
                                  std::string_view name) {
  for (const NamedSql& sql : all) {
    if (sql.name == name) {
      std::string joined;
      for (const std::string& line : QueryPlanLines(path, sql.sql)) {
        joined += line + "\n";
      }
      return joined;
    }
  }
  ADD_FAILURE() << "no statement " << name;
  return "";
}

}  // namespace smsgw::store::sqlite
