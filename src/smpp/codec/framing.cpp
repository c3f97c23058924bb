#include "smpp/codec/framing.h"

#include <string>

#include "smpp/codec/command_status.h"

namespace smsgw::smpp::codec {
namespace {

uint32_t ReadU32(std::span<const uint8_t> b, size_t at) {
  return (uint32_t{b[at]} << 24) | (uint32_t{b[at + 1]} << 16) | (uint32_t{b[at + 2]} << 8) |
         uint32_t{b[at + 3]};
}

}  // namespace

std::optional<Header> PeekHeader(std::span<const uint8_t> bytes) {
  if (bytes.size() < kHeaderSize) {
    return std::nullopt;
  }
  return Header{ReadU32(bytes, 0), ReadU32(bytes, 4), ReadU32(bytes, 8), ReadU32(bytes, 12)};
}

core::Result<std::optional<size_t>> FrameLength(std::span<const uint8_t> bytes,
                                                const DecodeLimits& limits) {
  if (bytes.size() < 4) {
    return std::nullopt;
  }
  const uint32_t length = ReadU32(bytes, 0);
  if (length < kHeaderSize) {
    return MakeStatusError(CommandStatus::kInvalidCommandLength,
                           "command_length " + std::to_string(length) + " is below 16");
  }
  if (length > limits.max_command_length) {
    return MakeStatusError(CommandStatus::kInvalidCommandLength,
                           "command_length " + std::to_string(length) + " is above the limit " +
                               std::to_string(limits.max_command_length));
  }
  if (bytes.size() < length) {
    return std::nullopt;
  }
  return std::optional<size_t>(length);
}

}  // namespace smsgw::smpp::codec
