#include "store/postgres/registry.h"

#include <utility>

#include "store/postgres/changes.h"
#include "store/sender_list.h"

namespace smsgw::store::postgres {
namespace {

#define SMSGW_TEMPLATE_COLUMNS "sid, template_id, name, text, type, senders, created_at, updated_at"
constexpr const char* kInsertTemplate =
    "INSERT INTO templates (" SMSGW_TEMPLATE_COLUMNS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
constexpr const char* kSelectTemplate =
    "SELECT " SMSGW_TEMPLATE_COLUMNS " FROM templates WHERE sid = $1 AND template_id = $2";
constexpr const char* kSelectTemplates =
    "SELECT " SMSGW_TEMPLATE_COLUMNS " FROM templates WHERE sid = $1 ORDER BY template_id";
// $5 says whether the type changes (to $6, which may be NULL); NULL name/text/senders keep theirs.
constexpr const char* kUpdateTemplate =
    "UPDATE templates SET name = coalesce($3, name), text = coalesce($4, text), "
    "type = CASE WHEN $5 THEN $6::INTEGER ELSE type END, senders = coalesce($7, senders), "
    "updated_at = $8 WHERE sid = $1 AND template_id = $2 RETURNING " SMSGW_TEMPLATE_COLUMNS;
#undef SMSGW_TEMPLATE_COLUMNS
constexpr const char* kDeleteTemplate = "DELETE FROM templates WHERE sid = $1 AND template_id = $2";

#define SMSGW_SENDER_COLUMNS "sid, sender, description, iso_code, entity_id, created_at, updated_at"
constexpr const char* kSelectSender =
    "SELECT " SMSGW_SENDER_COLUMNS " FROM senders WHERE sid = $1 AND sender = $2";
constexpr const char* kSelectSenders =
    "SELECT " SMSGW_SENDER_COLUMNS " FROM senders WHERE sid = $1 ORDER BY sender";
// xmax = 0 only on a row this statement inserted: tells a new sender from an updated one.
constexpr const char* kUpsertSender =
    "INSERT INTO senders (" SMSGW_SENDER_COLUMNS
    ") VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (sid, sender) DO UPDATE SET "
    "description = excluded.description, iso_code = excluded.iso_code, "
    "entity_id = excluded.entity_id, updated_at = excluded.updated_at "
    "RETURNING (xmax = 0)";
constexpr const char* kUpdateSender =
    "UPDATE senders SET description = coalesce($3, description), "
    "iso_code = coalesce($4, iso_code), entity_id = coalesce($5, entity_id), updated_at = $6 "
    "WHERE sid = $1 AND sender = $2 RETURNING " SMSGW_SENDER_COLUMNS;
#undef SMSGW_SENDER_COLUMNS
constexpr const char* kDeleteSender = "DELETE FROM senders WHERE sid = $1 AND sender = $2";

// Row `i` of `rows` (columns in SMSGW_TEMPLATE_COLUMNS order) as a Template.
core::Result<Template> ReadTemplate(const Rows& rows, int i) {
  Template t;
  if (!rows.IsNull(i, 4)) {
    const int64_t type = rows.Int(i, 4);
    if (type < 0 || type > static_cast<int64_t>(core::RouteType::kDefault)) {
      return core::MakeError(core::Errc::kInternal,
                             "stored template type " + std::to_string(type) + " is not known");
    }
    t.type = static_cast<core::RouteType>(type);
  }
  t.sid = rows.Text(i, 0);
  t.template_id = rows.Text(i, 1);
  t.name = rows.Text(i, 2);
  t.text = rows.Text(i, 3);
  t.senders = SplitSenders(rows.Text(i, 5));
  t.created_at = rows.Time(i, 6);
  t.updated_at = rows.Time(i, 7);
  return t;
}

Sender ReadSender(const Rows& rows, int i) {
  return Sender{rows.Text(i, 0), rows.Text(i, 1), rows.Text(i, 2), rows.Text(i, 3),
                rows.Text(i, 4), rows.Time(i, 5), rows.Time(i, 6)};
}

std::string NoTemplate(std::string_view sid, std::string_view template_id) {
  return "account '" + std::string(sid) + "' has no template '" + std::string(template_id) + "'";
}

std::string NoSender(std::string_view sid, std::string_view sender) {
  return "account '" + std::string(sid) + "' has no sender '" + std::string(sender) + "'";
}

// The rows of a listing, read by `read`, when the account exists (`account`).
template <class T, class Read>
core::Result<std::vector<T>> ReadList(core::Result<void> account, core::Result<Rows> rows,
                                      Read read) {
  if (!account) {
    return Fail(std::move(account));
  }
  if (!rows) {
    return Fail(std::move(rows));
  }
  std::vector<T> out;
  for (int i = 0; i < rows->rows(); ++i) {
    auto item = read(*rows, i);
    if (!item) {
      return Fail(std::move(item));
    }
    out.push_back(std::move(*item));
  }
  return out;
}

}  // namespace

core::Result<void> Registry::CreateTemplate(const Template& t) {
  return Changing(pool_, versions_, CacheVersions::kRegistry,
                  [&](Connection& conn) -> core::Result<void> {
                    if (auto account = LockAccount(conn, t.sid); !account) {
                      return account;
                    }
                    Params params;
                    params.Text(t.sid).Text(t.template_id).Text(t.name).Text(t.text);
                    params.OptInt(t.type ? std::optional<int64_t>(static_cast<int64_t>(*t.type))
                                         : std::nullopt);
                    params.Text(JoinSenders(t.senders)).Time(t.created_at).Time(t.updated_at);
                    auto inserted = conn.Exec(kInsertTemplate, params);
                    if (!inserted) {
                      if (inserted.error().code == core::Errc::kConflict) {
                        return core::MakeError(
                            core::Errc::kConflict,
                            "account '" + t.sid + "' already has template '" + t.template_id + "'");
                      }
                      return Fail(std::move(inserted));
                    }
                    return {};
                  });
}

core::Result<Template> Registry::GetTemplate(std::string_view sid, std::string_view template_id) {
  auto rows = pool_.Read(kSelectTemplate, Params().Text(sid).Text(template_id));
  if (!rows) {
    return Fail(std::move(rows));
  }
  if (rows->rows() == 0) {
    return core::MakeError(core::Errc::kNotFound, NoTemplate(sid, template_id));
  }
  return ReadTemplate(*rows, 0);
}

core::Result<std::vector<Template>> Registry::ListTemplates(std::string_view sid) {
  // Two statements, not one transaction: a template listed for an account deleted in between is
  // the same answer as a listing just before the deletion.
  auto account = CheckAccount(pool_, sid);
  return ReadList<Template>(std::move(account), pool_.Read(kSelectTemplates, Params().Text(sid)),
                            ReadTemplate);
}

core::Result<Template> Registry::UpdateTemplate(std::string_view sid, std::string_view template_id,
                                                const TemplateChange& change, core::TimePoint now) {
  Params params;
  params.Text(sid).Text(template_id).OptText(change.name).OptText(change.text);
  params.Bool(change.type.has_value());
  params.OptInt(change.type && *change.type
                    ? std::optional<int64_t>(static_cast<int64_t>(**change.type))
                    : std::nullopt);
  params.OptText(change.senders ? std::optional<std::string>(JoinSenders(*change.senders))
                                : std::nullopt);
  params.Time(now);
  return Changing(pool_, versions_, CacheVersions::kRegistry,
                  [&](Connection& conn) -> core::Result<Template> {
                    auto updated = conn.Exec(kUpdateTemplate, params);
                    if (!updated) {
                      return Fail(std::move(updated));
                    }
                    if (updated->rows() == 0) {
                      return core::MakeError(core::Errc::kNotFound, NoTemplate(sid, template_id));
                    }
                    return ReadTemplate(*updated, 0);
                  });
}

core::Result<void> Registry::DeleteTemplate(std::string_view sid, std::string_view template_id) {
  return ChangeOne(pool_, versions_, CacheVersions::kRegistry, kDeleteTemplate,
                   Params().Text(sid).Text(template_id), NoTemplate(sid, template_id));
}

core::Result<std::vector<RegisterOutcome>> Registry::RegisterSenders(
    std::string_view sid, std::span<const Sender> senders, core::TimePoint now) {
  if (senders.empty()) {
    // Nothing changes, so the version stays; the account must still exist.
    if (auto account = CheckAccount(pool_, sid); !account) {
      return Fail(std::move(account));
    }
    return std::vector<RegisterOutcome>();
  }
  return Changing(pool_, versions_, CacheVersions::kRegistry,
                  [&](Connection& conn) -> core::Result<std::vector<RegisterOutcome>> {
                    if (auto account = LockAccount(conn, sid); !account) {
                      return Fail(std::move(account));
                    }
                    std::vector<RegisterOutcome> outcomes;
                    outcomes.reserve(senders.size());
                    for (const Sender& sender : senders) {
                      auto upserted = conn.Exec(kUpsertSender, Params()
                                                                   .Text(sid)
                                                                   .Text(sender.sender)
                                                                   .Text(sender.description)
                                                                   .Text(sender.iso_code)
                                                                   .Text(sender.entity_id)
                                                                   .Time(now));
                      if (!upserted) {
                        return Fail(std::move(upserted));
                      }
                      outcomes.push_back(upserted->Bool(0, 0) ? RegisterOutcome::kCreated
                                                              : RegisterOutcome::kUpdated);
                    }
                    return outcomes;
                  });
}

core::Result<Sender> Registry::GetSender(std::string_view sid, std::string_view sender) {
  auto rows = pool_.Read(kSelectSender, Params().Text(sid).Text(sender));
  if (!rows) {
    return Fail(std::move(rows));
  }
  if (rows->rows() == 0) {
    return core::MakeError(core::Errc::kNotFound, NoSender(sid, sender));
  }
  return ReadSender(*rows, 0);
}

core::Result<std::vector<Sender>> Registry::ListSenders(std::string_view sid) {
  auto account = CheckAccount(pool_, sid);
  return ReadList<Sender>(
      std::move(account), pool_.Read(kSelectSenders, Params().Text(sid)),
      [](const Rows& rows, int i) -> core::Result<Sender> { return ReadSender(rows, i); });
}

core::Result<Sender> Registry::UpdateSender(std::string_view sid, std::string_view sender,
                                            const SenderChange& change, core::TimePoint now) {
  Params params;
  params.Text(sid).Text(sender).OptText(change.description).OptText(change.iso_code);
  params.OptText(change.entity_id).Time(now);
  return Changing(pool_, versions_, CacheVersions::kRegistry,
                  [&](Connection& conn) -> core::Result<Sender> {
                    auto updated = conn.Exec(kUpdateSender, params);
                    if (!updated) {
                      return Fail(std::move(updated));
                    }
                    if (updated->rows() == 0) {
                      return core::MakeError(core::Errc::kNotFound, NoSender(sid, sender));
                    }
                    return ReadSender(*updated, 0);
                  });
}

core::Result<void> Registry::DeleteSender(std::string_view sid, std::string_view sender) {
  return ChangeOne(pool_, versions_, CacheVersions::kRegistry, kDeleteSender,
                   Params().Text(sid).Text(sender), NoSender(sid, sender));
}

}  // namespace smsgw::store::postgres
