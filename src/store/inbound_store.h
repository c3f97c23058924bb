#pragma once
// InboundStore is the durable home of inbound (MO) messages: the parts of a concatenated message
// that wait for the rest, and the messages themselves, complete or, after the reassembly timeout,
// with parts missing. A stored message is matched to an account's inbound number in the same
// transaction and, when that entry has somewhere to forward to, gets its row in the webhook
// outbox (store/webhook_store.h) there too.
//
// Calls block and are safe from any thread; each call is one transaction. An MO is acknowledged to
// the SMSC only after AddInboundPart returned, so a part the store failed to take is sent again.
// The store knows nothing of SMS alphabets: the text of a message is made by the caller's
// InboundAssembler, which the store calls inside the transaction that stores the message.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/opt_out.h"
#include "core/result.h"
#include "core/time.h"

namespace smsgw::store {

// Which part of which concatenated MO a part is, from its UDH (8- or 16-bit reference) or its
// sar_* TLVs. The parts of one message share connector, source, destination, reference and total.
struct InboundConcat {
  uint16_t reference = 0;
  int total = 1;   // 1..255
  int seqnum = 1;  // 1..total

  friend bool operator==(const InboundConcat&, const InboundConcat&) = default;
};

// One deliver_sm / data_sm that carries (part of) an MO, as the SMSC sent it.
struct InboundPart {
  std::string connector;
  std::string source;       // the handset's number, as the SMSC wrote it
  std::string destination;  // the business number it was sent to (long or short code)
  uint8_t data_coding = 0;  // SMPP 3.4 §5.2.19
  // short_message, or message_payload when short_message is empty; the UDH included.
  std::vector<uint8_t> payload;
  size_t udh_length = 0;                // octets of UDH at the start of payload; 0: none
  std::optional<InboundConcat> concat;  // nullopt: a message in one part
  core::TimePoint received_at;

  friend bool operator==(const InboundPart&, const InboundPart&) = default;
};

// The UTF-8 text of one message from the parts of it that are present (in part order; a part
// that never came is absent) out of `total`. Must not fail: a part it cannot read becomes
// replacement text, since the message is stored either way.
using InboundAssembler =
    std::function<std::string(std::span<const InboundPart> present, int total)>;

// An inbound message, complete or stored with parts missing after the reassembly timeout.
struct InboundMessage {
  std::string id;               // UUIDv7 (listings order by the store's own order of storing)
  core::TimePoint received_at;  // when its first part arrived
  core::TimePoint stored_at;    // when it was assembled (its last part, or the timeout)
  std::string connector;
  std::string source;
  std::string destination;
  std::string text;  // UTF-8, from the InboundAssembler
  int parts_total = 1;
  int parts_received = 1;
  std::vector<int> parts_missing;  // part numbers, ascending; empty when complete
  // The store::InboundNumber entry it matched when it was stored (core::MatchInbound on the
  // destination's entries, else the account that last sent to `source` from that number: a
  // reply); all empty when no entry matched (stored, counted, not forwarded).
  std::string sid;
  std::string number_id;
  std::string keyword;  // the matched entry's keyword; empty for a number's default entry

  friend bool operator==(const InboundMessage&, const InboundMessage&) = default;
};

enum class InboundFilter : uint8_t { kAll, kUnmatched };

enum class InboundPartOutcome : uint8_t {
  kStored = 0,    // the message is complete and stored (one part, or the last one missing)
  kWaiting = 1,   // the part is stored; its message waits for more
  kRepeated = 2,  // a part already waiting or already in a stored message: nothing written
};

struct InboundPartResult {
  InboundPartOutcome outcome = InboundPartOutcome::kWaiting;
  std::string message_id;  // the stored message when kStored
};

class InboundStore {
 public:
  virtual ~InboundStore() = default;

  // Takes one part in one transaction. A message in one part (no concat, or total 1) is stored
  // at once. A part of a longer message is kept; the one that completes it has the message
  // assembled (`assemble` with every part), stored with stored_at = its received_at, and the
  // parts deleted, in the same transaction. A part whose number is already waiting, or that a
  // message with the same concatenation key stored at or after `repeats_since` contained, is a
  // repeat (the SMSC sends a part again when our answer was lost): kRepeated, nothing written.
  // A message in one part without concatenation info has nothing to tell a repeat by and is
  // always stored.
  //
  // With `opt_out`, a stored message that matched an account and whose text is an opt-out
  // command (core/opt_out.h) changes the account's opt-outs (store/opt_out_store.h) in the same
  // transaction: STOP to a number cannot be lost between the MO's answer and its effect.
  virtual core::Result<InboundPartResult> AddInboundPart(
      const InboundPart& part, core::TimePoint repeats_since, const InboundAssembler& assemble,
      const core::OptOutWords* opt_out = nullptr) = 0;

  // Gives up waiting: every incomplete message with a part that arrived before `cutoff` is
  // assembled from the parts present, stored with stored_at = `now` and its missing parts
  // listed, and its parts deleted, each message in one transaction with the deletion of its
  // parts (a backend may store several messages per transaction). Returns how many messages
  // were stored; on an error, those stored before it stay stored.
  virtual core::Result<size_t> ExpireInboundParts(core::TimePoint cutoff, core::TimePoint now,
                                                  const InboundAssembler& assemble,
                                                  const core::OptOutWords* opt_out = nullptr) = 0;

  // Up to `limit` stored messages (kUnmatched: only those that matched no account), newest
  // stored first; with `before_id`, only those stored before that message (paging; none when
  // there is no such message). The order is the order of storing on every node: a message
  // stored after a page was read never sorts below that page. Reads one snapshot.
  virtual core::Result<std::vector<InboundMessage>> ListInbound(std::string_view before_id,
                                                                size_t limit,
                                                                InboundFilter filter) = 0;
  // kNotFound when there is no such message.
  virtual core::Result<InboundMessage> GetInbound(std::string_view id) = 0;

  // Parts waiting for the rest of their message (for operators' counters and tests).
  virtual core::Result<size_t> CountWaitingInboundParts() = 0;
  // Stored messages that matched no account (for operators' counters and tests).
  virtual core::Result<size_t> CountUnmatchedInbound() = 0;
};

}  // namespace smsgw::store
