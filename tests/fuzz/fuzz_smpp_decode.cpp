// Fuzzes the SMPP 3.4 PDU decoder with bytes as a peer might send them. Whatever the bytes,
// decoding must not crash. A PDU that decodes must pass Validate, re-encode, and decode again
// to the same value (decode(encode(p)) == p), and framing must agree on its length. A PDU that
// fails must carry a command_status and get an answer that is itself a valid PDU (or none,
// for a response).

#include <cstddef>
#include <cstdint>
#include <span>
#include <variant>
#include <vector>

#include "smpp/codec/framing.h"
#include "smpp/codec/pdu_codec.h"
#include "smpp/codec/receipt.h"

namespace {

using namespace smsgw;  // NOLINT: a fuzz driver, not library code
namespace codec = smpp::codec;

void Check(bool ok) {
  if (!ok) {
    __builtin_trap();
  }
}

// A Pdu we built (an answer, a response) must survive the wire.
void CheckTravels(const codec::Pdu& pdu) {
  Check(codec::Validate(pdu).has_value());
  const std::vector<uint8_t> wire = codec::Encode(pdu);
  const core::Result<codec::Pdu> back = codec::Decode(wire);
  Check(back.has_value() && *back == pdu);
}

void CheckDecoded(std::span<const uint8_t> bytes, const codec::Pdu& pdu) {
  Check(codec::Validate(pdu).has_value());
  const std::vector<uint8_t> wire = codec::Encode(pdu);
  const std::optional<codec::Header> header = codec::PeekHeader(wire);
  Check(header.has_value() && header->command_length == wire.size() &&
        header->command_id == codec::CommandIdOf(pdu) &&
        header->sequence_number == pdu.sequence_number);
  const core::Result<codec::Pdu> again = codec::Decode(wire);
  Check(again.has_value() && *again == pdu);
  Check(codec::Encode(*again) == wire);
  // The original bytes carry the same header values.
  const std::optional<codec::Header> original = codec::PeekHeader(bytes);
  Check(original.has_value() && original->command_id == header->command_id &&
        original->command_status == pdu.command_status);
  if (const std::optional<codec::Pdu> resp = codec::ResponseTo(pdu)) {
    Check(resp->sequence_number == pdu.sequence_number);
    CheckTravels(*resp);
  }
  if (const auto* deliver = std::get_if<codec::DeliverSm>(&pdu.body)) {
    const auto receipt = codec::ParseReceipt(*deliver);
    Check(!receipt.has_value() || !receipt->message_id.empty());
  }
  if (const auto* data = std::get_if<codec::DataSm>(&pdu.body)) {
    const auto receipt = codec::ParseReceipt(*data);
    Check(!receipt.has_value() || !receipt->message_id.empty());
  }
}

void CheckOne(std::span<const uint8_t> bytes) {
  const core::Result<codec::Pdu> pdu = codec::Decode(bytes);
  if (pdu.has_value()) {
    CheckDecoded(bytes, *pdu);
    return;
  }
  Check(!pdu.error().message.empty());
  Check(pdu.error().code.category() == codec::CommandStatusCategory() && pdu.error().code);
  const std::optional<codec::Pdu> answer = codec::ErrorResponse(bytes, pdu.error());
  if (answer.has_value()) {
    Check(codec::IsResponse(codec::CommandIdOf(*answer)));
    Check(answer->command_status == static_cast<uint32_t>(pdu.error().code.value()));
    CheckTravels(*answer);
  } else {
    const std::optional<codec::Header> header = codec::PeekHeader(bytes);
    Check(header.has_value() && codec::IsResponse(header->command_id));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  CheckOne(bytes);
  // Read the input as a stream, the way the session does: frame, decode, advance.
  std::span<const uint8_t> stream = bytes;
  while (!stream.empty()) {
    const auto frame = codec::FrameLength(stream);
    if (!frame.has_value() || !frame->has_value()) {
      break;
    }
    const size_t length = **frame;
    Check(length >= codec::kHeaderSize && length <= stream.size());
    CheckOne(stream.first(length));
    stream = stream.subspan(length);
  }
  return 0;
}
