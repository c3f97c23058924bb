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
