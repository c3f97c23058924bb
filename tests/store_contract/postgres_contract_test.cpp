// Runs the store contract against PostgresStore, each test in a schema of its own on the suite's
// PostgreSQL server (tests/postgres).

#include <memory>

#include "postgres/test_schema.h"
#include "store/postgres/postgres_store.h"
#include "store_contract/store_contract.h"

namespace smsgw::store_contract {
namespace {

class PostgresInstance final : public StoreInstance {
 public:
  explicit PostgresInstance(std::unique_ptr<store::postgres::PostgresStore> store)
      : store_(std::move(store)) {}
  store::AccountStore& accounts() override { return store_->accounts(); }
  store::TemplateStore& templates() override { return store_->templates(); }
  store::SenderStore& senders() override { return store_->senders(); }
  store::CallbackProfileStore& callback_profiles() override { return store_->callback_profiles(); }
  store::MessageStore& messages() override { return store_->messages(); }
  store::CountryCapStore& country_caps() override { return store_->country_caps(); }
  store::DeliveryStore& deliveries() override { return store_->deliveries(); }
  store::MessageLog& message_log() override { return store_->message_log(); }
  store::OptOutStore& opt_outs() override { return store_->opt_outs(); }
  store::InboundStore& inbound() override { return store_->inbound(); }
  store::InboundNumberStore& inbound_numbers() override { return store_->inbound_numbers(); }
  store::WebhookStore& webhooks() override { return store_->webhooks(); }
  store::SmppCredentialStore& smpp_credentials() override { return store_->smpp_credentials(); }
  store::ConsolePasswordStore& console_passwords() override { return store_->console_passwords(); }
  store::SmppOutboxStore& smpp_outbox() override { return store_->smpp_outbox(); }
  store::SmppStagingStore& smpp_staging() override { return store_->smpp_staging(); }
  store::ClusterStore& cluster() override { return store_->cluster(); }

 private:
  std::unique_ptr<store::postgres::PostgresStore> store_;
};

class PostgresBackend final : public StoreBackend {
 public:
  explicit PostgresBackend(const std::string& server_uri)
      : schema_(test_postgres::TestSchema::Create(server_uri)) {}

  core::Result<std::unique_ptr<StoreInstance>> Open() override {
    if (!schema_) {
      return std::unexpected(schema_.error());
    }
    store::postgres::PostgresStore::Options options;
    options.conninfo = (*schema_)->uri();
    options.pool_size = 4;
    options.version_poll = std::chrono::milliseconds(200);
    auto store = store::postgres::PostgresStore::Open(options);
    if (!store) {
      return std::unexpected(std::move(store.error()));
    }
    return std::make_unique<PostgresInstance>(std::move(*store));
  }

 private:
  core::Result<std::unique_ptr<test_postgres::TestSchema>> schema_;
};

ContractParam Postgres() {
  return ContractParam{"Postgres", []() -> std::unique_ptr<StoreBackend> {
                         auto server = test_postgres::TestSchema::ServerUri();
                         if (!server) {
                           return nullptr;  // not under CTest's postgres fixture: skipped
                         }
                         return std::make_unique<PostgresBackend>(*server);
                       }};
}

INSTANTIATE_TEST_SUITE_P(Postgres, AccountStoreContract, ::testing::Values(Postgres()),
                         ContractParamName);
INSTANTIATE_TEST_SUITE_P(Postgres, TemplateStoreContract, ::testing::Values(Postgres()),
                         ContractParamName);
INSTANTIATE_TEST_SUITE_P(Postgres, SenderStoreContract, ::testing::Values(Postgres()),
                         ContractParamName);
INSTANTIATE_TEST_SUITE_P(Postgres, CallbackProfileStoreContract, ::testing::Values(Postgres()),
                         ContractParamName);
INSTANTIATE_TEST_SUITE_P(Postgres, MessageStoreContract, ::testing::Values(Postgres()),
                         ContractParamName);
INSTANTIATE_TEST_SUITE_P(Postgres, CountryCapStoreContract, ::testing::Values(Postgres()),
                         ContractParamName);
INSTANTIATE_TEST_SUITE_P(Postgres, DeliveryStoreContract, ::testing::Values(Postgres()),
                         ContractParamName);
INSTANTIATE_TEST_SUITE_P(Postgres, MessageLogContract, ::testing::Values(Postgres()),
                         ContractParamName);
INSTANTIATE_TEST_SUITE_P(Postgres, WebhookStoreContract, ::testing::Values(Postgres()),
                         ContractParamName);
INSTANTIATE_TEST_SUITE_P(Postgres, OptOutStoreContract, ::testing::Values(Postgres()),
                         ContractParamName);
INSTANTIATE_TEST_SUITE_P(Postgres, InboundStoreContract, ::testing::Values(Postgres()),
                         ContractParamName);
INSTANTIATE_TEST_SUITE_P(Postgres, InboundNumberStoreContract, ::testing::Values(Postgres()),
                         ContractParamName);
INSTANTIATE_TEST_SUITE_P(Postgres, SmppCredentialStoreContract, ::testing::Values(Postgres()),
                         ContractParamName);
INSTANTIATE_TEST_SUITE_P(Postgres, ConsolePasswordStoreContract, ::testing::Values(Postgres()),
                         ContractParamName);
INSTANTIATE_TEST_SUITE_P(Postgres, SmppOutboxStoreContract, ::testing::Values(Postgres()),
                         ContractParamName);
INSTANTIATE_TEST_SUITE_P(Postgres, SmppStagingStoreContract, ::testing::Values(Postgres()),
                         ContractParamName);
INSTANTIATE_TEST_SUITE_P(Postgres, ClusterStoreContract, ::testing::Values(Postgres()),
                         ContractParamName);

}  // namespace
}  // namespace smsgw::store_contract
