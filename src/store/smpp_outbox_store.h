#pragma once
// SmppOutboxStore is the per-account outbox of deliver_sm PDUs owed to customers' SMPP binds
// (issue 17): delivery receipts of messages submitted over SMPP, and MO messages. A receipt row is
// written by the DeliveryStore write that moves the message, in the same transaction as its
// message_events row, when the message carries an SMPP origin and its registered_delivery asks
// for that state (core::WantsSmppReceipt); a message without an SMPP origin costs nothing here.
// An MO row is written by the InboundStore write that stores an inbound message matched to an
// entry whose target is InboundTarget::kSmpp, in place of its webhook. Both kinds share the
// account's order. Rows wait until a receiver or transceiver of the account binds;
// its session claims them in order with a lease (so that several nodes can share one store),
// sends them, and finishes each when the customer's deliver_sm_resp is ESME_ROK. A row whose
// lease ran out (no answer, a dropped link, a dead process) is due again, so nothing is lost and
// a customer may see a receipt twice (receipted_message_id tells them apart).
//
// Calls block and are safe from any thread; each call is one transaction.

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/message.h"
#include "core/result.h"
#include "core/time.h"
#include "store/smpp_credential_store.h"

namespace smsgw::store {

enum class SmppOutboxKind : uint8_t {
  kReceipt = 0,  // a status of a message the account submitted over SMPP
  kMo = 1,       // an inbound message matched to an entry of the account that targets SMPP
};

// One deliver_sm to send, with what it is built from.
struct SmppOutboxJob {
  int64_t id = 0;  // the row; larger ids were written later
  SmppOutboxKind kind = SmppOutboxKind::kReceipt;
  std::string sid;
  int attempts = 0;  // answers other than ESME_ROK so far
  // kReceipt: the message as submitted and the change reported. kMo: message_id is the inbound
  // message's id, `sender` the handset it came from, `recipient` the number it was sent to,
  // `body` its text, `at` and `submitted_at` when it was stored; the other fields are empty.
  std::string message_id;
  std::string system_id;  // the credential it was submitted through
  // kReceipt: that credential's id format (the form its submit_sm_resp gave the id in).
  SmppIdFormat id_format = SmppIdFormat::kHex;
  uint8_t registered_delivery = 0;
  core::MessageState state = core::MessageState::kQueued;
  std::string details;  // status_details of that change ("DELIVRD", "EXPIRED", "CANCELLED", ...)
  core::TimePoint at;   // when it changed
  std::string recipient, sender, body;
  core::TimePoint submitted_at;
  // kReceipt: the err a carrier's receipt gave a part of the message (its first part with one
  // other than "000"), as received; empty when none did.
  std::string err;
};

class SmppOutboxStore {
 public:
  virtual ~SmppOutboxStore() = default;

  // Claims up to `limit` rows of `sid` due at `now`, oldest first: each is due again at
  // now + lease unless finished or deferred before. A row whose message is no longer stored is
  // dropped, not returned.
  virtual core::Result<std::vector<SmppOutboxJob>> ClaimSmppOutbox(std::string_view sid,
                                                                   std::string_view owner,
                                                                   core::TimePoint now,
                                                                   std::chrono::milliseconds lease,
                                                                   size_t limit) = 0;
  // The customer acknowledged these (or they are given up): deleted. Unknown ids are ignored.
  virtual core::Result<void> FinishSmppOutbox(std::span<const int64_t> ids) = 0;
  // Gives claimed rows back, due at `due_at`; `refused`: the customer answered with an error,
  // which counts an attempt. Unknown ids are ignored.
  virtual core::Result<void> DeferSmppOutbox(std::span<const int64_t> ids, core::TimePoint due_at,
                                             bool refused) = 0;
  // Rows of `sid` waiting or in flight.
  virtual core::Result<size_t> CountSmppOutbox(std::string_view sid) = 0;
  // Moves whenever this process commits an outbox row for `sid` (and perhaps for other accounts
  // that share its counter): a session asks the store again when it moved, and now and then
  // anyway (rows written by other processes, leases that ended). Costs no I/O.
  virtual uint64_t SmppOutboxVersion(std::string_view sid) const = 0;
};

}  // namespace smsgw::store
