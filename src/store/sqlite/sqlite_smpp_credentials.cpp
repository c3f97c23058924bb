// SqliteStore's SmppCredentialStore (migrations 14, 16, 20 and 21).

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "store/smpp_credential_columns.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace smsgw::store::sqlite {
namespace {

constexpr const char* kInsert =
    "INSERT INTO smpp_credentials (system_id, sid, salt, password_hash, created_at, max_rate, "
    "type, allowed_sources, id_format) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
constexpr const char* kRevoke =
    "UPDATE smpp_credentials SET revoked_at = ?3 "
    "WHERE system_id = ?1 AND sid = ?2 AND revoked_at IS NULL";
constexpr const char* kFind =
    "SELECT sid, salt, password_hash, max_rate, type, allowed_sources, id_format "
    "FROM smpp_credentials WHERE system_id = ?1 AND revoked_at IS NULL";
constexpr const char* kList =
    "SELECT system_id, sid, created_at, revoked_at, max_rate, type, allowed_sources, id_format "
    "FROM smpp_credentials "
    "WHERE sid = ?1 "
    "ORDER BY created_at, system_id";

constexpr StatementSql<SmppCredentialStatements> kWriterStatements[] = {
    {"insert_smpp_credential", &SmppCredentialStatements::insert, kInsert},
    {"revoke_smpp_credential", &SmppCredentialStatements::revoke, kRevoke},
};
constexpr StatementSql<SmppCredentialReadStatements> kReaderStatements[] = {
    {"find_smpp_credential", &SmppCredentialReadStatements::find, kFind},
    {"list_smpp_credentials", &SmppCredentialReadStatements::list, kList},
};

core::Result<std::vector<core::IpNetwork>> SourcesColumn(Statement& statement, int column) {
  if (statement.ColumnIsNull(column)) {
    return std::vector<core::IpNetwork>();
  }
  return DecodeAllowedSources(statement.ColumnText(column));
}

}  // namespace

core::Result<void> SmppCredentialStatements::Prepare(Db& db) {
  return PrepareEach(db, *this, kWriterStatements);
}

core::Result<void> SmppCredentialReadStatements::Prepare(Db& db) {
  return PrepareEach(db, *this, kReaderStatements);
}

std::vector<NamedSql> SmppCredentialSqlForTest() {
  return NamedSqlOf(kWriterStatements, kReaderStatements);
}

core::Result<void> SqliteStore::AddSmppCredential(const SmppCredential& credential,
                                                  std::string_view salt,
                                                  std::string_view password_hash) {
  std::lock_guard lock(write_mu_);
  Writer& w = *writer_;
  auto added = w.InTransaction([&]() -> core::Result<void> {
    if (auto account = w.CheckAccount(credential.sid); !account) {
      return account;
    }
    Statement& insert = w.smpp_credentials.insert;
    const ScopedReset reset(insert);
    insert.BindText(1, credential.system_id);
    insert.BindText(2, credential.sid);
    insert.BindText(3, salt);
    insert.BindText(4, password_hash);
    insert.BindInt64(5, core::ToUnixMillis(credential.created_at));
    if (credential.max_rate) {
      insert.BindInt64(6, *credential.max_rate);
    } else {
      insert.BindNull(6);
    }
    if (credential.type.empty()) {
      insert.BindNull(7);
    } else {
      insert.BindText(7, credential.type);
    }
    // Bound without a copy: the text must outlive Run().
    const std::string sources = EncodeAllowedSources(credential.allowed_sources);
    if (sources.empty()) {
      insert.BindNull(8);
    } else {
      insert.BindText(8, sources);
    }
    insert.BindInt64(9, static_cast<int64_t>(credential.id_format));
    auto inserted = insert.Run();
    if (!inserted && inserted.error().code == core::Errc::kConflict) {
      return core::MakeError(core::Errc::kConflict,
                             "system_id '" + credential.system_id + "' is taken");
    }
    return inserted;
  });
  if (added) {
    keys_version_.Increment();
  }
  return added;
}

core::Result<std::vector<SmppCredential>> SqliteStore::ListSmppCredentials(std::string_view sid) {
  return WithReader([&](ReadConnection& r) -> core::Result<std::vector<SmppCredential>> {
    return r.InSnapshot([&]() -> core::Result<std::vector<SmppCredential>> {
      if (auto account = CheckAccount(r, sid); !account) {
        return std::unexpected(std::move(account.error()));
      }
      Statement& list = r.smpp_credentials.list;
      const ScopedReset reset(list);
      list.BindText(1, sid);
      std::vector<SmppCredential> out;
      for (;;) {
        auto row = list.Step();
        if (!row) {
          return Fail(std::move(row));
        }
        if (!*row) {
          return out;
        }
        SmppCredential& c = out.emplace_back();
        c.system_id = list.ColumnText(0);
        c.sid = list.ColumnText(1);
        c.created_at = core::FromUnixMillis(list.ColumnInt64(2));
        if (!list.ColumnIsNull(3)) {
          c.revoked_at = core::FromUnixMillis(list.ColumnInt64(3));
        }
        if (!list.ColumnIsNull(4)) {
          c.max_rate = list.ColumnInt64(4);
        }
        if (!list.ColumnIsNull(5)) {
          c.type = list.ColumnText(5);
        }
        auto sources = SourcesColumn(list, 6);
        if (!sources) {
          return std::unexpected(std::move(sources.error()));
        }
        c.allowed_sources = std::move(*sources);
        auto id_format = EnumColumn<SmppIdFormat>(
            list, 7, static_cast<int64_t>(SmppIdFormat::kDecimal), "SMPP id format");
        if (!id_format) {
          return Fail(std::move(id_format));
        }
        c.id_format = *id_format;
      }
    });
  });
}

core::Result<void> SqliteStore::RevokeSmppCredential(std::string_view sid,
                                                     std::string_view system_id) {
  std::lock_guard lock(write_mu_);
  Statement& revoke = writer_->smpp_credentials.revoke;
  const ScopedReset reset(revoke);
  revoke.BindText(1, system_id);
  revoke.BindText(2, sid);
  revoke.BindInt64(3, core::ToUnixMillis(std::chrono::system_clock::now()));
  if (auto revoked = revoke.Run(); !revoked) {
    return revoked;
  }
  if (writer_->db.Changes() == 0) {
    return core::MakeError(core::Errc::kNotFound, "account '" + std::string(sid) +
                                                      "' has no active SMPP credential '" +
                                                      std::string(system_id) + "'");
  }
  keys_version_.Increment();
  return {};
}

core::Result<std::optional<SmppSecret>> SqliteStore::FindSmppCredential(
    std::string_view system_id) {
  return WithReader([&](ReadConnection& r) -> core::Result<std::optional<SmppSecret>> {
    Statement& find = r.smpp_credentials.find;
    const ScopedReset reset(find);
    find.BindText(1, system_id);
    auto row = find.Step();
    if (!row) {
      return Fail(std::move(row));
    }
    if (!*row) {
      return std::optional<SmppSecret>();
    }
    std::optional<int64_t> max_rate;
    if (!find.ColumnIsNull(3)) {
      max_rate = find.ColumnInt64(3);
    }
    std::string type = find.ColumnIsNull(4) ? std::string() : std::string(find.ColumnText(4));
    auto sources = SourcesColumn(find, 5);
    if (!sources) {
      return std::unexpected(std::move(sources.error()));
    }
    auto id_format = EnumColumn<SmppIdFormat>(find, 6, static_cast<int64_t>(SmppIdFormat::kDecimal),
                                              "SMPP id format");
    if (!id_format) {
      return Fail(std::move(id_format));
    }
    return std::optional<SmppSecret>(SmppSecret{find.ColumnText(0), find.ColumnText(1),
                                                find.ColumnText(2), max_rate, std::move(type),
                                                std::move(*sources), *id_format});
  });
}

uint64_t SqliteStore::CredentialsVersion() const { return keys_version_.Load(); }

}  // namespace smsgw::store::sqlite
