#include "smpp/codec/command_status.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace smsgw::smpp::codec {
namespace {

TEST(CommandStatus, ValuesMatchSmpp34Table52) {
  EXPECT_EQ(static_cast<uint32_t>(CommandStatus::kOk), 0x00u);
  EXPECT_EQ(static_cast<uint32_t>(CommandStatus::kInvalidMessageLength), 0x01u);
  EXPECT_EQ(static_cast<uint32_t>(CommandStatus::kInvalidCommandLength), 0x02u);
  EXPECT_EQ(static_cast<uint32_t>(CommandStatus::kInvalidCommandId), 0x03u);
  EXPECT_EQ(static_cast<uint32_t>(CommandStatus::kSystemError), 0x08u);
  EXPECT_EQ(static_cast<uint32_t>(CommandStatus::kInvalidSourceAddress), 0x0Au);
  EXPECT_EQ(static_cast<uint32_t>(CommandStatus::kInvalidPassword), 0x0Eu);
  EXPECT_EQ(static_cast<uint32_t>(CommandStatus::kCancelFailed), 0x11u);
  EXPECT_EQ(static_cast<uint32_t>(CommandStatus::kMessageQueueFull), 0x14u);
  EXPECT_EQ(static_cast<uint32_t>(CommandStatus::kInvalidNumberOfDests), 0x33u);
  EXPECT_EQ(static_cast<uint32_t>(CommandStatus::kInvalidEsmClass), 0x43u);
  EXPECT_EQ(static_cast<uint32_t>(CommandStatus::kSubmitFailed), 0x45u);
  EXPECT_EQ(static_cast<uint32_t>(CommandStatus::kInvalidDestNpi), 0x51u);
  EXPECT_EQ(static_cast<uint32_t>(CommandStatus::kThrottled), 0x58u);
  EXPECT_EQ(static_cast<uint32_t>(CommandStatus::kInvalidExpiryTime), 0x62u);
  EXPECT_EQ(static_cast<uint32_t>(CommandStatus::kQueryFailed), 0x67u);
  EXPECT_EQ(static_cast<uint32_t>(CommandStatus::kInvalidOptionalPartStream), 0xC0u);
  EXPECT_EQ(static_cast<uint32_t>(CommandStatus::kInvalidOptionalParamValue), 0xC4u);
  EXPECT_EQ(static_cast<uint32_t>(CommandStatus::kDeliveryFailure), 0xFEu);
  EXPECT_EQ(static_cast<uint32_t>(CommandStatus::kUnknownError), 0xFFu);
}

TEST(CommandStatus, NamesAreTheSpecs) {
  EXPECT_EQ(EsmeName(0x00), "ESME_ROK");
  EXPECT_EQ(EsmeName(0x14), "ESME_RMSGQFUL");
  EXPECT_EQ(EsmeName(0x58), "ESME_RTHROTTLED");
  EXPECT_EQ(EsmeName(0x64), "ESME_RX_T_APPN");
  EXPECT_EQ(EsmeName(0xC2), "ESME_RINVPARLEN");
  EXPECT_EQ(EsmeName(0x09), "ESME_R?");  // reserved
  EXPECT_EQ(EsmeName(0x400), "ESME_RVENDOR");
  EXPECT_EQ(EsmeName(0x4FF), "ESME_RVENDOR");
  EXPECT_EQ(EsmeName(0x500), "ESME_R?");
}

TEST(CommandStatus, NamesReadBack) {
  EXPECT_EQ(EsmeStatusOf("ESME_ROK"), 0x00u);
  EXPECT_EQ(EsmeStatusOf("ESME_RINVDSTADR"), 0x0Bu);
  EXPECT_EQ(EsmeStatusOf("ESME_RUNKNOWNERR"), 0xFFu);
  for (uint32_t status = 0; status < 0x500; ++status) {
    if (auto back = EsmeStatusOf(EsmeName(status))) {
      EXPECT_EQ(*back, status) << EsmeName(status);
    }
  }
  EXPECT_EQ(EsmeStatusOf("ESME_RVENDOR"), std::nullopt);
  EXPECT_EQ(EsmeStatusOf("ESME_R?"), std::nullopt);
  EXPECT_EQ(EsmeStatusOf("EXPIRED"), std::nullopt);
  EXPECT_EQ(EsmeStatusOf(""), std::nullopt);
}

TEST(CommandStatus, IsAnErrorCategory) {
  const std::error_code ec = CommandStatus::kThrottled;
  EXPECT_EQ(ec, CommandStatus::kThrottled);
  EXPECT_NE(ec, CommandStatus::kMessageQueueFull);
  EXPECT_EQ(StatusCode(0x58), CommandStatus::kThrottled);
  EXPECT_FALSE(StatusCode(0));  // ESME_ROK is "no error"
  EXPECT_STREQ(ec.category().name(), "smpp");
  EXPECT_EQ(ec.message(),
            "ESME_RTHROTTLED (0x00000058): Throttling error (ESME has exceeded allowed message "
            "limits)");
  EXPECT_EQ(StatusCode(0x401).message(), "ESME_RVENDOR (0x00000401): SMSC vendor-specific error");
  // Not confused with the core category's value 8.
  EXPECT_NE(std::error_code(core::Errc::kRejected), CommandStatus::kSystemError);
}

TEST(CommandStatus, TemporaryOrPermanent) {
  for (CommandStatus s :
       {CommandStatus::kThrottled, CommandStatus::kMessageQueueFull, CommandStatus::kSystemError,
        CommandStatus::kTemporaryAppError, CommandStatus::kInvalidBindStatus}) {
    EXPECT_TRUE(IsTemporary(s)) << EsmeName(static_cast<uint32_t>(s));
  }
  for (CommandStatus s : {CommandStatus::kInvalidDestAddress, CommandStatus::kInvalidSourceAddress,
                          CommandStatus::kPermanentAppError, CommandStatus::kRejectedAppError,
                          CommandStatus::kSubmitFailed, CommandStatus::kInvalidMessageLength,
                          CommandStatus::kUnknownError, CommandStatus::kInvalidEsmClass}) {
    EXPECT_FALSE(IsTemporary(s)) << EsmeName(static_cast<uint32_t>(s));
  }
  EXPECT_FALSE(IsTemporary(0x400u));
  EXPECT_TRUE(IsThrottling(CommandStatus::kThrottled));
  EXPECT_TRUE(IsThrottling(CommandStatus::kMessageQueueFull));
  EXPECT_FALSE(IsThrottling(CommandStatus::kSystemError));
}

TEST(CommandStatus, StatusToAnswer) {
  EXPECT_EQ(StatusToAnswer(MakeStatusError(CommandStatus::kInvalidCommandId, "x").error()), 0x03u);
  EXPECT_EQ(StatusToAnswer(core::Error{core::Errc::kInvalidArgument, "x"}), 0x08u);
  EXPECT_EQ(StatusToAnswer(core::Error{StatusCode(0), "not an error"}), 0x08u);
}

}  // namespace
}  // namespace smsgw::smpp::codec
