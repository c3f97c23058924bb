#pragma once
// SmppStagingStore holds the parts of a concatenated message a customer submits over SMPP (UDH
// 8/16-bit or SAR TLVs; issue 17) until the last one arrives, so that each part's
// submit_sm_resp can say ESME_ROK as soon as that part is durably stored. A set of parts is keyed
// by (credential, source, destination, reference); the message id it will have is fixed when its
// first part is staged and answered to every part. The part that completes a set returns every
// part's bytes; the caller builds and validates the whole message, then CompleteSmppSet stores it
// and deletes the set in one transaction (or DropSmppSet deletes a set whose message was
// refused). A set still incomplete after the reassembly timeout is deleted by ExpireSmppSets and
// reported to the caller, who logs it: its parts were acknowledged, so the loss must be visible.
//
// The store knows nothing of SMS alphabets or UDHs: parts are opaque user data, joined by the
// caller. Writes go through the same group-committed writer as MessageStore::Enqueue (so a staged
// part costs a share of an accept's fsync, not one of its own). Calls block and are safe from
// any thread; each call is one transaction.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/message.h"
#include "core/result.h"
#include "core/time.h"

namespace smsgw::store {

// One part of a concatenated submit, as staged.
struct SmppStagedPart {
  std::string sid;        // the credential's account
  std::string system_id;  // the credential
  std::string source;     // source_addr, as sent
  std::string destination;
  uint16_t reference = 0;  // UDH (8 or 16 bit) or sar_msg_ref_num
  int total = 2;           // parts in the message, 2..255
  int seqnum = 1;          // this part, 1..total
  uint8_t data_coding = 0;
  uint8_t registered_delivery = 0;
  std::vector<uint8_t> user_data;  // the part's text octets (the UDH removed)
  std::string message_id;          // the id the message gets when this part starts the set
  core::TimePoint received_at;

  friend bool operator==(const SmppStagedPart&, const SmppStagedPart&) = default;
};

// Bounds on what customers may stage (hostile input: a set that never completes costs rows).
struct SmppStagingLimits {
  size_t max_sets_per_credential = 1000;  // incomplete sets of one credential at once
  size_t max_set_octets = 16000;          // user data of one set, all its parts together
};

enum class SmppStageOutcome : uint8_t {
  kStaged = 0,         // stored; the set waits for more parts
  kRepeated = 1,       // this part number is already staged: nothing written
  kComplete = 2,       // stored (or already stored) and the set has all its parts: see parts
  kTotalDiffers = 3,   // the set was staged with another total: nothing written
  kCodingDiffers = 4,  // the set was staged with another data_coding: nothing written
  kTooLong = 5,        // the set's user data would exceed max_set_octets: nothing written
  kTooManySets = 6,    // the credential has max_sets_per_credential sets staged: nothing written
};

// A set deleted before it completed (ExpireSmppSets, or superseded), for the caller's log line.
struct SmppExpiredSet {
  std::string sid, system_id, source, destination;
  uint16_t reference = 0;
  int total = 0;
  int received = 0;  // parts staged
  std::string message_id;
  core::TimePoint first_at;  // when its first part was staged

  friend bool operator==(const SmppExpiredSet&, const SmppExpiredSet&) = default;
};

struct SmppStageResult {
  SmppStageOutcome outcome = SmppStageOutcome::kStaged;
  int64_t set_id = 0;               // the set (never reused): for CompleteSmppSet / DropSmppSet
  std::string message_id;           // the set's message id (kStaged, kRepeated, kComplete)
  uint8_t registered_delivery = 0;  // the set's: the first non-zero of its parts' (kComplete)
  std::vector<std::vector<uint8_t>> parts;  // kComplete: every part's user data, in part order
  // kStaged: the incomplete set this part replaced (its number was staged with other octets).
  std::optional<SmppExpiredSet> superseded;
};

class SmppStagingStore {
 public:
  virtual ~SmppStagingStore() = default;

  // Stages `part` in one transaction. The first part of a key starts a set with its total,
  // data_coding and message_id (unless the credential already has max_sets_per_credential sets:
  // kTooManySets). A later part must match the set's total and data_coding (kTotalDiffers,
  // kCodingDiffers) and fit max_set_octets (kTooLong). A part number already staged with the
  // same octets is kRepeated, except when the set is complete: then kComplete again, so that a
  // customer who sends the last part again (its answer was lost, or the process died before the
  // message was stored) gets the message stored. A part number staged with other octets in an
  // incomplete set means the reference came round to a new message: the old set is deleted and
  // reported in `superseded`, and this part starts a new one (kStaged). kComplete carries every
  // part's user data.
  virtual core::Result<SmppStageResult> StageSmppPart(const SmppStagedPart& part,
                                                      const SmppStagingLimits& limits) = 0;

  // In one transaction: deletes set `set_id` and stores `message` as MessageStore::Enqueue would.
  // kNotFound when the set is gone or not complete (expired meanwhile), unless `message` is
  // already stored (another answer to the same last part got there first): then nothing is
  // written and the call succeeds. Errors as Enqueue otherwise.
  virtual core::Result<void> CompleteSmppSet(int64_t set_id, const core::Message& message) = 0;

  // Deletes set `set_id` (its message was refused); nothing when it is gone.
  virtual core::Result<void> DropSmppSet(int64_t set_id) = 0;

  // Deletes up to `limit` sets whose first part was staged before `cutoff`, oldest first, and
  // returns them.
  virtual core::Result<std::vector<SmppExpiredSet>> ExpireSmppSets(core::TimePoint cutoff,
                                                                   size_t limit) = 0;

  // Sets staged for `system_id` (for tests and operators).
  virtual core::Result<size_t> CountSmppStagedSets(std::string_view system_id) = 0;
};

}  // namespace smsgw::store
