#pragma once
// PostgresStore is the shared store for several nodes (issue 15): the store interfaces over one
// PostgreSQL database through libpq, so that any number of `smsgw` processes on any hosts share
// it. It owns what every part shares (a pool of connections, and the listener of cache versions,
// cache_versions.h) and one object per store interface; every method of those is safe from any
// thread and blocks on one pooled connection at a time.
//
// Built so far: AccountStore (accounts.h), TemplateStore and SenderStore (registry.h),
// MessageStore (messages.h), CallbackProfileStore (callback_profiles.h), CountryCapStore
// (country_caps.h), MessageLog (message_log.h), OptOutStore (opt_outs.h), DeliveryStore
// (delivery.h). The inbound, webhook and SMPP stores and DeliveryStats follow
// (src/store/postgres/README.md); until they exist `serve` cannot run on PostgreSQL and app/ does
// not name this class. Only tests name it.

#include <chrono>
#include <memory>
#include <string>

#include "core/result.h"
#include "store/postgres/accounts.h"
#include "store/postgres/cache_versions.h"
#include "store/postgres/callback_profiles.h"
#include "store/postgres/country_caps.h"
#include "store/postgres/delivery.h"
#include "store/postgres/message_log.h"
#include "store/postgres/messages.h"
#include "store/postgres/opt_outs.h"
#include "store/postgres/pool.h"
#include "store/postgres/registry.h"

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

 private:
  PostgresStore(const Options& options, std::unique_ptr<CacheVersions> versions);

  Pool pool_;
  std::unique_ptr<CacheVersions> versions_;
  Accounts accounts_;
  Registry registry_;
  CallbackProfiles callback_profiles_;
  Messages messages_;
  CountryCaps country_caps_;
  Delivery delivery_;
  MessageLogReader message_log_;
  OptOuts opt_outs_;
};

}  // namespace smsgw::store::postgres
