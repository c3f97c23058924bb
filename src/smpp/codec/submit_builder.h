#pragma once
// Builds the submit_sm for one part of an outbound message: the part's bytes from
// text::BuildWireParts (short_message, or message_payload), its UDHI flag or SAR TLVs, and
// the message's addresses, data_coding, receipt request, validity and India DLT ids.
// Pure functions; thread-safe.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/message.h"
#include "core/result.h"
#include "smpp/codec/address.h"
#include "smpp/codec/pdu.h"
#include "smpp/codec/tlv.h"
#include "text/encoding.h"
#include "text/segmenter.h"

namespace smsgw::smpp::codec {

// §5.2.17 registered_delivery, bits 1..0: the SMSC delivery receipt wanted.
inline constexpr uint8_t kRegisteredDeliveryNone = 0x00;
inline constexpr uint8_t kRegisteredDeliveryFinal = 0x01;    // on success or failure
inline constexpr uint8_t kRegisteredDeliveryFailure = 0x02;  // on failure only
// bit 4: intermediate notifications as well.
inline constexpr uint8_t kRegisteredDeliveryIntermediate = 0x10;

struct SubmitFields {
  std::string service_type{};  // usually empty: the SMSC default
  std::string source{};        // sender id or number; TON/NPI from MakeAddress
  AddressOverride source_override;
  std::string destination{};  // E.164, with or without '+'
  AddressOverride dest_override;
  core::Encoding encoding = core::Encoding::kGsm7;  // data_coding via text::DataCodingFor
  bool flash = false;
  uint8_t registered_delivery = kRegisteredDeliveryFinal;
  uint8_t esm_class = 0;  // messaging mode / type bits; UDHI (0x40) comes from the part
  uint8_t protocol_id = 0;
  uint8_t priority_flag = 0;
  std::optional<std::chrono::seconds> validity{};  // relative validity_period; none = SMSC default
  std::string dlt_entity_id{};                     // India DLT (tag::kDltEntityId); empty = none
  std::string dlt_template_id{};                   // tag::kDltTemplateId; empty = none
  DltStringForm dlt_form = DltStringForm::kCOctet;
  TlvList extra_tlvs{};  // connector-specific TLVs, appended after the ones set here
};

// §7.1.1.2 relative time "YYMMDDhhmmss000R" for `duration`, in days, hours, minutes and
// seconds ("000002000000000R" is 48 hours). Error kInvalidExpiryTime when `duration` is not
// positive or is above 99 days.
core::Result<std::string> RelativeTime(std::chrono::seconds duration);

// The submit_sm for `part`. The result passes Validate. Errors (command_status.h):
// kInvalidDestAddress for an empty destination or one above 20 characters,
// kInvalidSourceAddress for a source above 20, kInvalidMessageLength for a short_message above
// 254 octets, kInvalidExpiryTime for a bad validity, kInvalidParamLength for a TLV above
// 65535 octets.
core::Result<SubmitSm> BuildSubmitSm(const text::WirePart& part, const SubmitFields& fields);

// Every submit_sm of one message, the way the gateway sends it: `utf8` encoded by `mode`
// (fields.encoding is replaced by the choice), split for `wire.method` with `wire.reference`,
// one submit_sm per part in order. Errors: those of text::Split, text::BuildWireParts and
// BuildSubmitSm.
core::Result<std::vector<SubmitSm>> BuildMessageSubmits(std::string_view utf8,
                                                        text::UnicodeMode mode,
                                                        const text::WireOptions& wire,
                                                        SubmitFields fields);

}  // namespace smsgw::smpp::codec
