#pragma once
// InboundHandler takes MO messages from the connectors to the InboundStore. It is the connectors'
// MoHandler: it reads each PDU (ReadMoPart), hands the part to its own writer thread, and answers
// the SMSC only once the part is committed: 0, or ESME_RX_T_APPN when the store failed, so that the
// SMSC sends it again. A PDU that is not a readable MO is refused for good (ESME_RX_P_APPN) with a
// warning: sending it again would not make it readable. The writer thread also gives up on
// concatenated messages whose parts stopped coming: every sweep interval it stores those whose
// first part is older than the reassembly timeout, with the missing parts marked (mo_text.h).
//
// Threads: Handle runs on a connector's io_context and never blocks it (store calls block, so they
// run on the writer thread; the answer is posted back to the caller's executor). Stop() and
// stats() from any thread; Stop() must not be called on the writer thread.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>

#include "core/result.h"
#include "core/time.h"
#include "delivery/connector.h"
#include "smpp/asio.h"
#include "smpp/codec/pdu.h"
#include "store/inbound_store.h"

namespace smsgw::delivery {

struct InboundOptions {
  // How long the parts of a concatenated MO wait for the rest ([delivery] mo_reassembly_timeout).
  // Also how long a part sent again after its message was stored is recognised as a repeat.
  std::chrono::milliseconds reassembly_timeout{std::chrono::minutes(5)};
  // How often waiting parts are held against the timeout; zero: a tenth of it, at most 30 s. A
  // message with parts missing is therefore stored between one timeout and one interval later.
  std::chrono::milliseconds sweep_interval{0};
  // The opt-out words ([opt_out]): an MO that is one of them changes its account's opt-outs in
  // the transaction that stores it. nullopt: MOs are never commands.
  std::optional<core::OptOutWords> opt_out;
};

struct InboundStats {
  uint64_t parts = 0;         // parts committed, waiting or completing their message
  uint64_t messages = 0;      // messages stored whole
  uint64_t incomplete = 0;    // messages stored with parts missing after the timeout
  uint64_t repeats = 0;       // parts received again, answered 0 and not stored twice
  uint64_t unreadable = 0;    // PDUs refused with ESME_RX_P_APPN
  uint64_t store_errors = 0;  // parts answered ESME_RX_T_APPN, and failed sweeps
};

class InboundHandler {
 public:
  InboundHandler(store::InboundStore& store, const core::Clock& clock, InboundOptions options = {});
  ~InboundHandler();  // Stop()
  InboundHandler(const InboundHandler&) = delete;
  InboundHandler& operator=(const InboundHandler&) = delete;

  // The MoHandler to give each Connector; it calls Handle, so this object must outlive them.
  MoHandler AsMoHandler();

  // The command_status for the deliver_sm_resp / data_sm_resp of an MO `pdu` from `connector`.
  smpp::asio::awaitable<uint32_t> Handle(std::string_view connector, smpp::codec::Pdu pdu);

  // Writes the parts handed over before it, then joins the writer thread. Parts that arrive later
  // are answered ESME_RX_T_APPN. Waiting parts stay in the store for the next start's sweep.
  void Stop();

  InboundStats stats() const;

 private:
  using Done = std::function<void(core::Result<store::InboundPartResult>)>;
  struct Pending {
    store::InboundPart part;
    Done done;
  };

  // Queues `part` for the writer; `done` runs on the writer thread once it is committed or failed
  // (at once, with kUnavailable, after Stop).
  void Submit(store::InboundPart part, Done done);
  smpp::asio::awaitable<core::Result<store::InboundPartResult>> AsyncAdd(store::InboundPart part);
  void Run();
  void Write(Pending& pending);
  void Sweep();

  store::InboundStore& store_;
  const core::Clock& clock_;
  const std::chrono::milliseconds timeout_;
  const std::chrono::milliseconds sweep_interval_;
  const store::InboundAssembler assemble_;
  const std::optional<core::OptOutWords> opt_out_;
  const core::OptOutWords* OptOutWords() const { return opt_out_ ? &*opt_out_ : nullptr; }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;  // guarded by mu_
  bool stopping_ = false;      // guarded by mu_

  std::atomic<uint64_t> n_parts_{0}, n_messages_{0}, n_incomplete_{0}, n_repeats_{0},
      n_unreadable_{0}, n_store_errors_{0};
  std::thread writer_;  // last: starts Run()
};

}  // namespace smsgw::delivery
