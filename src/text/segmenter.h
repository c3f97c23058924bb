#pragma once
// Splitting an encoded text into the parts of a concatenated SMS (TS 23.040 §9.2.3.24.1), and
// turning those parts into what submit_sm carries: a UDH per part (8- or 16-bit reference),
// SAR TLVs (SMPP 3.4 §5.3.2.22-24), or the whole text in one message_payload (§5.3.2.32).
// Limits are in septets for GSM-7 (an extension character counts 2 and never leaves its
// escape) and in UTF-16 code units for UCS-2 (a surrogate pair counts 2 and is never split).
// Pure functions; thread-safe.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/message.h"
#include "core/result.h"
#include "text/encoding.h"

namespace smsgw::text {

// How a connector carries a long message (per SMSC configuration).
enum class ConcatMethod {
  kUdh8,            // UDH IEI 0x00, 8-bit reference (default)
  kUdh16,           // UDH IEI 0x08, 16-bit reference
  kSar,             // no UDH; sar_* TLVs, the SMSC adds the UDH
  kMessagePayload,  // one submit_sm, the whole text in message_payload; the SMSC splits
};

// Units one message holds alone, and per part when concatenated. A TP-UD is 140 octets: 160
// septets or 70 UTF-16 units alone; a 6-octet UDH (8-bit ref) leaves 153 septets (with one fill
// bit) or 67 units; a 7-octet UDH (16-bit ref) leaves 152 septets or 66 units. SAR and
// message_payload are counted as the SMSC will split them, with 8-bit references. Binary
// parts are octets: 140 alone, 134 / 133 per part.
struct PartLimits {
  size_t single;
  size_t per_part;
};
PartLimits LimitsFor(core::Encoding encoding, ConcatMethod method);

// Counts parts while characters are appended, with the same greedy rule Split uses: a
// character that does not fit in the current part starts the next one. Allocation-free.
class PartCounter {
 public:
  constexpr explicit PartCounter(PartLimits limits) : limits_(limits) {}
  constexpr void Add(size_t units) {
    total_ += units;
    if (fill_ + units > limits_.per_part) {
      ++parts_;
      fill_ = units;
    } else {
      fill_ += units;
    }
  }
  constexpr size_t total() const { return total_; }
  constexpr int parts() const { return total_ <= limits_.single ? 1 : parts_; }

 private:
  PartLimits limits_;
  size_t total_ = 0;
  size_t fill_ = 0;
  int parts_ = 1;
};

struct Part {
  std::vector<uint8_t> bytes;  // GSM-7: one septet per octet, escapes included; UCS-2: UTF-16BE
  size_t units = 0;            // septets, UTF-16 code units, or octets for binary
};

struct Segmentation {
  core::Encoding encoding;
  std::vector<Part> parts;  // never empty; the empty text is one empty part
};

// Encodes `text` (UTF-8; for kBinary, raw octets) and splits it. Errors: invalid UTF-8, and
// a character GSM-7 cannot carry when `encoding` is kGsm7.
core::Result<Segmentation> Split(std::string_view text, core::Encoding encoding,
                                 ConcatMethod method = ConcatMethod::kUdh8);
// Chooses the encoding as Analyze does, then splits.
core::Result<Segmentation> Split(std::string_view utf8, UnicodeMode mode,
                                 ConcatMethod method = ConcatMethod::kUdh8);

// Splits text that is already encoded (GSM-7 one septet per octet, UTF-16BE, or binary).
std::vector<Part> SplitEncoded(std::span<const uint8_t> encoded, core::Encoding encoding,
                               PartLimits limits);

// What one submit_sm carries for one part.
struct SarInfo {
  uint16_t msg_ref_num;    // sar_msg_ref_num, SMPP 3.4 §5.3.2.22
  uint8_t total_segments;  // sar_total_segments, §5.3.2.23
  uint8_t segment_seqnum;  // sar_segment_seqnum, §5.3.2.24, from 1
};
struct WirePart {
  std::vector<uint8_t> bytes;  // short_message, or message_payload when in_message_payload
  bool udhi = false;           // set esm_class bit 6 (0x40), SMPP 3.4 §5.2.12
  bool in_message_payload = false;
  std::optional<SarInfo> sar;
};

struct WireOptions {
  ConcatMethod method = ConcatMethod::kUdh8;
  uint16_t reference = 0;  // from ConcatRefAllocator; must be < 256 for kUdh8
  // GSM-7 as packed septets (after the UDH, with fill bits; <CR> padding per
  // PackSeptetsPaddedWithCr) instead of one septet per octet.
  bool pack_gsm7 = false;
};

// One WirePart per submit_sm. A single part gets no UDH and no SAR. Errors: more than 255
// parts with a UDH or SAR, a reference too wide for kUdh8.
core::Result<std::vector<WirePart>> BuildWireParts(const Segmentation& segmentation,
                                                   const WireOptions& options);

}  // namespace smsgw::text
