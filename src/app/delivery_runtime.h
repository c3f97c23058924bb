#pragma once
// Everything `smsgw serve` runs behind the API to deliver messages: the embedded SMSC simulator
// (when enabled), one Connector per [[smsc]] entry (plus one to the simulator), the Recorder and
// the Dispatcher, all on one delivery thread (the simulator on its own, as a real SMSC would be),
// the InboundHandler that stores what the connectors receive as MO messages, and the BindKeeper
// that keeps this node in the cluster and opens the carriers' binds it holds leases on.

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "admin/metrics_page.h"
#include "config/config.h"
#include "core/result.h"
#include "core/time.h"
#include "delivery/bind_keeper.h"
#include "delivery/connector.h"
#include "delivery/dispatcher.h"
#include "delivery/inbound.h"
#include "delivery/receipt_expiry.h"
#include "delivery/recorder.h"
#include "smpp/asio.h"
#include "smsc_sim/simulator.h"
#include "store/cluster_store.h"
#include "store/delivery_store.h"
#include "store/inbound_store.h"

namespace smsgw::app {

class DeliveryRuntime {
 public:
  // The name of the connector to the embedded simulator.
  static constexpr const char* kSimulatorConnector = "simulator";

  DeliveryRuntime(const config::Config& config, store::DeliveryStore& store,
                  store::InboundStore& inbound, store::ClusterStore& cluster,
                  const core::Clock& clock);
  ~DeliveryRuntime();
  DeliveryRuntime(const DeliveryRuntime&) = delete;
  DeliveryRuntime& operator=(const DeliveryRuntime&) = delete;

  // Starts the simulator (if enabled), hands back the claims of this node's earlier lives
  // (`node_id`, app/owner_name.h; other nodes' claims wait out their lease), joins the cluster,
  // connects the binds it leases and starts dispatching. Errors: the simulator cannot listen,
  // the store cannot release claims or be joined.
  core::Result<void> Start(std::string_view node_id);
  // Stops claiming (handing back what no session has yet), lets the sessions drain, records what
  // came back (receipts and MO messages), gives back the bind leases and the node's beat, stops
  // the simulator.
  void Stop();

  // The embedded simulator's SMPP port; 0 when it is not running.
  uint16_t simulator_port() const { return simulator_port_; }
  const std::vector<config::SmscConfig>& connectors() const { return smsc_; }

  // The counters of the connectors' sessions, the dispatcher, the recorder and the MO handler,
  // for /metrics. Call after Start (any thread; the objects live until the destructor).
  admin::DeliverySnapshot Snapshot() const;
  // Ok when a connector has a bound session, or none is configured (an API-only node), or other
  // nodes hold every bind slot; else why not. After Start; any thread.
  core::Result<void> Ready() const;

 private:
  const config::Config& config_;
  store::DeliveryStore& store_;
  store::InboundStore& inbound_store_;
  store::ClusterStore& cluster_;
  const core::Clock& clock_;
  std::vector<config::SmscConfig> smsc_;

  smpp::asio::io_context sim_io_{1};
  std::unique_ptr<smsc_sim::Simulator> simulator_;
  std::thread sim_thread_;
  uint16_t simulator_port_ = 0;

  smpp::asio::io_context io_{1};
  std::optional<smpp::asio::executor_work_guard<smpp::asio::io_context::executor_type>> guard_;
  std::unique_ptr<delivery::Recorder> recorder_;
  std::unique_ptr<delivery::InboundHandler> inbound_;
  std::vector<std::unique_ptr<delivery::Connector>> connectors_;
  std::unique_ptr<delivery::Dispatcher> dispatcher_;
  std::unique_ptr<delivery::BindKeeper> keeper_;
  std::unique_ptr<delivery::ReceiptExpiry> receipt_expiry_;
  std::thread thread_;
  bool started_ = false;
};

}  // namespace smsgw::app
