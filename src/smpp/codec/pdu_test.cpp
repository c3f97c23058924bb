#include "smpp/codec/pdu.h"

#include <gtest/gtest.h>

namespace smsgw::smpp::codec {
namespace {

TEST(Pdu, CommandIdsFollowTheBody) {
  EXPECT_EQ(CommandIdOf(Body{Bind{.mode = BindMode::kReceiver}}), 0x00000001u);
  EXPECT_EQ(CommandIdOf(Body{Bind{.mode = BindMode::kTransmitter}}), 0x00000002u);
  EXPECT_EQ(CommandIdOf(Body{Bind{.mode = BindMode::kTransceiver}}), 0x00000009u);
  EXPECT_EQ(CommandIdOf(Body{BindResp{.mode = BindMode::kReceiver}}), 0x80000001u);
  EXPECT_EQ(CommandIdOf(Body{BindResp{.mode = BindMode::kTransceiver}}), 0x80000009u);
  EXPECT_EQ(CommandIdOf(Body{Outbind{}}), 0x0000000Bu);
  EXPECT_EQ(CommandIdOf(Body{GenericNack{}}), 0x80000000u);
  EXPECT_EQ(CommandIdOf(Body{SubmitSm{}}), 0x00000004u);
  EXPECT_EQ(CommandIdOf(Body{DeliverSmResp{}}), 0x80000005u);
  EXPECT_EQ(CommandIdOf(Body{DataSm{}}), 0x00000103u);
  EXPECT_EQ(CommandIdOf(Body{QuerySmResp{}}), 0x80000003u);
  EXPECT_EQ(CommandIdOf(Body{CancelSm{}}), 0x00000008u);
  EXPECT_EQ(CommandIdOf(Body{EnquireLink{}}), 0x00000015u);
  EXPECT_EQ(CommandIdOf(Body{AlertNotification{}}), 0x00000102u);
  EXPECT_TRUE(IsResponse(0x80000004u));
  EXPECT_FALSE(IsResponse(0x00000004u));
}

TEST(Pdu, Names) {
  EXPECT_EQ(CommandName(0x00000004), "submit_sm");
  EXPECT_EQ(CommandName(0x80000009), "bind_transceiver_resp");
  EXPECT_EQ(CommandName(0x80000000), "generic_nack");
  EXPECT_EQ(CommandName(0x00000103), "data_sm");
  EXPECT_EQ(CommandName(0x0000000A), "unknown");
  EXPECT_EQ(StatWord(MessageState::kDelivered), "DELIVRD");
  EXPECT_EQ(StatWord(MessageState::kUndeliverable), "UNDELIV");
  EXPECT_EQ(StatWord(MessageState::kRejected), "REJECTD");
  EXPECT_EQ(StatWord(static_cast<MessageState>(0)), "UNKNOWN");
}

}  // namespace
}  // namespace smsgw::smpp::codec
