#include "store/postgres/smpp_credentials.h"

#include <chrono>
#include <string>
#include <utility>

#include "store/postgres/changes.h"
#include "store/smpp_credential_columns.h"

namespace smsgw::store::postgres {
namespace {

constexpr const char* kInsert =
    "INSERT INTO smpp_credentials (system_id, sid, salt, password_hash, created_at, max_rate, "
    "type, allowed_sources, id_format) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
    "ON CONFLICT (system_id) DO NOTHING";
constexpr const char* kRevoke =
    "UPDATE smpp_credentials SET revoked_at = $3 "
    "WHERE system_id = $1 AND sid = $2 AND revoked_at IS NULL";
constexpr const char* kFind =
    "SELECT sid, salt, password_hash, max_rate, type, allowed_sources, id_format "
    "FROM smpp_credentials WHERE system_id = $1 AND revoked_at IS NULL";
// Joined to the account's row: no row when the account does not exist, one row of NULLs when it
// has no credential, so the account check and the list are one statement. Ties in creation time
// by system_id in byte order, as SQLite's.
constexpr const char* kList =
    "SELECT c.system_id, c.sid, c.created_at, c.revoked_at, c.max_rate, c.type, "
    "c.allowed_sources, c.id_format FROM accounts a "
    "LEFT JOIN smpp_credentials c ON c.sid = a.sid WHERE a.sid = $1 "
    "ORDER BY c.created_at, c.system_id COLLATE \"C\"";

core::Result<SmppIdFormat> IdFormat(const Rows& rows, int row, int column) {
  return rows.Enum(row, column, SmppIdFormat::kDecimal, "SMPP id format");
}

core::Result<SmppCredential> CredentialAt(const Rows& rows, int i) {
  SmppCredential c;
  c.system_id = rows.Text(i, 0);
  c.sid = rows.Text(i, 1);
  c.created_at = rows.Time(i, 2);
  if (!rows.IsNull(i, 3)) {
    c.revoked_at = rows.Time(i, 3);
  }
  c.max_rate = rows.OptInt(i, 4);
  c.type = rows.Text(i, 5);
  auto sources = DecodeAllowedSources(rows.Text(i, 6));
  if (!sources) {
    return Fail(std::move(sources));
  }
  c.allowed_sources = std::move(*sources);
  auto id_format = IdFormat(rows, i, 7);
  if (!id_format) {
    return Fail(std::move(id_format));
  }
  c.id_format = *id_format;
  return c;
}

}  // namespace

core::Result<void> SmppCredentials::AddSmppCredential(const SmppCredential& credential,
                                                      std::string_view salt,
                                                      std::string_view password_hash) {
  Params params;
  params.Text(credential.system_id)
      .Text(credential.sid)
      .Text(salt)
      .Text(password_hash)
      .Time(credential.created_at)
      .OptInt(credential.max_rate)
      .OptText(credential.type.empty() ? std::nullopt : std::optional(credential.type))
      .OptText(credential.allowed_sources.empty()
                   ? std::nullopt
                   : std::optional(EncodeAllowedSources(credential.allowed_sources)))
      .Int(static_cast<int64_t>(credential.id_format));
  return Changing(pool_, versions_, CacheVersions::kKeys,
                  [&](Connection& conn) -> core::Result<void> {
                    if (auto account = LockAccount(conn, credential.sid); !account) {
                      return account;
                    }
                    auto inserted = conn.Exec(kInsert, params);
                    if (!inserted) {
                      return Fail(std::move(inserted));
                    }
                    if (inserted->affected() == 0) {
                      return core::MakeError(core::Errc::kConflict,
                                             "system_id '" + credential.system_id + "' is taken");
                    }
                    return {};
                  });
}

core::Result<std::vector<SmppCredential>> SmppCredentials::ListSmppCredentials(
    std::string_view sid) {
  auto rows = pool_.Read(kList, Params().Text(sid));
  if (!rows) {
    return Fail(std::move(rows));
  }
  if (rows->rows() == 0) {
    return core::MakeError(core::Errc::kNotFound, NoAccount(sid));
  }
  std::vector<SmppCredential> out;
  for (int i = 0; i < rows->rows() && !rows->IsNull(i, 0); ++i) {
    auto credential = CredentialAt(*rows, i);
    if (!credential) {
      return Fail(std::move(credential));
    }
    out.push_back(std::move(*credential));
  }
  return out;
}

core::Result<void> SmppCredentials::RevokeSmppCredential(std::string_view sid,
                                                         std::string_view system_id) {
  const auto now = std::chrono::system_clock::now();
  return ChangeOne(pool_, versions_, CacheVersions::kKeys, kRevoke,
                   Params().Text(system_id).Text(sid).Time(now),
                   "account '" + std::string(sid) + "' has no active SMPP credential '" +
                       std::string(system_id) + "'");
}

core::Result<std::optional<SmppSecret>> SmppCredentials::FindSmppCredential(
    std::string_view system_id) {
  auto rows = pool_.Read(kFind, Params().Text(system_id));
  if (!rows) {
    return Fail(std::move(rows));
  }
  if (rows->rows() == 0) {
    return std::optional<SmppSecret>();
  }
  auto sources = DecodeAllowedSources(rows->Text(0, 5));
  if (!sources) {
    return Fail(std::move(sources));
  }
  auto id_format = IdFormat(*rows, 0, 6);
  if (!id_format) {
    return Fail(std::move(id_format));
  }
  return std::optional<SmppSecret>(SmppSecret{rows->Text(0, 0), rows->Text(0, 1), rows->Text(0, 2),
                                              rows->OptInt(0, 3), rows->Text(0, 4),
                                              std::move(*sources), *id_format});
}

}  // namespace smsgw::store::postgres
