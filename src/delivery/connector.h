#pragma once
// A Connector is one [[smsc]] entry at run time: `binds` ESME sessions to one SMSC account, the
// settings its messages are built with, and the hand-over of what comes back (receipts to the
// Recorder, MO messages to the inbound handler). Sessions are picked for submits round robin
// among those bound.
//
// Session i runs for bind slot i. A connector to a carrier opens a slot only while this node
// holds its lease (delivery/bind_keeper.h: `binds` is the whole cluster's budget); Start opens
// every slot at once, for a connector that is this node's alone (the embedded simulator).
//
// Threads: everything runs on the delivery io_context given at construction (its one thread);
// Start, Open, Close and Stop may be called from any thread; bound() may be read from any
// thread.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "delivery/receipts.h"
#include "delivery/recorder.h"
#include "delivery/submit_plan.h"
#include "smpp/asio.h"
#include "smpp/session.h"
#include "smpp/tls_client.h"

namespace smsgw::delivery {

// Handles an MO message (deliver_sm / data_sm that is not a receipt) and returns the status
// for its response: 0 once it is stored, a temporary error to have it sent again.
using MoHandler = std::function<smpp::asio::awaitable<uint32_t>(std::string_view connector,
                                                                smpp::codec::Pdu pdu)>;

// The SMPP session settings for an [[smsc]] entry.
smpp::SessionConfig SessionConfigFor(const config::SmscConfig& smsc);

class Connector {
 public:
  // `tls`: the connector's client TLS context when it has tls = true (smpp::ClientTlsContext).
  // `drain_timeout`: how long a closing session waits for outstanding responses (unset: the
  // session's default), bounded for leased binds so that a close fits in the lease.
  Connector(smpp::asio::io_context& io, const config::SmscConfig& config, bool dlt,
            Recorder& recorder, MoHandler mo,
            std::shared_ptr<smpp::asio::ssl::context> tls = nullptr,
            std::optional<std::chrono::milliseconds> drain_timeout = std::nullopt);
  ~Connector();
  Connector(const Connector&) = delete;
  Connector& operator=(const Connector&) = delete;

  // Opens every slot.
  void Start();
  // Opens slot `slot` (0 .. binds-1): its session connects and binds. A slot being closed opens
  // again once closed; nothing opens after Stop.
  void Open(int slot);
  // Closes slot `slot` gracefully (outstanding submits get their drain time); `closed` runs on
  // the delivery thread once its session is closed (at once if it was not open).
  void Close(int slot, std::function<void()> closed);
  // Closes every slot for good; `done` runs on the delivery thread when all are closed.
  void Stop(std::function<void()> done);

  const config::SmscConfig& config() const { return config_; }
  const std::string& name() const { return config_.name; }
  const WireSettings& wire() const { return wire_; }
  const IdFormats& id_formats() const { return ids_; }
  // Some session has a transmitting bind up. Any thread.
  bool bound() const;
  size_t session_count() const { return sessions_.size(); }
  smpp::Session& session(size_t i) { return *sessions_[i]; }
  std::vector<smpp::SessionStatsSnapshot> stats() const;

 private:
  smpp::asio::awaitable<uint32_t> Inbound(smpp::codec::Pdu pdu);
  void OpenHere(size_t slot);
  void CloseHere(size_t slot, std::function<void()> closed);

  const config::SmscConfig config_;
  const WireSettings wire_;
  const IdFormats ids_;
  Recorder& recorder_;
  const MoHandler mo_;
  smpp::asio::io_context& io_;
  std::vector<std::unique_ptr<smpp::Session>> sessions_;
  // Delivery thread only: the slots open now (asked to open and not since closed), and Stop.
  std::vector<bool> open_;
  bool stopped_ = false;
};

}  // namespace smsgw::delivery
