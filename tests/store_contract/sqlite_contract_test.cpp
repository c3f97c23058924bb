// Runs the store contract against SqliteStore, each test on a new database file in a temp dir.

#include <memory>

#include "fakes/temp_dir.h"
#include "store/sqlite/sqlite_store.h"
#include "store_contract/store_contract.h"

namespace smsgw::store_contract {
namespace {

class SqliteInstance final : public StoreInstance {
 public:
  explicit SqliteInstance(std::unique_ptr<store::sqlite::SqliteStore> store)
      : store_(std::move(store)) {}
  store::MessageStore& messages() override { return *store_; }
  store::AccountStore& accounts() override { return *store_; }
  store::TemplateStore& templates() override { return *store_; }
  store::SenderStore& senders() override { return *store_; }
  store::DeliveryStore& deliveries() override { return *store_; }
  store::MessageLog& message_log() override { return *store_; }
  store::InboundStore& inbound() override { return *store_; }
  store::WebhookStore& webhooks() override { return *store_; }
  store::CallbackProfileStore& callback_profiles() override { return *store_; }
  store::InboundNumberStore& inbound_numbers() override { return *store_; }
  store::OptOutStore& opt_outs() override { return *store_; }
  store::CountryCapStore& country_caps() override { return *store_; }
  store::SmppOutboxStore& smpp_outbox() override { return *store_; }
  store::SmppStagingStore& smpp_staging() override { return *store_; }
  store::SmppCredentialStore& smpp_credentials() override { return *store_; }
  store::ConsolePasswordStore& console_passwords() override { return *store_; }
  store::ClusterStore& cluster() override { return *store_; }

 private:
  std::unique_ptr<store::sqlite::SqliteStore> store_;
};

class SqliteBackend final : public StoreBackend {
 public:
  core::Result<std::unique_ptr<StoreInstance>> Open() override {
    auto store = store::sqlite::SqliteStore::Open(dir_.File("smsgw.db"));
    if (!store) {
      return std::unexpected(std::move(store.error()));
    }
    return std::make_unique<SqliteInstance>(std::move(*store));
  }

 private:
  fakes::TempDir dir_;
};

SMSGW_INSTANTIATE_STORE_CONTRACT(Sqlite, (ContractParam{"Sqlite", [] {
                                                          return std::make_unique<SqliteBackend>();
                                                        }}));

}  // namespace
}  // namespace smsgw::store_contract
