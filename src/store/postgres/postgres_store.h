#pragma once
// PostgresStore is the shared store for several nodes (issue 15): the store interfaces over one
// PostgreSQL database through libpq, so that any number of `smsgw` processes on any hosts share
// it. It owns what every part shares (a pool of connections, and the listener of cache versions,
// cache_versions.h) and one object per store interface; every method of those is safe from any
// thread and blocks on one pooled connection at a time.
//
// Every store interface is built (src/store/postgres/README.md lists the files). Only
// app/wiring.cpp ([store] url) and tests name this class.

#include <chrono>
#include <memory>
#include <string>

#include "core/result.h"
#include "store/postgres/accounts.h"
#include "store/postgres/cache_versions.h"
#include "store/postgres/callback_profiles.h"
#include "store/postgres/cluster.h"
#include "store/postgres/console_passwords.h"
#include "store/postgres/country_caps.h"
#include "store/postgres/delivery.h"
#include "store/postgres/delivery_stats.h"
#include "store/postgres/inbound.h"
#include "store/postgres/inbound_numbers.h"
#include "store/postgres/message_log.h"
#include "store/postgres/messages.h"
#include "store/postgres/operations.h"
#include "store/postgres/opt_outs.h"
#include "store/postgres/outbox.h"
#include "store/postgres/pool.h"
#include "store/postgres/registry.h"
#include "store/postgres/smpp_credentials.h"
#include "store/postgres/smpp_outbox.h"
#include "store/postgres/smpp_staging.h"
#include "store/postgres/webhooks.h"

namespace smsgw::store::postgres {

class PostgresStore {
 public:
  struct Options {
    std::string conninfo;  // a libpq connection string or postgresql:// URI
    size_t pool_size = 8;
    std::chrono::milliseconds statement_timeout{30'000};
    // How often the cache versions are read when no notification arrives: the longest another
    // node's key or registry change stays unseen (AccountStore::KeysVersion()).
    std::chrono::milliseconds version_poll{500};
  };

  // Connects, applies pending schema migrations (migrations.h) and starts the version listener.
  // kUnavailable when the server cannot be reached; kInvalidArgument for a schema written by a
  // newer smsgw.
  static core::Result<std::unique_ptr<PostgresStore>> Open(const Options& options);

  AccountStore& accounts() { return accounts_; }
  TemplateStore& templates() { return registry_; }
  SenderStore& senders() { return registry_; }
  CallbackProfileStore& callback_profiles() { return callback_profiles_; }
  MessageStore& messages() { return messages_; }
  CountryCapStore& country_caps() { return country_caps_; }
  DeliveryStore& deliveries() { return delivery_; }
  MessageLog& message_log() { return message_log_; }
  OptOutStore& opt_outs() { return opt_outs_; }
  InboundStore& inbound() { return inbound_; }
  InboundNumberStore& inbound_numbers() { return inbound_numbers_; }
  SmppCredentialStore& smpp_credentials() { return smpp_credentials_; }
  SmppOutboxStore& smpp_outbox() { return smpp_outbox_; }
  SmppStagingStore& smpp_staging() { return smpp_staging_; }
  ConsolePasswordStore& console_passwords() { return console_passwords_; }
  WebhookStore& webhooks() { return webhooks_; }
  DeliveryStats& delivery_stats() { return delivery_stats_; }
  OperationsStore& operations() { return operations_; }
  ClusterStore& cluster() { return cluster_; }

 private:
  PostgresStore(const Options& options, std::unique_ptr<CacheVersions> versions);

  Pool pool_;
  std::unique_ptr<CacheVersions> versions_;
  OutboxState outbox_state_;  // the WebhookHandoff set, for every write that settles statuses
  Accounts accounts_;
  Registry registry_;
  CallbackProfiles callback_profiles_;
  Messages messages_;
  CountryCaps country_caps_;
  Delivery delivery_;
  MessageLogReader message_log_;
  OptOuts opt_outs_;
  Inbound inbound_;
  InboundNumbers inbound_numbers_;
  SmppCredentials smpp_credentials_;
  SmppOutbox smpp_outbox_;
  SmppStaging smpp_staging_;
  ConsolePasswords console_passwords_;
  Webhooks webhooks_;
  DeliveryStatsReader delivery_stats_;
  Operations operations_;
  Cluster cluster_;
};

}  // namespace smsgw::store::postgres
