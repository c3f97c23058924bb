#pragma once
// The deliver_sm that carries an inbound (MO) message to a customer's receiver or transceiver
// bind (SMPP 3.4 §4.6.1), for an inbound-number entry whose target is SMPP: esm_class 0 (a
// short message, §5.2.12), source_addr the handset it came from, destination_addr the number it
// was sent to, and the text as GSM 03.38 one septet per octet (data_coding 0) when every
// character has a GSM-7 code, else UCS-2 (UTF-16BE, data_coding 8).
//
// A text longer than one SMS (160 septets, or 140 octets of UCS-2) travels whole in the
// message_payload TLV (0x0424, §5.3.2.32) with an empty short_message, not split into UDH parts:
// one outbox row stays one deliver_sm and one deliver_sm_resp, so its lease, resend and
// acknowledgement stay per row (parts would each need an answer, and a resend of the missing
// ones), and the customer gets the message as smsgw stored it, without reassembling. Pure;
// thread-safe.

#include <cstddef>
#include <string_view>

#include "smpp/codec/pdu.h"
#include "store/smpp_outbox_store.h"

namespace smsgw::smpp_server {

// One SMS: what short_message carries; longer goes in message_payload.
inline constexpr size_t kMoShortGsmSeptets = 160;
inline constexpr size_t kMoShortUcs2Octets = 140;
// message_payload's bound, below the 64 KiB a PDU may have (a TLV length is 16 bits). Stored MO
// texts are far shorter (at most 255 parts); a longer one is cut at a character.
inline constexpr size_t kMoMaxPayloadOctets = 60000;

// The deliver_sm for an MO row (job.kind == kMo). The sequence number is the caller's.
smpp::codec::DeliverSm MoDeliverSm(const store::SmppOutboxJob& job);

}  // namespace smsgw::smpp_server
