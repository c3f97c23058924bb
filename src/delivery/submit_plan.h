#pragma once
// What the dispatcher sends for one message: its submit_sm parts for a given connector, the
// concatenation reference, how long it may still live, and when a temporary failure is retried.
// Pure functions; thread-safe.

#include <chrono>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/message.h"
#include "core/result.h"
#include "core/time.h"
#include "smpp/codec/address.h"
#include "smpp/codec/pdu.h"
#include "text/segmenter.h"

namespace smsgw::delivery {

// What a connector changes in the submit_sm (from its [[smsc]] entry and the region).
struct WireSettings {
  text::ConcatMethod concat = text::ConcatMethod::kUdh8;
  smpp::codec::AddressOverride source_override;
  smpp::codec::AddressOverride dest_override;
  bool dlt = false;  // India DLT: send the entity and template ids as TLVs 0x1400 / 0x1401
};

// The concatenation reference of `message_id`'s parts. Derived from the id, not allocated, so
// that a retry that resends only the missing parts (after a restart too) uses the reference
// the first parts went out with. Two long messages in flight to one handset share a
// reference with probability 1/256 (8-bit) or 1/65536 (16-bit).
uint16_t ConcatReference(std::string_view message_id, text::ConcatMethod method);

// Every submit_sm of `message` in part order: its body in its accepted encoding, split by the
// connector's method, flash and DLT as the message says, a final receipt requested, and the
// relative validity `validity_left` (at least one minute is sent). Errors as
// codec::BuildMessageSubmits (a message that cannot be encoded can never be sent).
core::Result<std::vector<smpp::codec::SubmitSm>> PlanSubmits(const core::Message& message,
                                                             const WireSettings& wire,
                                                             std::chrono::seconds validity_left);

// When the message stops being worth sending: `validity` after its send time (or acceptance), or
// its own expires_at when that comes first.
core::TimePoint ValidUntil(const core::Message& message, std::chrono::seconds validity);

// The wait before retry number `attempts` + 1 (attempts counts earlier failures): `min`
// doubling per attempt, capped at `max`, then spread by `jitter` in [0, 1) over +-20% so that
// a burst of failures does not come back as a burst.
std::chrono::milliseconds RetryDelay(int attempts, std::chrono::milliseconds min,
                                     std::chrono::milliseconds max, double jitter);

}  // namespace smsgw::delivery
