#include "smpp/codec/command_status.h"

#include <cstdio>

namespace smsgw::smpp::codec {
namespace {

struct StatusInfo {
  uint32_t value;
  std::string_view name;
  std::string_view description;  // SMPP 3.4 Table 5-2
};

constexpr StatusInfo kStatuses[] = {
    {0x00, "ESME_ROK", "No Error"},
    {0x01, "ESME_RINVMSGLEN", "Message Length is invalid"},
    {0x02, "ESME_RINVCMDLEN", "Command Length is invalid"},
    {0x03, "ESME_RINVCMDID", "Invalid Command ID"},
    {0x04, "ESME_RINVBNDSTS", "Incorrect BIND Status for given command"},
    {0x05, "ESME_RALYBND", "ESME Already in Bound State"},
    {0x06, "ESME_RINVPRTFLG", "Invalid Priority Flag"},
    {0x07, "ESME_RINVREGDLVFLG", "Invalid Registered Delivery Flag"},
    {0x08, "ESME_RSYSERR", "System Error"},
    {0x0A, "ESME_RINVSRCADR", "Invalid Source Address"},
    {0x0B, "ESME_RINVDSTADR", "Invalid Dest Addr"},
    {0x0C, "ESME_RINVMSGID", "Message ID is invalid"},
    {0x0D, "ESME_RBINDFAIL", "Bind Failed"},
    {0x0E, "ESME_RINVPASWD", "Invalid Password"},
    {0x0F, "ESME_RINVSYSID", "Invalid System ID"},
    {0x11, "ESME_RCANCELFAIL", "Cancel SM Failed"},
    {0x13, "ESME_RREPLACEFAIL", "Replace SM Failed"},
    {0x14, "ESME_RMSGQFUL", "Message Queue Full"},
    {0x15, "ESME_RINVSERTYP", "Invalid Service Type"},
    {0x33, "ESME_RINVNUMDESTS", "Invalid number of destinations"},
    {0x34, "ESME_RINVDLNAME", "Invalid Distribution List name"},
    {0x40, "ESME_RINVDESTFLAG", "Destination flag is invalid (submit_multi)"},
    {0x42, "ESME_RINVSUBREP", "Invalid 'submit with replace' request"},
    {0x43, "ESME_RINVESMCLASS", "Invalid esm_class field data"},
    {0x44, "ESME_RCNTSUBDL", "Cannot Submit to Distribution List"},
    {0x45, "ESME_RSUBMITFAIL", "submit_sm or submit_multi failed"},
    {0x48, "ESME_RINVSRCTON", "Invalid Source address TON"},
    {0x49, "ESME_RINVSRCNPI", "Invalid Source address NPI"},
    {0x50, "ESME_RINVDSTTON", "Invalid Destination address TON"},
    {0x51, "ESME_RINVDSTNPI", "Invalid Destination address NPI"},
    {0x53, "ESME_RINVSYSTYP", "Invalid system_type field"},
    {0x54, "ESME_RINVREPFLAG", "Invalid replace_if_present flag"},
    {0x55, "ESME_RINVNUMMSGS", "Invalid number of messages"},
    {0x58, "ESME_RTHROTTLED", "Throttling error (ESME has exceeded allowed message limits)"},
    {0x61, "ESME_RINVSCHED", "Invalid Scheduled Delivery Time"},
    {0x62, "ESME_RINVEXPIRY", "Invalid message validity period (Expiry time)"},
    {0x63, "ESME_RINVDFTMSGID", "Predefined Message Invalid or Not Found"},
    {0x64, "ESME_RX_T_APPN", "ESME Receiver Temporary App Error Code"},
    {0x65, "ESME_RX_P_APPN", "ESME Receiver Permanent App Error Code"},
    {0x66, "ESME_RX_R_APPN", "ESME Receiver Reject Message Error Code"},
    {0x67, "ESME_RQUERYFAIL", "query_sm request failed"},
    {0xC0, "ESME_RINVOPTPARSTREAM", "Error in the optional part of the PDU Body"},
    {0xC1, "ESME_ROPTPARNOTALLWD", "Optional Parameter not allowed"},
    {0xC2, "ESME_RINVPARLEN", "Invalid Parameter Length"},
    {0xC3, "ESME_RMISSINGOPTPARAM", "Expected Optional Parameter missing"},
    {0xC4, "ESME_RINVOPTPARAMVAL", "Invalid Optional Parameter Value"},
    {0xFE, "ESME_RDELIVERYFAILURE", "Delivery Failure (used for data_sm_resp)"},
    {0xFF, "ESME_RUNKNOWNERR", "Unknown Error"},
};

const StatusInfo* Find(uint32_t value) {
  for (const StatusInfo& info : kStatuses) {
    if (info.value == value) {
      return &info;
    }
  }
  return nullptr;
}

// SMPP 3.4 Table 5-2: 0x400..0x4FF are reserved for SMSC vendor-specific errors.
bool IsVendorSpecific(uint32_t value) { return value >= 0x400 && value <= 0x4FF; }

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "smpp"; }
  std::string message(int value) const override {
    const auto status = static_cast<uint32_t>(value);
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%08X", status);
    std::string text(EsmeName(status));
    text += " (";
    text += hex;
    text += ")";
    if (const StatusInfo* info = Find(status)) {
      text += ": ";
      text += info->description;
    } else if (IsVendorSpecific(status)) {
      text += ": SMSC vendor-specific error";
    }
    return text;
  }
};

}  // namespace

const std::error_category& CommandStatusCategory() noexcept {
  static const Category category;
  return category;
}

std::string_view EsmeName(uint32_t status) {
  if (const StatusInfo* info = Find(status)) {
    return info->name;
  }
  return IsVendorSpecific(status) ? "ESME_RVENDOR" : "ESME_R?";
}

std::optional<uint32_t> EsmeStatusOf(std::string_view name) {
  for (const StatusInfo& info : kStatuses) {
    if (info.name == name) {
      return info.value;
    }
  }
  return std::nullopt;
}

bool IsTemporary(uint32_t status) {
  switch (static_cast<CommandStatus>(status)) {
    case CommandStatus::kThrottled:
    case CommandStatus::kMessageQueueFull:
    case CommandStatus::kSystemError:
    case CommandStatus::kTemporaryAppError:
    case CommandStatus::kInvalidBindStatus:
      return true;
    default:
      return false;
  }
}

bool IsThrottling(uint32_t status) {
  return status == static_cast<uint32_t>(CommandStatus::kThrottled) ||
         status == static_cast<uint32_t>(CommandStatus::kMessageQueueFull);
}

uint32_t StatusToAnswer(const core::Error& error) {
  if (error.code.category() == CommandStatusCategory() && error.code.value() != 0) {
    return static_cast<uint32_t>(error.code.value());
  }
  return static_cast<uint32_t>(CommandStatus::kSystemError);
}

}  // namespace smsgw::smpp::codec
