#include "app/wiring.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <limits>
#include <optional>
#include <thread>
#include <vector>

#include "admin/admin_handler.h"
#include "admin/metrics_page.h"
#include "api/api_handler.h"
#include "api/asio.h"
#include "api/authenticator.h"
#include "api/http_server.h"
#include "api/registry_cache.h"
#include "api/tls.h"
#include "app/accounts.h"
#include "app/delivery_runtime.h"
#include "app/logging.h"
#include "app/node_id_check.h"
#include "app/owner_name.h"
#include "app/webhook_runtime.h"
#include "config/endpoint.h"
#include "console/console_handler.h"
#include "console/sessions.h"
#include "core/thread_name.h"
#include "smpp_server/server.h"
#include "store/group_committer.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace smsgw::app {
namespace {

namespace asio = boost::asio;

constexpr auto kDrainDeadline = std::chrono::seconds(10);

// "http://host:port", or https when the API has TLS.
std::string BaseUrl(const Settings& settings, uint16_t port) {
  return (settings.config.server.tls_cert.empty() ? "http://" : "https://") +
         config::FormatEndpoint({settings.config.server.listen.host, port});
}

// First start: make the gateway usable at once, and say how.
core::Result<void> AnnounceAccount(store::AccountStore& accounts, const Settings& settings,
                                   uint16_t port) {
  auto existing = accounts.ListAccounts();
  if (!existing) {
    return std::unexpected(existing.error());
  }
  const std::string base = BaseUrl(settings, port);
  if (!existing->empty()) {
    std::cout << "Account SID: " << existing->front().sid << "\n";
    return {};
  }
  auto created = CreateAccountWithKey(accounts, "default", settings.config.region);
  if (!created) {
    return std::unexpected(created.error());
  }
  std::cout << "Created the first account (the API key is shown only this once):\n"
            << "  SID:     " << created->sid << "\n"
            << "  API key: " << created->api_key << "\n"
            << "Send a message:\n"
            << "  curl -X POST " << base << "/v1/" << created->sid
            << "/messages -H 'api-key: " << created->api_key
            << "' -H 'Content-Type: application/json' -d "
            << "'{\"to\":\"+919876543210\",\"sender\":\"SMSGW\",\"body\":\"Hello from smsgw\"}'\n";
  if (core::RulesFor(settings.config.region).dlt_enforced) {
    std::cout << "Region " << core::ToString(settings.config.region)
              << " (DLT): register the sender and a template first, then add \"template_id\":\n"
              << "  smsgw sender add --sid " << created->sid
              << " --sender SMSGW --entity-id <DLT entity id>\n"
              << "  smsgw template add --sid " << created->sid
              << " --template-id <DLT template id> --text 'Hello from smsgw' --sender SMSGW\n";
  }
  return {};
}

// An exclusive flock on a file beside the database, held for the life of the process.
class ServeLock {
 public:
  ServeLock() = default;
  static core::Result<ServeLock> Acquire(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      return core::MakeError(core::Errc::kUnavailable,
                             path + ": cannot open: " + std::strerror(errno));
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd);
      return core::MakeError(core::Errc::kUnavailable,
                             "another smsgw serve is using this database (" + path + " is locked)");
    }
    ServeLock lock;
    lock.fd_ = fd;
    return lock;
  }
  ServeLock(ServeLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  ServeLock& operator=(ServeLock&& other) noexcept {
    std::swap(fd_, other.fd_);
    return *this;
  }
  ~ServeLock() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }

 private:
  int fd_ = -1;
};

// Raises the soft descriptor limit to the hard one (the default soft 1024 is a few hundred idle
// sockets from "Too many open files") and returns the soft limit now in force.
uint64_t RaiseDescriptorLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return 1024;
  }
  if (limit.rlim_cur != limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) {
      limit = raised;
    }
  }
  return limit.rlim_cur == RLIM_INFINITY ? std::numeric_limits<uint32_t>::max() : limit.rlim_cur;
}

// The admin listener serves a few operators' scrapers and probes: small caps.
api::HttpLimits AdminLimits() {
  api::HttpLimits limits;
  limits.max_body_bytes = 1024;
  limits.max_bulk_body_bytes = 1024;
  limits.max_connections = 64;
  limits.max_connections_per_source = 64;
  return limits;
}

api::HttpLimits HttpLimitsFor(const config::Config& config) {
  api::HttpLimits limits;
  limits.max_body_bytes = config.limits.max_body_bytes;
  limits.max_bulk_body_bytes = api::kMaxSenderRegistrationBodyBytes;
  limits.header_timeout = config.server.header_timeout;
  const uint64_t descriptors = RaiseDescriptorLimit();
  limits.max_connections = api::ConnectionCapFor(config.server.max_connections, descriptors);
  limits.max_connections_per_source =
      std::min(config.server.max_connections_per_source, limits.max_connections);
  if (limits.max_connections < config.server.max_connections) {
    SPDLOG_WARN("at most {} HTTP connections (descriptor limit {}; [server] max_connections {})",
                limits.max_connections, descriptors, config.server.max_connections);
  }
  return limits;
}

}  // namespace

namespace {

core::Result<OpenedStore> OpenPostgres(const config::StoreConfig& config) {
  store::postgres::PostgresStore::Options options;
  options.conninfo = config.url;
  options.pool_size = static_cast<size_t>(config.pool_size);
  options.statement_timeout = config.statement_timeout;
  auto opened = store::postgres::PostgresStore::Open(options);
  if (!opened) {
    return std::unexpected(opened.error());
  }
  std::shared_ptr<store::postgres::PostgresStore> pg = std::move(*opened);
  OpenedStore out;
  out.messages = &pg->messages();
  out.accounts = &pg->accounts();
  out.templates = &pg->templates();
  out.senders = &pg->senders();
  out.delivery = &pg->deliveries();
  out.log = &pg->message_log();
  out.inbound = &pg->inbound();
  out.callback_profiles = &pg->callback_profiles();
  out.inbound_numbers = &pg->inbound_numbers();
  out.opt_outs = &pg->opt_outs();
  out.country_caps = &pg->country_caps();
  out.smpp_credentials = &pg->smpp_credentials();
  out.smpp_outbox = &pg->smpp_outbox();
  out.smpp_staging = &pg->smpp_staging();
  out.webhooks = &pg->webhooks();
  out.operations = &pg->operations();
  out.delivery_stats = &pg->delivery_stats();
  out.console_passwords = &pg->console_passwords();
  out.cluster = &pg->cluster();
  out.owner = std::move(pg);
  return out;
}

}  // namespace

core::Result<OpenedStore> OpenStore(const Settings& settings) {
  if (settings.postgres()) {
    return OpenPostgres(settings.config.store);
  }
  auto opened = store::sqlite::SqliteStore::Open(settings.db_path);
  if (!opened) {
    return std::unexpected(opened.error());
  }
  std::shared_ptr<store::sqlite::SqliteStore> sqlite = std::move(*opened);
  OpenedStore out;
  out.messages = sqlite.get();
  out.accounts = sqlite.get();
  out.templates = sqlite.get();
  out.senders = sqlite.get();
  out.delivery = sqlite.get();
  out.log = sqlite.get();
  out.inbound = sqlite.get();
  out.callback_profiles = sqlite.get();
  out.inbound_numbers = sqlite.get();
  out.opt_outs = sqlite.get();
  out.country_caps = sqlite.get();
  out.smpp_credentials = sqlite.get();
  out.smpp_outbox = sqlite.get();
  out.smpp_staging = sqlite.get();
  out.webhooks = sqlite.get();
  out.operations = sqlite.get();
  out.delivery_stats = sqlite.get();
  out.console_passwords = sqlite.get();
  out.cluster = sqlite.get();
  out.single_node = true;
  out.owner = std::move(sqlite);
  return out;
}

int Serve(const Settings& settings) {
  auto log = LogOutput::Configure(settings.config.log);
  if (!log) {
    std::cerr << "smsgw: " << log.error().message << "\n";
    return 1;
  }
  auto opened = OpenStore(settings);
  if (!opened) {
    std::cerr << "smsgw: " << settings.store_label() << ": " << opened.error().message << "\n";
    return 1;
  }
  // One serve per SQLite file: the file has one writer, and two serves on it would also share a
  // node id, so each would hand back the other's claims at start. The lock goes with the process,
  // kill -9 included.
  ServeLock lock;
  if (opened->single_node) {
    if (auto locked = ServeLock::Acquire(settings.db_path + "-serve.lock"); !locked) {
      std::cerr << "smsgw: " << locked.error().message << "\n";
      return 1;
    } else {
      lock = std::move(*locked);
    }
  }
  store::MessageStore& messages = *opened->messages;
  store::AccountStore& accounts = *opened->accounts;

  // One event loop per core, each run by one thread (see api/http_server.h). Work guards keep the
  // loops that have no connection yet running until the stop.
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::unique_ptr<asio::io_context>> loops;
  std::vector<asio::io_context*> loop_ptrs;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  for (unsigned i = 0; i < threads; ++i) {
    loops.push_back(std::make_unique<asio::io_context>(1));
    loop_ptrs.push_back(loops.back().get());
    guards.push_back(asio::make_work_guard(*loops.back()));
  }
  asio::io_context& io = *loops.front();
  asio::thread_pool store_pool(2);
  store::GroupCommitter committer(messages);
  core::SystemClock clock;
  // Bound first: webhooks must know this node's own listeners to refuse calling them.
  api::HttpServer server(loop_ptrs, HttpLimitsFor(settings.config));
  asio::ip::tcp::endpoint bound;
  try {
    bound = server.Bind(settings.config.server.listen.host, settings.config.server.listen.port);
  } catch (const std::exception& e) {
    std::cerr << "smsgw: cannot listen on " << config::FormatEndpoint(settings.config.server.listen)
              << ": " << e.what() << "\n";
    return 1;
  }
  const uint16_t port = bound.port();
  // The admin listener shares the API's threads; bound now so that webhooks refuse it too.
  std::optional<api::HttpServer> admin_server;
  asio::ip::tcp::endpoint admin_bound;
  if (settings.config.admin.enabled) {
    admin_server.emplace(loop_ptrs, AdminLimits());
    try {
      admin_bound =
          admin_server->Bind(settings.config.admin.listen.host, settings.config.admin.listen.port);
    } catch (const std::exception& e) {
      std::cerr << "smsgw: cannot listen on "
                << config::FormatEndpoint(settings.config.admin.listen)
                << " ([admin] listen): " << e.what() << "\n";
      return 1;
    }
  }
  // Customers' SMPP listener ([smpp_server]): bound now too, for the same reason.
  std::optional<asio::ip::tcp::acceptor> smpp_acceptor;
  if (const auto& listen = settings.config.smpp_server.listen) {
    try {
      smpp_acceptor.emplace(smpp_server::Server::Listen(io, listen->host, listen->port));
    } catch (const std::exception& e) {
      std::cerr << "smsgw: cannot listen on " << config::FormatEndpoint(*listen)
                << " ([smpp_server] listen): " << e.what() << "\n";
      return 1;
    }
  }
  // HTTPS: the files are read now (a bad pair is a start-up error) and again on SIGHUP.
  const auto load_tls = [&]() -> core::Result<void> {
    if (settings.config.server.tls_cert.empty()) {
      return {};
    }
    auto context =
        api::ServerTlsContext(settings.config.server.tls_cert, settings.config.server.tls_key);
    if (!context) {
      return std::unexpected(context.error());
    }
    server.SetTls(std::move(*context));
    return {};
  };
  if (auto tls = load_tls(); !tls) {
    std::cerr << "smsgw: " << tls.error().message << "\n";
    return 1;
  }
  DeliveryRuntime delivery(settings.config, *opened->delivery, *opened->inbound, *opened->cluster,
                           clock);
  const std::string node_id = NodeId(settings.config.node);
  // On SQLite the file's lock already keeps a second process out.
  if (!settings.config.store.url.empty()) {
    if (auto free = CheckNodeIdIsFree(*opened->cluster, node_id, std::chrono::milliseconds(100));
        !free) {
      std::cerr << "smsgw: " << free.error().message << "\n";
      return 1;
    }
  }
  if (auto started = delivery.Start(node_id); !started) {
    std::cerr << "smsgw: " << started.error().message << "\n";
    return 1;
  }
  std::vector<Listener> listeners = {{bound.address().to_string(), port}};
  if (delivery.simulator_port() != 0) {
    listeners.push_back({"127.0.0.1", delivery.simulator_port()});
  }
  if (admin_server) {
    listeners.push_back({admin_bound.address().to_string(), admin_bound.port()});
  }
  asio::ip::tcp::endpoint smpp_bound;
  if (smpp_acceptor) {
    smpp_bound = smpp_acceptor->local_endpoint();
    listeners.push_back({smpp_bound.address().to_string(), smpp_bound.port()});
  }
  const core::EgressPolicy egress = WebhookEgressPolicy(settings.config.webhooks, listeners);
  auto webhooks = StartWebhooks(settings.config.webhooks, egress, *opened->webhooks,
                                *opened->callback_profiles, clock, node_id);
  if (!webhooks) {
    std::cerr << "smsgw: webhooks: " << webhooks.error().message << "\n";
    return 1;
  }
  // Test webhooks go through the running sender; with webhooks disabled there is none.
  std::optional<SenderCallbackTester> callback_tester;
  if (*webhooks) {
    callback_tester.emplace(**webhooks);
  }
  api::CallbackTester* tester = callback_tester ? &*callback_tester : nullptr;
  api::Authenticator auth(accounts);
  api::RegistryCache registry(*opened->templates, *opened->senders, *opened->callback_profiles);
  api::ApiOptions options{
      settings.config.region,
      settings.config.schedule.min_ahead,
      settings.config.schedule.max_ahead,
      settings.config.text.smart_encoding,
      egress,
      {settings.config.limits.sends_per_second, settings.config.limits.recipients_per_second}};
  api::ApiHandler handler(
      options, auth, registry, committer,
      {messages, *opened->templates, *opened->senders, *opened->log, *opened->delivery,
       *opened->callback_profiles, *opened->inbound_numbers, *opened->webhooks, accounts,
       *opened->opt_outs, *opened->country_caps, *opened->smpp_credentials, tester},
      store_pool, clock);
  // The console shares the API's listener under /console, and answers with its own instances of
  // the API's handlers over the same stores (registry changes reach the API's RegistryCache
  // through the store's registry version, as the CLI's do).
  api::MessageApi console_messages(settings.config.region, *opened->log, *opened->delivery,
                                   *opened->webhooks, store_pool, clock);
  api::RegistryApi console_registries(settings.config.region, *opened->templates, *opened->senders,
                                      store_pool, clock);
  api::WebhookApi console_webhooks(settings.config.region, egress, *opened->callback_profiles,
                                   *opened->inbound_numbers, *opened->webhooks, accounts,
                                   store_pool, clock, tester);
  console::KeyEndpoints console_keys(accounts, store_pool, clock);
  console::SendEndpoints console_sends(handler, settings.config.text.smart_encoding);
  // The Delivery page's live values: the queue's gauges and the connectors' binds, as the admin
  // listener's metrics read them.
  console::DeliveryEndpoints console_delivery(
      *opened->delivery_stats,
      [&delivery, operations = opened->operations](core::TimePoint now) {
        console::LiveStatus live;
        if (auto gauges = operations->ReadGauges(now)) {
          for (const store::StoreGauges::Queue& q : gauges->queue) {
            live.queue_due += q.due;
            live.queue_later += q.later;
            if (q.oldest_due && (!live.oldest_due || *q.oldest_due < *live.oldest_due)) {
              live.oldest_due = q.oldest_due;
            }
          }
        }
        for (const admin::ConnectorSnapshot& c : delivery.Snapshot().connectors) {
          console::LiveStatus::Connector out{c.name, 0, static_cast<int>(c.sessions.size())};
          for (const smpp::SessionStatsSnapshot& s : c.sessions) {
            out.binds_up += s.binds_up;
          }
          live.connectors.push_back(std::move(out));
        }
        return live;
      },
      store_pool, clock);
  console::PasswordSignIn console_passwords(*opened->console_passwords, accounts, store_pool);
  console::SignInLimiter console_sign_in_limit(
      {settings.config.console.sign_in_failures_per_sid,
       settings.config.console.sign_in_failures_per_source, settings.config.console.sign_in_window},
      clock);
  console::Sessions console_sessions(
      {settings.config.console.idle_timeout, settings.config.console.session_lifetime}, clock);
  console::ConsoleHandler console(
      {!settings.config.server.tls_cert.empty(), settings.config.console.session_lifetime},
      console_sessions, auth,
      {console_messages, console_registries, console_webhooks, console_keys, console_sends,
       console_delivery, console_passwords, console_sign_in_limit},
      store_pool);
  console::ListenerHandler with_console(console, handler);
  api::RequestHandler& listener_handler =
      settings.config.console.enabled ? static_cast<api::RequestHandler&>(with_console) : handler;
  // Customers' SMPP binds ([smpp_server]): a second door to the same validation and committer.
  api::SendValidator smpp_validator(api::SendRulesOf(options), registry, store_pool, clock);
  std::optional<smpp_server::Server> smpp;
  if (smpp_acceptor) {
    smpp.emplace(
        loop_ptrs, std::move(*smpp_acceptor), settings.config.smpp_server,
        smpp_server::SessionStores{*opened->smpp_credentials, accounts, *opened->log,
                                   *opened->delivery, *opened->smpp_outbox, *opened->smpp_staging},
        smpp_validator, committer, store_pool, clock);
  }
  const core::TimePoint started = clock.Now();
  store::OperationsStore& operations = *opened->operations;
  admin::AdminHandler::Hooks hooks;
  hooks.metrics = [&] {
    admin::MetricsSnapshot snapshot;
    snapshot.now = clock.Now();
    snapshot.started = started;
    snapshot.api = &handler.stats();
    snapshot.http = server.counters();
    if (auto gauges = operations.ReadGauges(snapshot.now)) {
      snapshot.gauges = std::move(*gauges);
    } else {
      SPDLOG_WARN("metrics: store gauges not read: {}", gauges.error().message);
    }
    snapshot.store = operations.ReadCounters();
    snapshot.delivery = delivery.Snapshot();
    if (*webhooks) {
      snapshot.webhooks = admin::WebhookSnapshot{(*webhooks)->counters(), (*webhooks)->latency()};
    }
    return admin::RenderMetrics(snapshot);
  };
  hooks.ready = [&]() -> core::Result<void> {
    if (auto writable = operations.ProbeWrite(); !writable) {
      return core::MakeError(core::Errc::kUnavailable, "store: " + writable.error().message);
    }
    return delivery.Ready();
  };
  admin::AdminHandler admin(settings.config.admin.token, std::move(hooks), store_pool);

  // Installed before the listening line is printed: a supervisor may signal us as soon as it
  // reads that line, and the default action would kill us instead of stopping gracefully.
  asio::signal_set signals(io, SIGINT, SIGTERM);
  server.Start(listener_handler);
  if (admin_server) {
    admin_server->Start(admin);
  }
  if (smpp) {
    smpp->Start();
  }
  if (auto announced = AnnounceAccount(accounts, settings, port); !announced) {
    std::cerr << "smsgw: " << announced.error().message << "\n";
    return 1;
  }
  std::cout << "smsgw listening on " << BaseUrl(settings, port)
            << " (data: " << settings.store_label() << ", region "
            << core::ToString(settings.config.region) << ")" << std::endl;
  if (delivery.simulator_port() != 0) {
    std::cout << "SMSC simulator on 127.0.0.1:" << delivery.simulator_port() << " (connector \""
              << DeliveryRuntime::kSimulatorConnector << "\")" << std::endl;
  }
  if (admin_server) {
    std::cout << "admin on http://"
              << config::FormatEndpoint({admin_bound.address().to_string(), admin_bound.port()})
              << " (/metrics, /healthz, /readyz)" << std::endl;
  }
  if (smpp) {
    std::cout << "SMPP server on "
              << config::FormatEndpoint({smpp_bound.address().to_string(), smpp_bound.port()})
              << std::endl;
  }

  // Graceful stop: /readyz fails first (for [admin] stop_delay), then no new connections, idle
  // ones closed, in-flight requests answered (their messages committed), then the committer
  // drains and the process exits 0.
  asio::steady_timer drain(io);
  auto deadline = std::chrono::steady_clock::now();
  std::function<void()> wait_drained = [&] {
    const bool drained = server.ActiveConnections() == 0 && (!smpp || smpp->ActiveSessions() == 0);
    if (drained || std::chrono::steady_clock::now() > deadline) {
      if (admin_server) {
        admin_server->Stop();
      }
      for (asio::io_context* loop : loop_ptrs) {
        loop->stop();
      }
      return;
    }
    drain.expires_after(std::chrono::milliseconds(20));
    drain.async_wait([&](const boost::system::error_code&) { wait_drained(); });
  };
  // SIGHUP reopens the log file (after logrotate) and reloads the TLS certificate and key
  // (renewed certificates), for new connections.
  asio::signal_set hangups(io, SIGHUP);
  std::function<void()> on_hangup = [&] {
    hangups.async_wait([&](const boost::system::error_code& ec, int) {
      if (ec) {
        return;
      }
      if (!log->file().empty()) {
        if (auto reopened = log->Reopen(); !reopened) {
          SPDLOG_ERROR("SIGHUP: the log file stays the old one: {}", reopened.error().message);
        } else {
          SPDLOG_INFO("SIGHUP: log file {} reopened", log->file());
        }
      }
      if (settings.config.server.tls_cert.empty()) {
        SPDLOG_INFO("SIGHUP: no TLS certificate to reload (no [server] tls_cert)");
      } else if (auto reloaded = load_tls(); !reloaded) {
        SPDLOG_ERROR("SIGHUP: TLS not reloaded, the old certificate stays: {}",
                     reloaded.error().message);
      } else {
        SPDLOG_INFO("SIGHUP: TLS certificate reloaded from {}", settings.config.server.tls_cert);
      }
      on_hangup();
    });
  };
  on_hangup();
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) {
      return;
    }
    SPDLOG_INFO("signal {}: stopping", signal);
    hangups.cancel();
    admin.SetStopping();
    drain.expires_after(settings.config.admin.enabled ? settings.config.admin.stop_delay
                                                      : std::chrono::milliseconds(0));
    drain.async_wait([&](const boost::system::error_code&) {
      deadline = std::chrono::steady_clock::now() + kDrainDeadline;
      server.Stop();
      if (smpp) {
        smpp->Stop();
      }
      wait_drained();
    });
  });

  std::vector<std::thread> workers;
  for (unsigned i = 1; i < threads; ++i) {
    workers.emplace_back([loop = loop_ptrs[i], i] {
      core::NameThisThread("api-io-" + std::to_string(i));
      loop->run();
    });
  }
  io.run();
  for (auto& t : workers) {
    t.join();
  }
  committer.Stop();
  delivery.Stop();
  if (*webhooks) {
    (*webhooks)->Stop();
  }
  store_pool.join();
  SPDLOG_INFO("stopped");
  return 0;
}

}  // namespace smsgw::app
