#pragma once
// Thin RAII wrappers over libpq for the rest of store/postgres: Connection owns one PGconn,
// Rows one PGresult, Params the text-format parameters of one statement. Every failure comes
// back as a core::Error whose code says what the caller can do about it (PgErrc). Nothing outside
// store/postgres includes this file.
//
// A Connection is thread-compatible, not thread-safe: Pool lends it to one thread at a time.

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace smsgw::store::postgres {

// SQLSTATEs the store acts on (PostgreSQL's appendix A).
inline constexpr std::string_view kUniqueViolation = "23505";
inline constexpr std::string_view kSerializationFailure = "40001";
inline constexpr std::string_view kDeadlockDetected = "40P01";

// Maps a SQLSTATE to the smsgw code a caller can act on: integrity violations are kConflict;
// serialization failures, deadlocks, lost connections, a server shutting down or out of resources
// are kUnavailable (try again later or elsewhere); a statement cancelled by statement_timeout is
// kTimeout; anything else (a bug in the SQL, a schema the code does not know) is kInternal.
core::Errc PgErrc(std::string_view sqlstate);

// The parameters of one statement, $1.. in order, sent in text format.
class Params {
 public:
  Params& Text(std::string_view value);
  Params& Int(int64_t value);
  Params& Bool(bool value);
  Params& Time(core::TimePoint value) { return Int(core::ToUnixMillis(value)); }
  Params& Null();
  Params& OptText(const std::optional<std::string>& value);
  Params& OptInt(std::optional<int64_t> value);

  int size() const { return static_cast<int>(values_.size()); }
  // Pointers into this object, valid while it lives and is not changed.
  std::vector<const char*> Pointers() const;

 private:
  std::vector<std::optional<std::string>> values_;
};

// A one-dimensional array parameter in PostgreSQL's text form ('{"a",NULL,"b"}'), so that a batch
// goes to the server as one statement: INSERT ... SELECT * FROM unnest($1::text[], $2::int[], ...).
class ArrayParam {
 public:
  void Text(std::string_view value);
  void Int(int64_t value);
  void Null();
  void OptInt(std::optional<int64_t> value) { value ? Int(*value) : Null(); }
  std::string Finish() const { return out_ + "}"; }

 private:
  void Separate();
  std::string out_ = "{";
};

// The array parameters of a whole collection: every string (or integer) of `items`, in order.
template <class Range>
std::string TextArray(const Range& items) {
  ArrayParam array;
  for (const auto& item : items) {
    array.Text(item);
  }
  return array.Finish();
}
template <class Range>
std::string IntArray(const Range& items) {
  ArrayParam array;
  for (const auto item : items) {
    array.Int(item);
  }
  return array.Finish();
}

// Bytes as the lower-case hex that SQL's decode(..., 'hex') reads into a BYTEA, and back from what
// encode(..., 'hex') wrote: kInternal, naming `what`, when the stored text is not such hex.
std::string HexOf(std::span<const uint8_t> bytes);
core::Result<std::vector<uint8_t>> BytesOfHex(std::string_view hex, std::string_view what);

class Rows {
 public:
  explicit Rows(PGresult* result) : result_(result) {}

  int rows() const { return PQntuples(result_.get()); }
  // The number of rows an INSERT, UPDATE or DELETE touched.
  int64_t affected() const;
  bool IsNull(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
  std::string Text(int row, int column) const;
  // 0 for NULL; the store's integer columns are BIGINT, INTEGER or a boolean 't'/'f'.
  int64_t Int(int row, int column) const;
  bool Bool(int row, int column) const;
  core::TimePoint Time(int row, int column) const { return core::FromUnixMillis(Int(row, column)); }
  std::optional<int64_t> OptInt(int row, int column) const;
  // An enum stored as its number (0..max): kInternal for any other value, which only a newer
  // smsgw or a hand edit could have written.
  template <class E>
  core::Result<E> Enum(int row, int column, E max, const char* name) const {
    const int64_t value = Int(row, column);
    if (value < 0 || value > static_cast<int64_t>(max)) {
      return core::MakeError(
          core::Errc::kInternal,
          std::string("stored ") + name + " " + std::to_string(value) + " is not a known value");
    }
    return static_cast<E>(value);
  }

 private:
  struct Clear {
    void operator()(PGresult* r) const { PQclear(r); }
  };
  std::unique_ptr<PGresult, Clear> result_;
};

class Connection {
 public:
  // Connects with a libpq connection string or URI. kUnavailable when the server cannot be
  // reached or refuses the connection.
  static core::Result<std::unique_ptr<Connection>> Open(const std::string& conninfo);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs `sql` with `params`. The statement is prepared on this connection the first time its
  // text is seen (by address: pass a string with static storage) and reused after that.
  core::Result<Rows> Exec(const char* sql, const Params& params = {});
  // Runs one or more statements without parameters and without preparing them (DDL, BEGIN).
  core::Result<Rows> ExecScript(const char* sql);

  // The SQLSTATE of the last statement when it failed ("" when it succeeded, or failed without
  // reaching the server): lets a transaction tell a serialization failure from the rest.
  const std::string& last_sqlstate() const { return last_sqlstate_; }
  // False once the connection is lost: the pool then drops it.
  bool ok() const { return PQstatus(conn_) == CONNECTION_OK; }
  PGconn* raw() { return conn_; }

 private:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  core::Result<Rows> Check(PGresult* result, std::string_view what);

  PGconn* conn_;
  std::unordered_map<const char*, std::string> prepared_;  // sql text -> statement name
  std::string last_sqlstate_;
};

// A failed Result's error, for a function returning another Result type.
template <class T>
std::unexpected<core::Error> Fail(core::Result<T>&& failed) {
  return std::unexpected(std::move(failed.error()));
}

}  // namespace smsgw::store::postgres
