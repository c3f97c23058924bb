#pragma once
// The contract suite every store implementation (MessageStore, AccountStore, TemplateStore,
// SenderStore, DeliveryStore, MessageLog, InboundStore, WebhookStore, CallbackProfileStore,
// InboundNumberStore, ClusterStore) must pass. The cases live in this library
// (message_store_contract.cpp, account_store_contract.cpp, registry_store_contract.cpp,
// delivery_store_contract.cpp, message_log_contract.cpp, inbound_store_contract.cpp,
// webhook_store_contract.cpp, callback_profile_contract.cpp, inbound_number_contract.cpp,
// cluster_contract.cpp); an implementation runs them by
// providing a StoreBackend and instantiating every suite in its own *_contract_test.cpp:
//
//   namespace smsgw::store_contract {
//   SMSGW_INSTANTIATE_STORE_CONTRACT(Sqlite, (ContractParam{"Sqlite", [] { return ...; }}));
//   }
//
// Each test gets a fresh, empty backend (a temp dir, a new database) and may open it several
// times, at once or one after another, as separate processes sharing the store would.

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "core/message.h"
#include "core/result.h"
#include "store/account_store.h"
#include "store/callback_profile_store.h"
#include "store/cluster_store.h"
#include "store/console_password_store.h"
#include "store/country_cap_store.h"
#include "store/delivery_store.h"
#include "store/inbound_number_store.h"
#include "store/inbound_store.h"
#include "store/message_log.h"
#include "store/message_store.h"
#include "store/opt_out_store.h"
#include "store/sender_store.h"
#include "store/smpp_credential_store.h"
#include "store/smpp_outbox_store.h"
#include "store/smpp_staging_store.h"
#include "store/template_store.h"
#include "store/webhook_store.h"

namespace smsgw::store_contract {

// One open instance of the store under test (one connection set, as one process holds).
class StoreInstance {
 public:
  virtual ~StoreInstance() = default;
  virtual store::MessageStore& messages() = 0;
  virtual store::AccountStore& accounts() = 0;
  virtual store::TemplateStore& templates() = 0;
  virtual store::SenderStore& senders() = 0;
  virtual store::DeliveryStore& deliveries() = 0;
  virtual store::MessageLog& message_log() = 0;
  virtual store::InboundStore& inbound() = 0;
  virtual store::WebhookStore& webhooks() = 0;
  virtual store::CallbackProfileStore& callback_profiles() = 0;
  virtual store::InboundNumberStore& inbound_numbers() = 0;
  virtual store::OptOutStore& opt_outs() = 0;
  virtual store::CountryCapStore& country_caps() = 0;
  virtual store::SmppOutboxStore& smpp_outbox() = 0;
  virtual store::SmppStagingStore& smpp_staging() = 0;
  virtual store::SmppCredentialStore& smpp_credentials() = 0;
  virtual store::ConsolePasswordStore& console_passwords() = 0;
  virtual store::ClusterStore& cluster() = 0;
};

// One test's data: created empty, shared by every instance Open() returns, and removed when the
// backend is destroyed.
class StoreBackend {
 public:
  virtual ~StoreBackend() = default;
  virtual core::Result<std::unique_ptr<StoreInstance>> Open() = 0;
};

struct ContractParam {
  std::string name;  // suffix of the test names: "Sqlite", "Postgres"
  // A fresh backend, or nullptr when this implementation cannot run here (e.g. no PostgreSQL
  // server in this environment): the tests are then skipped, not failed.
  std::function<std::unique_ptr<StoreBackend>()> make_backend;
};

class StoreContractTest : public ::testing::TestWithParam<ContractParam> {
 protected:
  void SetUp() override;

  // Another instance on this test's store. Fails the test (and returns null) if it cannot open.
  std::unique_ptr<StoreInstance> OpenAnother();
  // Closes the test's main instance and opens it again (a process restart).
  void Reopen();

  store::MessageStore& messages() { return store_->messages(); }
  store::AccountStore& accounts() { return store_->accounts(); }
  store::TemplateStore& templates() { return store_->templates(); }
  store::SenderStore& senders() { return store_->senders(); }
  store::DeliveryStore& deliveries() { return store_->deliveries(); }
  store::MessageLog& message_log() { return store_->message_log(); }
  store::InboundStore& inbound() { return store_->inbound(); }
  store::WebhookStore& webhooks() { return store_->webhooks(); }
  store::CallbackProfileStore& callback_profiles() { return store_->callback_profiles(); }
  store::InboundNumberStore& inbound_numbers() { return store_->inbound_numbers(); }
  store::OptOutStore& opt_outs() { return store_->opt_outs(); }
  store::CountryCapStore& country_caps() { return store_->country_caps(); }
  store::SmppOutboxStore& smpp_outbox() { return store_->smpp_outbox(); }
  store::SmppStagingStore& smpp_staging() { return store_->smpp_staging(); }
  store::SmppCredentialStore& smpp_credentials() { return store_->smpp_credentials(); }
  store::ConsolePasswordStore& console_passwords() { return store_->console_passwords(); }
  store::ClusterStore& cluster() { return store_->cluster(); }

  std::unique_ptr<StoreBackend> backend_;
  std::unique_ptr<StoreInstance> store_;
};

class MessageStoreContract : public StoreContractTest {};
class AccountStoreContract : public StoreContractTest {};
class TemplateStoreContract : public StoreContractTest {};
class SenderStoreContract : public StoreContractTest {};
class DeliveryStoreContract : public StoreContractTest {};
class MessageLogContract : public StoreContractTest {};
class InboundStoreContract : public StoreContractTest {};
class WebhookStoreContract : public StoreContractTest {};
class CallbackProfileStoreContract : public StoreContractTest {};
class InboundNumberStoreContract : public StoreContractTest {};
class OptOutStoreContract : public StoreContractTest {};
class CountryCapStoreContract : public StoreContractTest {};
class SmppOutboxStoreContract : public StoreContractTest {};
class SmppStagingStoreContract : public StoreContractTest {};
class SmppCredentialStoreContract : public StoreContractTest {};
class ConsolePasswordStoreContract : public StoreContractTest {};
class ClusterStoreContract : public StoreContractTest {};

std::string ContractParamName(const ::testing::TestParamInfo<ContractParam>& info);
// Lets gtest print a parameter as its name rather than as bytes.
void PrintTo(const ContractParam& param, std::ostream* os);

// Runs `a` and `b` at the same moment on two threads: what two nodes do at once, for the
// two-instance cases that a store deciding without a lock fails.
void AtOnce(const std::function<void()>& a, const std::function<void()>& b);

// Whether `condition` holds within `within`, checking it every few milliseconds: what another
// instance sees of a change (a cache version) need only show within 1 s (store/account_store.h).
bool Eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds within = std::chrono::seconds(1));

// A whole-millisecond time (stores keep milliseconds), `offset_ms` after a fixed instant.
core::TimePoint TestTime(int64_t offset_ms = 0);

// A message for `sid` with the given id, every other field filled in with ordinary values.
core::Message TestMessage(std::string id, std::string sid = "HXIN0000000001IN");

// Message `id` of `sid` with every stored field, read back through MessageLog::GetDetail (the
// interfaces' one read of a whole message): kNotFound for an unknown id or another account's.
core::Result<core::Message> StoredMessage(store::MessageLog& log, std::string_view sid,
                                          std::string_view id);

}  // namespace smsgw::store_contract

// Runs every contract suite against one implementation. `param` is a parenthesised ContractParam.
// Expand it inside namespace smsgw::store_contract: gtest pastes the suite names into identifiers,
// so they cannot be qualified.
#define SMSGW_INSTANTIATE_STORE_CONTRACT(prefix, param)                                   \
  INSTANTIATE_TEST_SUITE_P(prefix, MessageStoreContract, ::testing::Values param,         \
                           ::smsgw::store_contract::ContractParamName);                   \
  INSTANTIATE_TEST_SUITE_P(prefix, AccountStoreContract, ::testing::Values param,         \
                           ::smsgw::store_contract::ContractParamName);                   \
  INSTANTIATE_TEST_SUITE_P(prefix, TemplateStoreContract, ::testing::Values param,        \
                           ::smsgw::store_contract::ContractParamName);                   \
  INSTANTIATE_TEST_SUITE_P(prefix, SenderStoreContract, ::testing::Values param,          \
                           ::smsgw::store_contract::ContractParamName);                   \
  INSTANTIATE_TEST_SUITE_P(prefix, DeliveryStoreContract, ::testing::Values param,        \
                           ::smsgw::store_contract::ContractParamName);                   \
  INSTANTIATE_TEST_SUITE_P(prefix, MessageLogContract, ::testing::Values param,           \
                           ::smsgw::store_contract::ContractParamName);                   \
  INSTANTIATE_TEST_SUITE_P(prefix, InboundStoreContract, ::testing::Values param,         \
                           ::smsgw::store_contract::ContractParamName);                   \
  INSTANTIATE_TEST_SUITE_P(prefix, WebhookStoreContract, ::testing::Values param,         \
                           ::smsgw::store_contract::ContractParamName);                   \
  INSTANTIATE_TEST_SUITE_P(prefix, CallbackProfileStoreContract, ::testing::Values param, \
                           ::smsgw::store_contract::ContractParamName);                   \
  INSTANTIATE_TEST_SUITE_P(prefix, InboundNumberStoreContract, ::testing::Values param,   \
                           ::smsgw::store_contract::ContractParamName);                   \
  INSTANTIATE_TEST_SUITE_P(prefix, OptOutStoreContract, ::testing::Values param,          \
                           ::smsgw::store_contract::ContractParamName);                   \
  INSTANTIATE_TEST_SUITE_P(prefix, CountryCapStoreContract, ::testing::Values param,      \
                           ::smsgw::store_contract::ContractParamName);                   \
  INSTANTIATE_TEST_SUITE_P(prefix, SmppOutboxStoreContract, ::testing::Values param,      \
                           ::smsgw::store_contract::ContractParamName);                   \
  INSTANTIATE_TEST_SUITE_P(prefix, SmppStagingStoreContract, ::testing::Values param,     \
                           ::smsgw::store_contract::ContractParamName);                   \
  INSTANTIATE_TEST_SUITE_P(prefix, SmppCredentialStoreContract, ::testing::Values param,  \
                           ::smsgw::store_contract::ContractParamName);                   \
  INSTANTIATE_TEST_SUITE_P(prefix, ConsolePasswordStoreContract, ::testing::Values param, \
                           ::smsgw::store_contract::ContractParamName);                   \
  INSTANTIATE_TEST_SUITE_P(prefix, ClusterStoreContract, ::testing::Values param,         \
                           ::smsgw::store_contract::ContractParamName)
