#pragma once
// Finding PDU boundaries in a TCP byte stream, for the session's read loop: SMPP 3.4 §3.2
// frames every PDU by its first field, command_length (4 octets, big-endian, the whole PDU
// including those 4 octets). Pure functions; thread-safe.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "core/result.h"
#include "smpp/codec/pdu_codec.h"

namespace smsgw::smpp::codec {

// The four header fields as they are on the wire (layout in pdu.h).
struct Header {
  uint32_t command_length = 0;
  uint32_t command_id = 0;
  uint32_t command_status = 0;
  uint32_t sequence_number = 0;

  friend bool operator==(const Header&, const Header&) = default;
};

// The header at the start of `bytes`; nullopt when fewer than 16 octets are present.
// Nothing is checked.
std::optional<Header> PeekHeader(std::span<const uint8_t> bytes);

// Given the unconsumed bytes of the stream: the length of the PDU at their start once all of
// it has arrived (pass that many bytes to Decode), or nullopt while more are needed (fewer
// than 4 octets, or fewer than command_length). Error kInvalidCommandLength when
// command_length is below 16 or above limits.max_command_length: the stream cannot be
// resynchronised, so the session answers with ErrorResponse and closes the connection.
core::Result<std::optional<size_t>> FrameLength(std::span<const uint8_t> bytes,
                                                const DecodeLimits& limits = {});

}  // namespace smsgw::smpp::codec
