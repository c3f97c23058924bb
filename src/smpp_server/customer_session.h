#pragma once
// CustomerSession is one customer's SMPP connection to smsgw (the SMSC side of SMPP 3.4): the
// bind checked against SmppCredentialStore, enquire_link both ways, unbind, generic_nack for what
// it does not offer, submit_sm turned into a message of the account through api::SendValidator
// and the GroupCommitter (submit_sm_resp carries smsgw's message id and is sent only once the
// message is committed), query_sm / cancel_sm on the account's messages, and on a receiver or
// transceiver bind the account's SMPP outbox (store::SmppOutboxStore: receipts) sent as
// deliver_sm, at most `window` unanswered at once, each row finished only by an ESME_ROK
// deliver_sm_resp. Framing, undecodable PDUs and write coalescing are smpp::PduConnection's (shared
// with the simulator and the ESME session).
//
// Deadlines: one watchdog per session checks the bind deadline, the customer's silence
// (enquire_link, then close after `inactivity`) and a stalled write, as smpp::Session does.
//
// Threads: a session lives on the io_context that accepted it; every member runs on that
// context's thread except CloseFromAnyThread.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/send_validator.h"
#include "config/config.h"
#include "core/time.h"
#include "smpp/asio.h"
#include "smpp/codec/pdu.h"
#include "smpp/pdu_connection.h"
#include "smpp_server/bind_registry.h"
#include "smpp_server/reassembly.h"
#include "smpp_server/throughput.h"
#include "store/account_store.h"
#include "store/delivery_store.h"
#include "store/group_committer.h"
#include "store/message_log.h"
#include "store/smpp_credential_store.h"
#include "store/smpp_outbox_store.h"
#include "store/smpp_staging_store.h"

namespace smsgw::smpp_server {

namespace asio = smpp::asio;

// What every session of one server shares. The referenced objects outlive the server's
// io_contexts' run().
struct SessionStores {
  store::SmppCredentialStore& credentials;
  store::AccountStore& accounts;   // the account's settings, read at bind
  store::MessageLog& log;          // query_sm
  store::DeliveryStore& delivery;  // cancel_sm
  store::SmppOutboxStore& outbox;  // receipts to receivers and transceivers
  // The parts of concatenated submits (reassembly.h).
  store::SmppStagingStore& staging;
};
struct SessionDeps {
  const config::SmppServerConfig& config;
  SessionStores stores;
  api::SendValidator& validator;
  store::GroupCommitter& committer;
  asio::thread_pool& store_pool;
  // One thread for binds' password hashes (milliseconds each): a flood of binds queues there
  // instead of starving the store pool that the API's reads share.
  asio::thread_pool& hash_pool;
  const core::Clock& clock;
  BindRegistry& binds;
  ThroughputLimits& throughput;  // per credential, shared by every session of the server
  Reassembler& reassembly;       // concatenated submits, shared by every session of the server
};

class CustomerSession : public std::enable_shared_from_this<CustomerSession> {
 public:
  CustomerSession(uint64_t id, std::shared_ptr<smpp::PduConnection> conn, SessionDeps deps);

  // Reads and answers PDUs until the connection closes, then waits (bounded) for the requests
  // still waiting for the store. The owner removes the bind from the BindRegistry when it returns.
  asio::awaitable<void> Serve();
  // Closes the connection on the session's own thread.
  void CloseFromAnyThread();

 private:
  // `self` keeps the session alive until the watchdog notices the connection closed.
  asio::awaitable<void> Watchdog(std::shared_ptr<CustomerSession> self);
  asio::awaitable<void> HandleBind(const smpp::codec::Pdu& pdu);
  // submit_sm, data_sm, submit_multi, query_sm, cancel_sm: checked here, then run by Submit
  // (submit_flow.h) / Query / Cancel while the read loop goes on, at most `window` at once.
  void HandleRequest(const smpp::codec::Pdu& pdu);
  asio::awaitable<void> Submit(smpp::codec::Pdu pdu);
  asio::awaitable<void> Query(smpp::codec::Pdu pdu);
  asio::awaitable<void> Cancel(smpp::codec::Pdu pdu);
  void Answer(const smpp::codec::Pdu& request, smpp::codec::CommandStatus status);
  bool CanTransmit() const;
  uint32_t NextSequence();

  // Receiver and transceiver binds: claims the account's due outbox rows while the window has
  // room, sends them as deliver_sm, finishes or defers the answered ones, lets unanswered ones
  // go after deliver_timeout (their lease ends then, and they are sent again), and gives back
  // what is still in flight when the link closes.
  asio::awaitable<void> DeliverLoop(std::shared_ptr<CustomerSession> self);
  // Writes the answers collected by OnDeliverSmResp (finish / defer).
  asio::awaitable<void> RecordDeliverAnswers();
  void OnDeliverSmResp(const smpp::codec::Pdu& pdu);

  const uint64_t id_;
  std::shared_ptr<smpp::PduConnection> conn_;
  SessionDeps deps_;
  const smpp::Clock::time_point opened_;
  std::optional<smpp::codec::BindMode> mode_;  // set by a successful bind
  std::string sid_, system_id_;                // the bound account and credential
  store::AccountSettings settings_;            // the account's, read at bind
  int64_t max_rate_ = 0;                       // the credential's messages/s; 0 unlimited
  std::string type_;                           // the credential's message type; "" the default
  store::SmppIdFormat id_format_ = store::SmppIdFormat::kHex;  // the credential's message ids
  int pending_ = 0;             // submit_sm, query_sm, cancel_sm waiting for the store
  uint32_t next_sequence_ = 1;  // of the PDUs smsgw sends (enquire_link)
  std::optional<smpp::Clock::time_point> probed_at_;  // our enquire_link, sent in this silence

  // deliver_sm sent and not answered yet, by sequence_number.
  struct InFlight {
    int64_t row = 0;   // store::SmppOutboxJob::id
    int attempts = 0;  // refusals before this one
    smpp::Clock::time_point deadline;
  };
  std::map<uint32_t, InFlight> in_flight_;
  std::vector<int64_t> acknowledged_;             // ESME_ROK: to finish
  std::vector<std::pair<int64_t, int>> refused_;  // (row, refusals before): to defer or give up
  bool delivering_ = false;                       // DeliverLoop runs
  bool closing_ = false;                          // unbound, or the read loop ended
};

}  // namespace smsgw::smpp_server
