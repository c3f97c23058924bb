#include "store/postgres/pg_connection.h"

#include <charconv>
#include <utility>

#include "core/strings.h"

namespace smsgw::store::postgres {

core::Errc PgErrc(std::string_view sqlstate) {
  if (sqlstate.starts_with("23")) {
    return core::Errc::kConflict;
  }
  if (sqlstate == "57014") {  // query_canceled: statement_timeout
    return core::Errc::kTimeout;
  }
  // 08: connection exception; 40: transaction rollback (serialization, deadlock); 53:
  // insufficient resources (disk full, too many connections); 57: operator intervention
  // (shutdown); 58: system error (I/O).
  for (std::string_view cls : {"08", "40", "53", "57", "58"}) {
    if (sqlstate.starts_with(cls)) {
      return core::Errc::kUnavailable;
    }
  }
  return core::Errc::kInternal;
}

Params& Params::Text(std::string_view value) {
  values_.emplace_back(std::string(value));
  return *this;
}

Params& Params::Int(int64_t value) {
  values_.emplace_back(std::to_string(value));
  return *this;
}

Params& Params::Bool(bool value) {
  values_.emplace_back(value ? "t" : "f");
  return *this;
}

Params& Params::Null() {
  values_.emplace_back(std::nullopt);
  return *this;
}

Params& Params::OptText(const std::optional<std::string>& value) {
  return value ? Text(*value) : Null();
}

Params& Params::OptInt(std::optional<int64_t> value) { return value ? Int(*value) : Null(); }

std::vector<const char*> Params::Pointers() const {
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (const auto& value : values_) {
    out.push_back(value ? value->c_str() : nullptr);
  }
  return out;
}

void ArrayParam::Separate() {
  if (out_.size() > 1) {
    out_ += ',';
  }
}

void ArrayParam::Text(std::string_view value) {
  Separate();
  out_ += '"';
  for (char c : value) {
    if (c == '"' || c == '\\') {
      out_ += '\\';
    }
    out_ += c;
  }
  out_ += '"';
}

void ArrayParam::Int(int64_t value) {
  Separate();
  out_ += std::to_string(value);
}

void ArrayParam::Null() {
  Separate();
  out_ += "NULL";
}

std::string HexOf(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xF]);
  }
  return out;
}

core::Result<std::vector<uint8_t>> BytesOfHex(std::string_view hex, std::string_view what) {
  std::vector<uint8_t> out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    const int hi = core::HexDigitValue(hex[i]);
    const int lo = core::HexDigitValue(hex[i + 1]);
    if (hi < 0 || lo < 0) {
      break;
    }
    out.push_back(static_cast<uint8_t>(hi << 4 | lo));
  }
  if (out.size() * 2 != hex.size()) {
    return core::MakeError(core::Errc::kInternal, "stored " + std::string(what) + " is not hex");
  }
  return out;
}

int64_t Rows::affected() const {
  const char* n = PQcmdTuples(result_.get());
  int64_t value = 0;
  std::from_chars(n, n + std::char_traits<char>::length(n), value);
  return value;
}

std::string Rows::Text(int row, int column) const {
  return std::string(PQgetvalue(result_.get(), row, column),
                     static_cast<size_t>(PQgetlength(result_.get(), row, column)));
}

int64_t Rows::Int(int row, int column) const {
  const char* value = PQgetvalue(result_.get(), row, column);
  const int length = PQgetlength(result_.get(), row, column);
  if (length == 1 && (*value == 't' || *value == 'f')) {
    return *value == 't' ? 1 : 0;
  }
  int64_t out = 0;
  std::from_chars(value, value + length, out);
  return out;
}

bool Rows::Bool(int row, int column) const { return Int(row, column) != 0; }

std::optional<int64_t> Rows::OptInt(int row, int column) const {
  return IsNull(row, column) ? std::nullopt : std::optional<int64_t>(Int(row, column));
}

core::Result<std::unique_ptr<Connection>> Connection::Open(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr) {
    return core::MakeError(core::Errc::kUnavailable, "PostgreSQL: out of memory connecting");
  }
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    while (!message.empty() && message.back() == '\n') {
      message.pop_back();
    }
    return core::MakeError(core::Errc::kUnavailable, "PostgreSQL: cannot connect: " + message);
  }
  // Notices ("relation already exists, skipping") are the server talking to a person: libpq would
  // print them to stderr.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<Connection>(new Connection(conn));
}

Connection::~Connection() { PQfinish(conn_); }

core::Result<Rows> Connection::Check(PGresult* result, std::string_view what) {
  Rows rows(result);
  const ExecStatusType status = PQresultStatus(result);
  if (result != nullptr &&
      (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY)) {
    last_sqlstate_.clear();
    return rows;
  }
  const char* sqlstate = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = result ? PQresultErrorMessage(result) : "";
  if (message.empty()) {
    message = PQerrorMessage(conn_);
  }
  while (!message.empty() && message.back() == '\n') {
    message.pop_back();
  }
  last_sqlstate_ = sqlstate ? sqlstate : "";
  // Without a SQLSTATE the failure was the client's: the connection is gone.
  const core::Errc code =
      last_sqlstate_.empty() ? core::Errc::kUnavailable : PgErrc(last_sqlstate_);
  return core::MakeError(code, "PostgreSQL: " + std::string(what) + ": " + message);
}

core::Result<Rows> Connection::Exec(const char* sql, const Params& params) {
  auto found = prepared_.find(sql);
  if (found == prepared_.end()) {
    std::string name = "s" + std::to_string(prepared_.size());
    auto prepared = Check(PQprepare(conn_, name.c_str(), sql, 0, nullptr), "preparing");
    if (!prepared) {
      return prepared;
    }
    found = prepared_.emplace(sql, std::move(name)).first;
  }
  const std::vector<const char*> values = params.Pointers();
  return Check(PQexecPrepared(conn_, found->second.c_str(), params.size(), values.data(), nullptr,
                              nullptr, 0),
               "executing");
}

core::Result<Rows> Connection::ExecScript(const char* sql) {
  return Check(PQexec(conn_, sql), "running");
}

}  // namespace smsgw::store::postgres
