#pragma once
// The composition root: the only place that names concrete classes (SqliteStore, or
// PostgresStore when [store] url is set). Everything else sees the store interfaces.

#include <memory>

#include "app/settings.h"
#include "core/result.h"
#include "store/account_store.h"
#include "store/callback_profile_store.h"
#include "store/cluster_store.h"
#include "store/console_password_store.h"
#include "store/country_cap_store.h"
#include "store/delivery_stats.h"
#include "store/delivery_store.h"
#include "store/inbound_number_store.h"
#include "store/inbound_store.h"
#include "store/message_log.h"
#include "store/message_store.h"
#include "store/operations_store.h"
#include "store/opt_out_store.h"
#include "store/sender_store.h"
#include "store/smpp_credential_store.h"
#include "store/smpp_outbox_store.h"
#include "store/smpp_staging_store.h"
#include "store/template_store.h"
#include "store/webhook_store.h"

namespace smsgw::app {

// One store object serves every interface; `owner` keeps it alive.
struct OpenedStore {
  std::shared_ptr<void> owner;
  store::MessageStore* messages = nullptr;
  store::AccountStore* accounts = nullptr;
  store::TemplateStore* templates = nullptr;
  store::SenderStore* senders = nullptr;
  store::DeliveryStore* delivery = nullptr;
  store::MessageLog* log = nullptr;
  store::InboundStore* inbound = nullptr;
  store::CallbackProfileStore* callback_profiles = nullptr;
  store::InboundNumberStore* inbound_numbers = nullptr;
  store::OptOutStore* opt_outs = nullptr;
  store::CountryCapStore* country_caps = nullptr;
  store::SmppCredentialStore* smpp_credentials = nullptr;
  store::SmppOutboxStore* smpp_outbox = nullptr;
  store::SmppStagingStore* smpp_staging = nullptr;
  store::WebhookStore* webhooks = nullptr;
  store::OperationsStore* operations = nullptr;
  store::DeliveryStats* delivery_stats = nullptr;
  store::ConsolePasswordStore* console_passwords = nullptr;
  store::ClusterStore* cluster = nullptr;
  // Only one serve may use the store (SQLite, one file): Serve holds a lock beside it.
  bool single_node = false;
};

core::Result<OpenedStore> OpenStore(const Settings& settings);

// `smsgw serve`: runs until SIGINT/SIGTERM, then stops gracefully. Returns the exit code.
int Serve(const Settings& settings);

}  // namespace smsgw::app
