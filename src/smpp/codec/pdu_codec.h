#pragma once
// Pdu <-> bytes for SMPP 3.4 (layouts in pdu.h and tlv.h). Decode takes bytes from a peer
// and trusts none of their lengths: a truncated, oversized or inconsistent PDU is an error
// value whose code (command_status.h) is the command_status the peer should be answered with,
// and ErrorResponse builds that answer. Encode writes what it is given; Validate says whether
// that is a PDU a peer will accept. Pure functions; thread-safe.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/result.h"
#include "smpp/codec/command_status.h"
#include "smpp/codec/pdu.h"

namespace smsgw::smpp::codec {

struct DecodeLimits {
  // Largest command_length accepted. SMPP sets no limit; a PDU with a 64 KiB message_payload
  // is already far beyond what any SMSC sends.
  uint32_t max_command_length = 64 * 1024;
};

// Decodes exactly one PDU: `bytes` must be the whole PDU (framing.h finds its end), so
// command_length must equal bytes.size(). Errors, by the status they carry:
//   kInvalidCommandLength  fewer than 16 octets, command_length < 16, above the limit or not
//                          bytes.size(); a body that ends inside a field; octets after the
//                          body of a PDU that has no TLVs
//   kInvalidCommandId      a command_id this codec does not decode
//   kInvalidMessageLength  sm_length above 254 or past the end of the body
//   kInvalidOptionalPartStream  a TLV header or value that runs past the end
//   a field's own status   a C-Octet String with no NUL within its max length
//                          (kInvalidSourceAddress, kInvalidSystemId, kInvalidMessageId, ...),
//                          a time field that is neither empty nor 16 characters
//                          (kInvalidScheduleTime, kInvalidExpiryTime)
// A response whose body is empty decodes with default fields: §4.1.2 and §4.4.2 leave the
// body out when command_status is not 0, and some peers do so for other responses as well.
core::Result<Pdu> Decode(std::span<const uint8_t> bytes, const DecodeLimits& limits = {});

// The wire form of `pdu`, command_length included. Fields are written as given: a Pdu that
// fails Validate yields a well-framed PDU the peer will reject (a short_message beyond 255
// octets is cut to 255). A response with a non-zero command_status and an all-default body
// is written header-only (§4.1.2, §4.4.2). For every Pdu that passes Validate,
// Decode(Encode(pdu)) == pdu.
std::vector<uint8_t> Encode(const Pdu& pdu);
// Appends the wire form to `out` (the write loop reuses its buffer).
void EncodeTo(const Pdu& pdu, std::vector<uint8_t>& out);

// Whether a peer (and Decode) will accept `pdu`: every C-Octet String within its max length
// and free of NULs, time fields empty or 16 characters, short_message at most 254 octets,
// every TLV value at most 65535 octets. The error carries the status a peer would answer.
core::Result<void> Validate(const Pdu& pdu);

// A response to `request` with `status` and the request's sequence_number: bind_*_resp,
// submit_sm_resp, ... with an empty body, or the header-only responses. nullopt for
// responses and for outbind and alert_notification, which have no response.
std::optional<Pdu> ResponseTo(const Pdu& request, CommandStatus status = CommandStatus::kOk);

// generic_nack, §4.3.
Pdu MakeGenericNack(uint32_t sequence_number, CommandStatus status);

// What to send back when Decode(`bytes`) failed with `error` (SMPP 3.4 §2.8, §4.3):
// generic_nack for an unreadable header, a bad command_length (which includes a body that
// ends inside a field) or an unknown command_id
// (and for outbind / alert_notification, which have no response of their own); the
// request's own response with the error's status for a bad body of a known request; nothing
// for a response, so that two peers never nack each other's nacks. The sequence_number is
// the failed PDU's when its header is readable, else 0. After a command_length error the
// byte stream has lost its framing: the session sends this and then closes the connection.
std::optional<Pdu> ErrorResponse(std::span<const uint8_t> bytes, const core::Error& error);

}  // namespace smsgw::smpp::codec
