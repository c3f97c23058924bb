#pragma once
// The SMPP 3.4 PDUs smsgw sends or must understand, as plain values: a Pdu is the header's
// command_status and sequence_number plus one body struct per command (the command_id
// follows from the body). pdu_codec.h turns them into bytes and back. Field names are the
// spec's; the max lengths in the comments count the terminating NUL, as the spec does.
// Plain values; thread-compatible.
//
// Header (SMPP 3.4 §3.2, §2.2.1), every field a 4-octet big-endian integer:
//    0  command_length    octets of the whole PDU, header included (>= 16)
//    4  command_id        kGenericNack, kSubmitSm, ... ; bit 31 set = a response
//    8  command_status    0 in requests; the result in responses (command_status.h)
//   12  sequence_number   echoed by the response, 0x00000001..0x7FFFFFFF
//   16  body              mandatory parameters in order, then optional TLVs (tlv.h)

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "smpp/codec/tlv.h"

namespace smsgw::smpp::codec {

inline constexpr size_t kHeaderSize = 16;
inline constexpr uint32_t kResponseBit = 0x80000000;
// §5.1.2 interface_version: 0x34 for SMPP 3.4.
inline constexpr uint8_t kInterfaceVersion34 = 0x34;
// §5.2.21 sm_length: short_message holds 0..254 octets.
inline constexpr size_t kMaxShortMessage = 254;

// SMPP 3.4 §5.1.2, Table 5-1.
enum class CommandId : uint32_t {
  kGenericNack = 0x80000000,
  kBindReceiver = 0x00000001,
  kBindReceiverResp = 0x80000001,
  kBindTransmitter = 0x00000002,
  kBindTransmitterResp = 0x80000002,
  kQuerySm = 0x00000003,
  kQuerySmResp = 0x80000003,
  kSubmitSm = 0x00000004,
  kSubmitSmResp = 0x80000004,
  kDeliverSm = 0x00000005,
  kDeliverSmResp = 0x80000005,
  kUnbind = 0x00000006,
  kUnbindResp = 0x80000006,
  kReplaceSm = 0x00000007,  // not decoded: answered with generic_nack ESME_RINVCMDID
  kReplaceSmResp = 0x80000007,
  kCancelSm = 0x00000008,
  kCancelSmResp = 0x80000008,
  kBindTransceiver = 0x00000009,
  kBindTransceiverResp = 0x80000009,
  kOutbind = 0x0000000B,
  kEnquireLink = 0x00000015,
  kEnquireLinkResp = 0x80000015,
  kSubmitMulti = 0x00000021,
  kSubmitMultiResp = 0x80000021,
  kAlertNotification = 0x00000102,
  kDataSm = 0x00000103,
  kDataSmResp = 0x80000103,
};

inline constexpr bool IsResponse(uint32_t command_id) { return (command_id & kResponseBit) != 0; }

// "submit_sm", "bind_transceiver_resp", ...; "unknown" for ids this codec does not decode.
std::string_view CommandName(uint32_t command_id);

// §5.2.5 type_of_number and §5.2.6 numbering_plan_indicator (the values address.h uses).
inline constexpr uint8_t kTonUnknown = 0;
inline constexpr uint8_t kTonInternational = 1;
inline constexpr uint8_t kTonNational = 2;
inline constexpr uint8_t kTonNetworkSpecific = 3;
inline constexpr uint8_t kTonSubscriberNumber = 4;
inline constexpr uint8_t kTonAlphanumeric = 5;
inline constexpr uint8_t kTonAbbreviated = 6;
inline constexpr uint8_t kNpiUnknown = 0;
inline constexpr uint8_t kNpiIsdn = 1;  // E.163/E.164
inline constexpr uint8_t kNpiData = 3;
inline constexpr uint8_t kNpiTelex = 4;
inline constexpr uint8_t kNpiLandMobile = 6;
inline constexpr uint8_t kNpiNational = 8;
inline constexpr uint8_t kNpiPrivate = 9;
inline constexpr uint8_t kNpiErmes = 10;
inline constexpr uint8_t kNpiInternet = 14;
inline constexpr uint8_t kNpiWapClientId = 18;

// §5.2.28 message_state (query_sm_resp, and the message_state TLV of a receipt).
enum class MessageState : uint8_t {
  kEnroute = 1,
  kDelivered = 2,
  kExpired = 3,
  kDeleted = 4,
  kUndeliverable = 5,
  kAccepted = 6,
  kUnknown = 7,
  kRejected = 8,
};
// The receipt text's stat word for each state (Appendix B): "ENROUTE", "DELIVRD", "EXPIRED",
// "DELETED", "UNDELIV", "ACCEPTD", "UNKNOWN", "REJECTD".
std::string_view StatWord(MessageState state);

// type of number, numbering plan, address: how every PDU carries an address.
struct Address {
  uint8_t ton = kTonUnknown;
  uint8_t npi = kNpiUnknown;
  std::string addr{};

  friend bool operator==(const Address&, const Address&) = default;
};

enum class BindMode : uint8_t { kTransmitter, kReceiver, kTransceiver };

// bind_transmitter / bind_receiver / bind_transceiver, §4.1.1 / §4.1.3 / §4.1.5.
struct Bind {
  BindMode mode = BindMode::kTransceiver;
  std::string system_id{};    // max 16
  std::string password{};     // max 9
  std::string system_type{};  // max 13
  uint8_t interface_version = kInterfaceVersion34;
  uint8_t addr_ton = kTonUnknown;
  uint8_t addr_npi = kNpiUnknown;
  std::string address_range{};  // max 41

  friend bool operator==(const Bind&, const Bind&) = default;
};

// bind_*_resp, §4.1.2 / §4.1.4 / §4.1.6. The body is left out when command_status is not 0.
struct BindResp {
  BindMode mode = BindMode::kTransceiver;
  std::string system_id{};  // max 16
  TlvList tlvs{};           // sc_interface_version

  friend bool operator==(const BindResp&, const BindResp&) = default;
};

// outbind, §4.1.7: the SMSC asks the ESME to bind (no response PDU).
struct Outbind {
  std::string system_id{};  // max 16
  std::string password{};   // max 9

  friend bool operator==(const Outbind&, const Outbind&) = default;
};

// Header-only PDUs: §4.2 unbind(_resp), §4.11 enquire_link(_resp), §4.3 generic_nack.
struct Unbind {
  friend bool operator==(const Unbind&, const Unbind&) = default;
};
struct UnbindResp {
  friend bool operator==(const UnbindResp&, const UnbindResp&) = default;
};
struct EnquireLink {
  friend bool operator==(const EnquireLink&, const EnquireLink&) = default;
};
struct EnquireLinkResp {
  friend bool operator==(const EnquireLinkResp&, const EnquireLinkResp&) = default;
};
struct GenericNack {
  friend bool operator==(const GenericNack&, const GenericNack&) = default;
};

// submit_sm, §4.4.1. deliver_sm (§4.6.1) has the same layout, where the time fields and
// replace_if_present_flag / sm_default_msg_id are unused (NULL / 0).
struct SubmitSm {
  std::string service_type{};  // max 6
  Address source{};            // source_addr max 21
  Address dest{};              // destination_addr max 21
  uint8_t esm_class = 0;       // §5.2.12: bits 5..2 message type, bit 6 UDHI, bit 7 reply path
  uint8_t protocol_id = 0;
  uint8_t priority_flag = 0;
  std::string schedule_delivery_time{};  // "" or 16 characters (§7.1.1)
  std::string validity_period{};         // "" or 16 characters
  uint8_t registered_delivery = 0;       // §5.2.17
  uint8_t replace_if_present_flag = 0;
  uint8_t data_coding = 0;  // §5.2.19
  uint8_t sm_default_msg_id = 0;
  std::vector<uint8_t> short_message{};  // 0..254 octets; sm_length is its size
  TlvList tlvs{};

  friend bool operator==(const SubmitSm&, const SubmitSm&) = default;
};

struct SubmitSmResp {
  std::string message_id{};  // max 65; body left out when command_status is not 0 (§4.4.2)
  TlvList tlvs{};            // none in 3.4; SMPP 5.0 peers add some, kept as received

  friend bool operator==(const SubmitSmResp&, const SubmitSmResp&) = default;
};

struct DeliverSm {
  std::string service_type{};  // max 6
  Address source{};            // max 21
  Address dest{};              // max 21
  uint8_t esm_class = 0;       // 0x04 = SMSC delivery receipt (receipt.h)
  uint8_t protocol_id = 0;
  uint8_t priority_flag = 0;
  std::string schedule_delivery_time{};  // must be NULL; "" or 16 characters
  std::string validity_period{};         // must be NULL; "" or 16 characters
  uint8_t registered_delivery = 0;
  uint8_t replace_if_present_flag = 0;
  uint8_t data_coding = 0;
  uint8_t sm_default_msg_id = 0;
  std::vector<uint8_t> short_message{};  // 0..254 octets
  TlvList tlvs{};

  friend bool operator==(const DeliverSm&, const DeliverSm&) = default;
};

struct DeliverSmResp {
  std::string message_id{};  // §4.6.2: unused, NULL
  TlvList tlvs{};            // none in 3.4; kept as received

  friend bool operator==(const DeliverSmResp&, const DeliverSmResp&) = default;
};

// data_sm, §4.7.1 (either direction).
struct DataSm {
  std::string service_type{};  // max 6
  Address source{};            // max 65
  Address dest{};              // max 65
  uint8_t esm_class = 0;
  uint8_t registered_delivery = 0;
  uint8_t data_coding = 0;
  TlvList tlvs{};  // the text travels in message_payload

  friend bool operator==(const DataSm&, const DataSm&) = default;
};

struct DataSmResp {
  std::string message_id{};  // max 65
  TlvList tlvs{};            // delivery_failure_reason, network_error_code, ...

  friend bool operator==(const DataSmResp&, const DataSmResp&) = default;
};

// submit_multi, §4.5.1: submit_sm's fields with up to 254 destinations instead of one.
// §5.2.25 dest_flag: 1 an SME address (dest_addr_ton, dest_addr_npi, destination_addr max 21),
// 2 a distribution list (dl_name max 21).
inline constexpr uint8_t kDestFlagSme = 1;
inline constexpr uint8_t kDestFlagDistributionList = 2;
// §4.5.1 number_of_dests: at most 254.
inline constexpr size_t kMaxMultiDests = 254;
struct MultiDest {
  uint8_t dest_flag = kDestFlagSme;
  Address address{};      // dest_flag 1
  std::string dl_name{};  // dest_flag 2

  friend bool operator==(const MultiDest&, const MultiDest&) = default;
};

struct SubmitMulti {
  std::string service_type{};      // max 6
  Address source{};                // source_addr max 21
  std::vector<MultiDest> dests{};  // number_of_dests is its size
  uint8_t esm_class = 0;
  uint8_t protocol_id = 0;
  uint8_t priority_flag = 0;
  std::string schedule_delivery_time{};  // "" or 16 characters (§7.1.1)
  std::string validity_period{};         // "" or 16 characters
  uint8_t registered_delivery = 0;
  uint8_t replace_if_present_flag = 0;
  uint8_t data_coding = 0;
  uint8_t sm_default_msg_id = 0;
  std::vector<uint8_t> short_message{};  // 0..254 octets
  TlvList tlvs{};

  friend bool operator==(const SubmitMulti&, const SubmitMulti&) = default;
};

// §4.5.2 unsuccess_sme: a destination the SMSC refused, with the command_status why.
struct UnsuccessSme {
  Address address{};  // destination_addr max 21
  uint32_t error_status_code = 0;

  friend bool operator==(const UnsuccessSme&, const UnsuccessSme&) = default;
};

// submit_multi_resp, §4.5.2 (no TLVs in 3.4). Body left out when command_status is not 0.
struct SubmitMultiResp {
  std::string message_id{};               // max 65
  std::vector<UnsuccessSme> unsuccess{};  // no_unsuccess is its size

  friend bool operator==(const SubmitMultiResp&, const SubmitMultiResp&) = default;
};

// query_sm, §4.8.1.
struct QuerySm {
  std::string message_id{};  // max 65
  Address source{};          // max 21

  friend bool operator==(const QuerySm&, const QuerySm&) = default;
};

struct QuerySmResp {
  std::string message_id{};   // max 65
  std::string final_date{};   // "" or 16 characters
  uint8_t message_state = 0;  // MessageState, kept raw: the value is the SMSC's
  uint8_t error_code = 0;

  friend bool operator==(const QuerySmResp&, const QuerySmResp&) = default;
};

// cancel_sm, §4.9.1.
struct CancelSm {
  std::string service_type{};  // max 6
  std::string message_id{};    // max 65
  Address source{};            // max 21
  Address dest{};              // max 21

  friend bool operator==(const CancelSm&, const CancelSm&) = default;
};

struct CancelSmResp {
  friend bool operator==(const CancelSmResp&, const CancelSmResp&) = default;
};

// alert_notification, §4.12.1: SMSC to ESME, no response PDU.
struct AlertNotification {
  Address source{};  // max 65
  Address esme{};    // esme_addr max 65
  TlvList tlvs{};    // ms_availability_status

  friend bool operator==(const AlertNotification&, const AlertNotification&) = default;
};

using Body = std::variant<Bind, BindResp, Outbind, Unbind, UnbindResp, EnquireLink, EnquireLinkResp,
                          GenericNack, SubmitSm, SubmitSmResp, DeliverSm, DeliverSmResp, DataSm,
                          DataSmResp, QuerySm, QuerySmResp, CancelSm, CancelSmResp,
                          AlertNotification, SubmitMulti, SubmitMultiResp>;

struct Pdu {
  uint32_t command_status = 0;
  uint32_t sequence_number = 0;
  Body body;

  friend bool operator==(const Pdu&, const Pdu&) = default;
};

// The command_id the body encodes as.
uint32_t CommandIdOf(const Body& body);
inline uint32_t CommandIdOf(const Pdu& pdu) { return CommandIdOf(pdu.body); }

}  // namespace smsgw::smpp::codec
