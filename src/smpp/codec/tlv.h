#pragma once
// SMPP 3.4 optional parameters (TLVs, §3.2.4 / §5.3): the tag constants of every standard
// parameter, a TlvList that keeps whatever a peer sent (unknown and vendor tags included, in
// arrival order, so a decoded PDU re-encodes byte for byte), and typed accessors for the
// parameters smsgw reads or writes. Plain values; thread-compatible.
//
// TLV layout (big-endian):  tag 2 | length 2 | value `length` octets
//   Integer values are big-endian of the size the spec gives (1, 2 or 4 octets).
//   C-Octet String values end with a NUL that `length` counts; Octet Strings have none.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "text/segmenter.h"  // text::SarInfo

namespace smsgw::smpp::codec {

// SMPP 3.4 §5.3.2, Table 5-3 (with the value type and size after each tag).
namespace tag {
inline constexpr uint16_t kDestAddrSubunit = 0x0005;           // Integer 1
inline constexpr uint16_t kDestNetworkType = 0x0006;           // Integer 1
inline constexpr uint16_t kDestBearerType = 0x0007;            // Integer 1
inline constexpr uint16_t kDestTelematicsId = 0x0008;          // Integer 2
inline constexpr uint16_t kSourceAddrSubunit = 0x000D;         // Integer 1
inline constexpr uint16_t kSourceNetworkType = 0x000E;         // Integer 1
inline constexpr uint16_t kSourceBearerType = 0x000F;          // Integer 1
inline constexpr uint16_t kSourceTelematicsId = 0x0010;        // Integer 1
inline constexpr uint16_t kQosTimeToLive = 0x0017;             // Integer 4
inline constexpr uint16_t kPayloadType = 0x0019;               // Integer 1
inline constexpr uint16_t kAdditionalStatusInfoText = 0x001D;  // C-Octet String, max 256
inline constexpr uint16_t kReceiptedMessageId = 0x001E;        // C-Octet String, max 65
inline constexpr uint16_t kMsMsgWaitFacilities = 0x0030;       // Bit mask 1
inline constexpr uint16_t kPrivacyIndicator = 0x0201;          // Integer 1
inline constexpr uint16_t kSourceSubaddress = 0x0202;          // Octet String 2..23
inline constexpr uint16_t kDestSubaddress = 0x0203;            // Octet String 2..23
inline constexpr uint16_t kUserMessageReference = 0x0204;      // Integer 2
inline constexpr uint16_t kUserResponseCode = 0x0205;          // Integer 1
inline constexpr uint16_t kSourcePort = 0x020A;                // Integer 2
inline constexpr uint16_t kDestinationPort = 0x020B;           // Integer 2
inline constexpr uint16_t kSarMsgRefNum = 0x020C;              // Integer 2
inline constexpr uint16_t kLanguageIndicator = 0x020D;         // Integer 1
inline constexpr uint16_t kSarTotalSegments = 0x020E;          // Integer 1
inline constexpr uint16_t kSarSegmentSeqnum = 0x020F;          // Integer 1
inline constexpr uint16_t kScInterfaceVersion = 0x0210;        // Integer 1
inline constexpr uint16_t kCallbackNumPresInd = 0x0302;        // Bit mask 1
inline constexpr uint16_t kCallbackNumAtag = 0x0303;           // Octet String max 65
inline constexpr uint16_t kNumberOfMessages = 0x0304;          // Integer 1
inline constexpr uint16_t kCallbackNum = 0x0381;               // Octet String 4..19
inline constexpr uint16_t kDpfResult = 0x0420;                 // Integer 1
inline constexpr uint16_t kSetDpf = 0x0421;                    // Integer 1
inline constexpr uint16_t kMsAvailabilityStatus = 0x0422;      // Integer 1
inline constexpr uint16_t kNetworkErrorCode = 0x0423;          // Octet String 3
inline constexpr uint16_t kMessagePayload = 0x0424;            // Octet String, any length
inline constexpr uint16_t kDeliveryFailureReason = 0x0425;     // Integer 1
inline constexpr uint16_t kMoreMessagesToSend = 0x0426;        // Integer 1
inline constexpr uint16_t kMessageState = 0x0427;              // Integer 1
inline constexpr uint16_t kUssdServiceOp = 0x0501;             // Octet String 1
inline constexpr uint16_t kDisplayTime = 0x1201;               // Integer 1
inline constexpr uint16_t kSmsSignal = 0x1203;                 // Integer 2
inline constexpr uint16_t kMsValidity = 0x1204;                // Integer 1
inline constexpr uint16_t kAlertOnMessageDelivery = 0x130C;    // no value (length 0)
inline constexpr uint16_t kItsReplyType = 0x1380;              // Integer 1
inline constexpr uint16_t kItsSessionInfo = 0x1383;            // Octet String 2

// §5.3.2: 0x1400..0x3FFF are reserved for SMSC vendor-specific parameters.
inline constexpr uint16_t kVendorFirst = 0x1400;
inline constexpr uint16_t kVendorLast = 0x3FFF;
// India's DLT scheme (TRAI TCCCPR 2018): the principal entity id and content template id
// that operators require on every submit_sm, in the vendor range. Most Indian SMSCs take
// them as C-Octet Strings; some want Octet Strings (DltStringForm).
inline constexpr uint16_t kDltEntityId = 0x1400;
inline constexpr uint16_t kDltTemplateId = 0x1401;
}  // namespace tag

// The tag's name in the spec ("sar_msg_ref_num"), "vendor_specific" or "unknown".
std::string_view TagName(uint16_t tag);

// §3.2.4: the length field is 2 octets.
inline constexpr size_t kMaxTlvValue = 0xFFFF;

struct Tlv {
  uint16_t tag = 0;
  std::vector<uint8_t> value{};

  friend bool operator==(const Tlv&, const Tlv&) = default;
};

// The optional parameters of one PDU, in wire order. Repeated tags are kept as received;
// the getters read the first occurrence.
class TlvList {
 public:
  TlvList() = default;

  const std::vector<Tlv>& items() const { return items_; }
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }

  const Tlv* Find(uint16_t tag) const;
  bool Has(uint16_t tag) const { return Find(tag) != nullptr; }

  // Appends, even when the tag is already present (what decoding does).
  void Add(uint16_t tag, std::vector<uint8_t> value);
  // Replaces the value of the first `tag`, or appends it.
  void Set(uint16_t tag, std::vector<uint8_t> value);
  void Remove(uint16_t tag);  // every occurrence

  void SetU8(uint16_t tag, uint8_t v);
  void SetU16(uint16_t tag, uint16_t v);
  void SetU32(uint16_t tag, uint32_t v);
  void SetCString(uint16_t tag, std::string_view s);  // appends the NUL
  void SetOctets(uint16_t tag, std::string_view s);   // no NUL

  // nullopt when absent or when the value is not exactly 1 / 2 / 4 octets.
  std::optional<uint8_t> GetU8(uint16_t tag) const;
  std::optional<uint16_t> GetU16(uint16_t tag) const;
  std::optional<uint32_t> GetU32(uint16_t tag) const;
  // The value up to its first NUL, so C-Octet and Octet Strings both read back, and so does
  // a C-Octet String whose sender forgot the NUL. nullopt when absent.
  std::optional<std::string> GetString(uint16_t tag) const;
  std::optional<std::span<const uint8_t>> GetBytes(uint16_t tag) const;

  friend bool operator==(const TlvList&, const TlvList&) = default;

 private:
  std::vector<Tlv> items_{};
};

// SMPP 3.4 §5.3.2.22-24: all three sar_* present with total >= 1 and 1 <= seqnum <= total;
// nullopt otherwise (a part we cannot place is no part).
std::optional<text::SarInfo> GetSar(const TlvList& tlvs);
void SetSar(TlvList& tlvs, const text::SarInfo& sar);

// §5.3.2.31 network_error_code: network type (1 ANSI-136, 2 IS-95, 3 GSM, 4 ANSI-41, ...)
// then a 2-octet network-specific error code.
struct NetworkErrorCode {
  uint8_t network_type = 0;
  uint16_t error_code = 0;

  friend bool operator==(const NetworkErrorCode&, const NetworkErrorCode&) = default;
};
std::optional<NetworkErrorCode> GetNetworkErrorCode(const TlvList& tlvs);
void SetNetworkErrorCode(TlvList& tlvs, const NetworkErrorCode& code);

enum class DltStringForm { kCOctet, kOctet };
// Sets tag::kDltEntityId and tag::kDltTemplateId; an empty id is left out.
void SetDlt(TlvList& tlvs, std::string_view entity_id, std::string_view template_id,
            DltStringForm form = DltStringForm::kCOctet);

}  // namespace smsgw::smpp::codec
