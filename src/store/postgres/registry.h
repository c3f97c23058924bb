#pragma once
// TemplateStore and SenderStore on PostgreSQL. A template's senders are kept as one
// comma-separated column (store/sender_list.h). Both registries share the registry cache version
// (cache_versions.h), bumped in the transaction of every change.

#include "store/postgres/cache_versions.h"
#include "store/postgres/pool.h"
#include "store/sender_store.h"
#include "store/template_store.h"

namespace smsgw::store::postgres {

class Registry final : public TemplateStore, public SenderStore {
 public:
  Registry(Pool& pool, CacheVersions& versions) : pool_(pool), versions_(versions) {}

  core::Result<void> CreateTemplate(const Template& t) override;
  core::Result<Template> GetTemplate(std::string_view sid, std::string_view template_id) override;
  core::Result<std::vector<Template>> ListTemplates(std::string_view sid) override;
  core::Result<Template> UpdateTemplate(std::string_view sid, std::string_view template_id,
                                        const TemplateChange& change, core::TimePoint now) override;
  core::Result<void> DeleteTemplate(std::string_view sid, std::string_view template_id) override;
  uint64_t TemplatesVersion() const override { return versions_.Load(CacheVersions::kRegistry); }

  core::Result<std::vector<RegisterOutcome>> RegisterSenders(std::string_view sid,
                                                             std::span<const Sender> senders,
                                                             core::TimePoint now) override;
  core::Result<Sender> GetSender(std::string_view sid, std::string_view sender) override;
  core::Result<std::vector<Sender>> ListSenders(std::string_view sid) override;
  core::Result<Sender> UpdateSender(std::string_view sid, std::string_view sender,
                                    const SenderChange& change, core::TimePoint now) override;
  core::Result<void> DeleteSender(std::string_view sid, std::string_view sender) override;
  uint64_t SendersVersion() const override { return versions_.Load(CacheVersions::kRegistry); }

 private:
  Pool& pool_;
  CacheVersions& versions_;
};

}  // namespace smsgw::store::postgres
