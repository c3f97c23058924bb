#pragma once
// SMPP 3.4 command_status values (§5.1.3) as a std::error_category, so a submit_sm_resp
// status, a decode failure and an Asio error all travel as std::error_code and read naturally:
// `if (ec == CommandStatus::kThrottled)`. Also the retry classification delivery uses
// (IsTemporary) and the throttle signal the session pauses on (IsThrottling).
// Pure; everything here is thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "core/result.h"

namespace smsgw::smpp::codec {

// SMPP 3.4 §5.1.3, Table 5-2. The ESME_R* name of each value is in the comment and returned
// by EsmeName(). Values not listed (reserved, 0x400..0x4FF vendor-specific) are still valid
// error_code values; their name is "ESME_R?" / "vendor".
enum class CommandStatus : uint32_t {
  kOk = 0x00000000,                         // ESME_ROK
  kInvalidMessageLength = 0x00000001,       // ESME_RINVMSGLEN
  kInvalidCommandLength = 0x00000002,       // ESME_RINVCMDLEN
  kInvalidCommandId = 0x00000003,           // ESME_RINVCMDID
  kInvalidBindStatus = 0x00000004,          // ESME_RINVBNDSTS
  kAlreadyBound = 0x00000005,               // ESME_RALYBND
  kInvalidPriorityFlag = 0x00000006,        // ESME_RINVPRTFLG
  kInvalidRegisteredDelivery = 0x00000007,  // ESME_RINVREGDLVFLG
  kSystemError = 0x00000008,                // ESME_RSYSERR
  kInvalidSourceAddress = 0x0000000A,       // ESME_RINVSRCADR
  kInvalidDestAddress = 0x0000000B,         // ESME_RINVDSTADR
  kInvalidMessageId = 0x0000000C,           // ESME_RINVMSGID
  kBindFailed = 0x0000000D,                 // ESME_RBINDFAIL
  kInvalidPassword = 0x0000000E,            // ESME_RINVPASWD
  kInvalidSystemId = 0x0000000F,            // ESME_RINVSYSID
  kCancelFailed = 0x00000011,               // ESME_RCANCELFAIL
  kReplaceFailed = 0x00000013,              // ESME_RREPLACEFAIL
  kMessageQueueFull = 0x00000014,           // ESME_RMSGQFUL
  kInvalidServiceType = 0x00000015,         // ESME_RINVSERTYP
  kInvalidNumberOfDests = 0x00000033,       // ESME_RINVNUMDESTS
  kInvalidDistListName = 0x00000034,        // ESME_RINVDLNAME
  kInvalidDestFlag = 0x00000040,            // ESME_RINVDESTFLAG
  kInvalidSubmitWithReplace = 0x00000042,   // ESME_RINVSUBREP
  kInvalidEsmClass = 0x00000043,            // ESME_RINVESMCLASS
  kCannotSubmitToDistList = 0x00000044,     // ESME_RCNTSUBDL
  kSubmitFailed = 0x00000045,               // ESME_RSUBMITFAIL
  kInvalidSourceTon = 0x00000048,           // ESME_RINVSRCTON
  kInvalidSourceNpi = 0x00000049,           // ESME_RINVSRCNPI
  kInvalidDestTon = 0x00000050,             // ESME_RINVDSTTON
  kInvalidDestNpi = 0x00000051,             // ESME_RINVDSTNPI
  kInvalidSystemType = 0x00000053,          // ESME_RINVSYSTYP
  kInvalidReplaceIfPresent = 0x00000054,    // ESME_RINVREPFLAG
  kInvalidNumberOfMessages = 0x00000055,    // ESME_RINVNUMMSGS
  kThrottled = 0x00000058,                  // ESME_RTHROTTLED
  kInvalidScheduleTime = 0x00000061,        // ESME_RINVSCHED
  kInvalidExpiryTime = 0x00000062,          // ESME_RINVEXPIRY
  kInvalidPredefinedMessage = 0x00000063,   // ESME_RINVDFTMSGID
  kTemporaryAppError = 0x00000064,          // ESME_RX_T_APPN
  kPermanentAppError = 0x00000065,          // ESME_RX_P_APPN
  kRejectedAppError = 0x00000066,           // ESME_RX_R_APPN
  kQueryFailed = 0x00000067,                // ESME_RQUERYFAIL
  kInvalidOptionalPartStream = 0x000000C0,  // ESME_RINVOPTPARSTREAM
  kOptionalParamNotAllowed = 0x000000C1,    // ESME_ROPTPARNOTALLWD
  kInvalidParamLength = 0x000000C2,         // ESME_RINVPARLEN
  kMissingOptionalParam = 0x000000C3,       // ESME_RMISSINGOPTPARAM
  kInvalidOptionalParamValue = 0x000000C4,  // ESME_RINVOPTPARAMVAL
  kDeliveryFailure = 0x000000FE,            // ESME_RDELIVERYFAILURE (data_sm_resp)
  kUnknownError = 0x000000FF,               // ESME_RUNKNOWNERR
};

const std::error_category& CommandStatusCategory() noexcept;

// ADL hook for std::error_code ec = CommandStatus::kThrottled.
inline std::error_code make_error_code(CommandStatus s) noexcept {
  return {static_cast<int>(s), CommandStatusCategory()};
}

// A raw command_status off the wire as an error_code (value 0 is ESME_ROK, i.e. no error).
inline std::error_code StatusCode(uint32_t raw) noexcept {
  return {static_cast<int>(raw), CommandStatusCategory()};
}

// "ESME_RTHROTTLED"; "ESME_RVENDOR" for 0x400..0x4FF; "ESME_R?" for reserved values.
std::string_view EsmeName(uint32_t status);
// The status EsmeName gives `name` ("ESME_RINVDSTADR" -> 0x0B); nullopt for a name of none
// ("ESME_RVENDOR" and "ESME_R?" stand for many).
std::optional<uint32_t> EsmeStatusOf(std::string_view name);

// Retriable: the SMSC refused this PDU for a reason that is not the message's fault, so the
// same submit_sm may succeed later. ESME_RTHROTTLED, ESME_RMSGQFUL, ESME_RSYSERR,
// ESME_RX_T_APPN (the spec's "temporary application error") and ESME_RINVBNDSTS (the bind
// was lost; the session rebinds). Everything else, including vendor-specific values and
// ESME_RUNKNOWNERR, is permanent: retrying an unknown failure forever is worse than failing.
bool IsTemporary(uint32_t status);
inline bool IsTemporary(CommandStatus s) { return IsTemporary(static_cast<uint32_t>(s)); }

// ESME_RTHROTTLED and ESME_RMSGQFUL: the session should slow down, not just retry.
bool IsThrottling(uint32_t status);
inline bool IsThrottling(CommandStatus s) { return IsThrottling(static_cast<uint32_t>(s)); }

// A core::Error in this category, for codec functions that return core::Result.
inline std::unexpected<core::Error> MakeStatusError(CommandStatus status, std::string message) {
  return std::unexpected(core::Error{make_error_code(status), std::move(message)});
}

// The command_status to answer with for `error`: its value when it is in this category,
// otherwise ESME_RSYSERR.
uint32_t StatusToAnswer(const core::Error& error);

}  // namespace smsgw::smpp::codec

template <>
struct std::is_error_code_enum<smsgw::smpp::codec::CommandStatus> : std::true_type {};
