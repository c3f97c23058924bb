#include "postgres/test_schema.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <random>
#include <utility>

namespace smsgw::test_postgres {
namespace {

// Runs `sql` on a new connection to `uri`; the error message when it fails.
std::optional<std::string> RunOnce(const std::string& uri, const std::string& sql) {
  PGconn* conn = PQconnectdb(uri.c_str());
  std::optional<std::string> error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    PGresult* result = PQexec(conn, sql.c_str());
    if (PQresultStatus(result) != PGRES_COMMAND_OK && PQresultStatus(result) != PGRES_TUPLES_OK) {
      error = PQresultErrorMessage(result);
    }
    PQclear(result);
  }
  PQfinish(conn);
  return error;
}

}  // namespace

std::optional<std::string> TestSchema::ServerUri() {
  const char* uri = std::getenv("SMSGW_TEST_POSTGRES");
  if (uri == nullptr || *uri == '\0') {
    return std::nullopt;
  }
  return std::string(uri);
}

core::Result<std::unique_ptr<TestSchema>> TestSchema::Create(const std::string& server_uri) {
  std::random_device random;
  const std::string name = "t" + std::to_string(random()) + std::to_string(random());
  if (auto error = RunOnce(server_uri, "CREATE SCHEMA " + name)) {
    return core::MakeError(core::Errc::kUnavailable,
                           "creating a test schema on " + server_uri + ": " + *error);
  }
  return std::unique_ptr<TestSchema>(new TestSchema(server_uri, name));
}

TestSchema::TestSchema(std::string server_uri, std::string name)
    : server_uri_(std::move(server_uri)),
      name_(std::move(name)),
      uri_(server_uri_ + (server_uri_.find('?') == std::string::npos ? "?" : "&") +
           "options=-csearch_path%3D" + name_ + "&application_name=" + name_) {}

std::optional<std::string> TestSchema::Run(const std::string& sql) const {
  return RunOnce(uri_, sql);
}

TestSchema::~TestSchema() {
  // client_min_messages: the cascade's NOTICE lists every table, which says nothing to a test.
  (void)RunOnce(server_uri_,
                "SET client_min_messages = warning; DROP SCHEMA " + name_ + " CASCADE");
}

}  // namespace smsgw::test_postgres
