#include "app/delivery_runtime.h"

#include <spdlog/spdlog.h>

#include <future>

#include "app/owner_name.h"
#include "core/region.h"
#include "core/thread_name.h"
#include "delivery/router.h"
#include "smpp/log_escaped.h"
#include "smpp/tls_client.h"

namespace smsgw::app {
namespace {

namespace asio = smpp::asio;

// The embedded simulator's connector: its account and a window wide enough that the loopback
// link is not what limits a laptop's throughput.
config::SmscConfig SimulatorConnector(uint16_t port) {
  config::SmscConfig c;
  c.name = DeliveryRuntime::kSimulatorConnector;
  c.host = "127.0.0.1";
  c.port = port;
  c.system_id = "smsgw";
  c.password = "smsgw";
  c.bind = config::SmscBind::kTransceiver;
  c.window = 100;
  c.priority = 1'000'000;  // after every configured carrier
  return c;
}

}  // namespace

DeliveryRuntime::DeliveryRuntime(const config::Config& config, store::DeliveryStore& store,
                                 store::InboundStore& inbound, store::ClusterStore& cluster,
                                 const core::Clock& clock)
    : config_(config),
      store_(store),
      inbound_store_(inbound),
      cluster_(cluster),
      clock_(clock),
      smsc_(config.smsc) {}

DeliveryRuntime::~DeliveryRuntime() { Stop(); }

core::Result<void> DeliveryRuntime::Start(std::string_view node_id) {
  if (config::SimulatorEnabled(config_)) {
    for (const config::SmscConfig& smsc : smsc_) {
      if (smsc.name == kSimulatorConnector) {
        return core::MakeError(core::Errc::kInvalidArgument,
                               "[[smsc]] name \"simulator\" is the built-in simulator's "
                               "connector; rename it or set [simulator] enabled = false");
      }
    }
    smsc_sim::SimulatorConfig sim;
    sim.listen_host = config_.simulator.listen.host;
    sim.listen_port = config_.simulator.listen.port;
    sim.receipt_delay = config_.simulator.receipt_delay;
    simulator_ = std::make_unique<smsc_sim::Simulator>(sim_io_, sim);
    try {
      simulator_port_ = simulator_->Start();
    } catch (const std::exception& e) {
      return core::MakeError(core::Errc::kUnavailable,
                             "cannot start the SMSC simulator on " +
                                 config::FormatEndpoint(config_.simulator.listen) + ": " +
                                 e.what());
    }
    sim_thread_ = std::thread([this] {
      core::NameThisThread("smsc-sim");
      sim_io_.run();
    });
    smsc_.push_back(SimulatorConnector(simulator_port_));
  }

  delivery::DispatcherOptions options;
  options.owner = OwnerName(node_id);
  options.validity = config_.delivery.validity;
  options.claim_lease = config_.delivery.claim_lease;
  options.retry_min = config_.delivery.retry_min;
  options.retry_max = config_.delivery.retry_max;
  options.opt_out_exempts_otp = config_.opt_out.exempt_otp;
  auto released = store_.ReleaseClaims(options.owner, clock_.Now());
  if (!released) {
    return std::unexpected(released.error());
  }
  if (*released > 0) {
    SPDLOG_INFO("delivery: {} messages claimed before the last stop are due again", *released);
  }

  recorder_ = std::make_unique<delivery::Recorder>(store_);
  delivery::InboundOptions inbound;
  inbound.reassembly_timeout = config_.delivery.mo_reassembly_timeout;
  inbound.opt_out = config_.opt_out.words;
  inbound_ = std::make_unique<delivery::InboundHandler>(inbound_store_, clock_, inbound);
  const bool dlt = core::RulesFor(config_.region).dlt_enforced;
  // A leased bind closing gracefully must fit in what is left of its lease after the keeper's
  // half-lease fence (delivery/bind_keeper.h).
  const auto drain =
      std::min<std::chrono::milliseconds>(std::chrono::seconds(5), config_.node.bind_lease / 5);
  std::vector<delivery::Connector*> connectors;
  std::vector<delivery::Connector*> leased;
  for (const config::SmscConfig& smsc : smsc_) {
    std::shared_ptr<smpp::asio::ssl::context> tls;
    if (smsc.tls) {
      auto context =
          smpp::ClientTlsContext(smsc.tls_ca_file, smsc.tls_cert_file, smsc.tls_key_file);
      if (!context) {
        return core::MakeError(core::Errc::kInvalidArgument,
                               "[[smsc]] " + smsc.name + ": " + context.error().message);
      }
      tls = std::move(*context);
    }
    const bool simulator = simulator_ && &smsc == &smsc_.back();
    connectors_.push_back(std::make_unique<delivery::Connector>(
        io_, smsc, dlt, *recorder_, inbound_->AsMoHandler(), std::move(tls),
        simulator ? std::nullopt : std::optional(drain)));
    connectors.push_back(connectors_.back().get());
    if (!simulator) {
      leased.push_back(connectors_.back().get());
    }
  }
  dispatcher_ = std::make_unique<delivery::Dispatcher>(io_, store_, *recorder_, connectors,
                                                       delivery::Router(smsc_), clock_, options);
  guard_.emplace(asio::make_work_guard(io_));
  keeper_ = std::make_unique<delivery::BindKeeper>(
      cluster_, leased, delivery::BindKeeperOptions{options.owner, config_.node.bind_lease});
  if (auto joined = keeper_->Start(); !joined) {
    guard_.reset();
    return joined;
  }
  if (simulator_) {
    connectors_.back()->Start();  // this node's own SMSC: no lease
  }
  dispatcher_->Start();
  delivery::ReceiptExpiryOptions expiry;
  expiry.timeout = config_.delivery.receipt_timeout;
  receipt_expiry_ = std::make_unique<delivery::ReceiptExpiry>(store_, clock_, expiry);
  receipt_expiry_->Start();
  thread_ = std::thread([this] {
    core::NameThisThread("delivery-io");
    io_.run();
  });
  started_ = true;
  return {};
}

void DeliveryRuntime::Stop() {
  if (started_) {
    started_ = false;
    std::promise<void> drained;
    dispatcher_->Stop([this, &drained] {
      auto remaining = std::make_shared<size_t>(connectors_.size());
      if (connectors_.empty()) {
        drained.set_value();
      }
      for (auto& c : connectors_) {
        c->Stop([remaining, &drained] {
          if (--*remaining == 0) {
            drained.set_value();
          }
        });
      }
    });
    drained.get_future().wait();
    keeper_->Stop();
    keeper_->Leave();  // every session is closed: the slots are free for the other nodes now
    guard_.reset();
    io_.stop();
    thread_.join();
    receipt_expiry_->Stop();
    recorder_->Stop();
    inbound_->Stop();
    const delivery::DispatcherStats s = dispatcher_->stats();
    SPDLOG_INFO("delivery: stopped; claimed {}, parts submitted {}, retries {}, not sent {}",
                s.claimed, s.parts_submitted, s.retries, s.not_sent);
  }
  if (simulator_) {
    simulator_->Stop();
    if (sim_thread_.joinable()) {
      sim_thread_.join();
    }
  }
}

admin::DeliverySnapshot DeliveryRuntime::Snapshot() const {
  admin::DeliverySnapshot out;
  for (const auto& c : connectors_) {
    out.connectors.push_back({c->name(), c->stats()});
  }
  out.dispatcher = dispatcher_->stats();
  out.recorder = recorder_->stats();
  out.inbound = inbound_->stats();
  out.cluster = keeper_->stats();
  return out;
}

core::Result<void> DeliveryRuntime::Ready() const {
  if (connectors_.empty() ||
      std::ranges::any_of(connectors_, [](const auto& c) { return c->bound(); })) {
    return {};
  }
  // Other nodes hold the whole bind budget: this node accepts, and they deliver.
  if (const auto cluster = keeper_->stats(); cluster.nodes > 1 && cluster.slots_open == 0) {
    return {};
  }
  std::string names;
  for (const auto& c : connectors_) {
    names += (names.empty() ? "" : ", ") + c->name();
  }
  return core::MakeError(core::Errc::kUnavailable, "no SMSC bound (connectors: " + names + ")");
}

}  // namespace smsgw::app
