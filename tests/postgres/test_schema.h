#pragma once
// A schema of its own on the test suite's PostgreSQL server (server.sh, started by the CTest
// fixture `postgres`), dropped when this object is destroyed, so that tests running at once on one
// server never see each other's tables.

#include <memory>
#include <optional>
#include <string>

#include "core/result.h"

namespace smsgw::test_postgres {

class TestSchema {
 public:
  // The server's connection URI from SMSGW_TEST_POSTGRES, or nullopt when the variable is unset
  // (the test binary was started outside CTest): callers then skip.
  static std::optional<std::string> ServerUri();

  // Creates a schema with a random name on `server_uri`. kUnavailable when the server cannot be
  // reached.
  static core::Result<std::unique_ptr<TestSchema>> Create(const std::string& server_uri);
  ~TestSchema();
  TestSchema(const TestSchema&) = delete;
  TestSchema& operator=(const TestSchema&) = delete;

  // A URI whose connections use this schema (search_path) and nothing else, and carry its name as
  // their application_name (so a test can find them in pg_stat_activity).
  const std::string& uri() const { return uri_; }
  const std::string& name() const { return name_; }

  // Runs `sql` on a new connection to the schema; the server's message when it fails.
  std::optional<std::string> Run(const std::string& sql) const;

 private:
  TestSchema(std::string server_uri, std::string name);

  const std::string server_uri_;
  const std::string name_;
  const std::string uri_;
};

}  // namespace smsgw::test_postgres

// In a GoogleTest fixture's SetUp: skips the test when SMSGW_TEST_POSTGRES is unset (not under
// CTest), fails it when the server gives no schema, else sets `member`, a
// std::unique_ptr<TestSchema>. A macro: GTEST_SKIP and ASSERT_* return from SetUp itself.
#define SMSGW_TEST_SCHEMA_OR_SKIP(member)                                                 \
  do {                                                                                    \
    auto smsgw_server = ::smsgw::test_postgres::TestSchema::ServerUri();                  \
    if (!smsgw_server) {                                                                  \
      GTEST_SKIP() << "SMSGW_TEST_POSTGRES is unset: run under CTest (fixture postgres)"; \
    }                                                                                     \
    auto smsgw_schema = ::smsgw::test_postgres::TestSchema::Create(*smsgw_server);        \
    ASSERT_TRUE(smsgw_schema) << smsgw_schema.error().message;                            \
    (member) = std::move(*smsgw_schema);                                                  \
  } while (false)
