#include "smpp_server/query_answer.h"

#include <gtest/gtest.h>

namespace smsgw::smpp_server {
namespace {

namespace codec = smpp::codec;
using core::MessageState;

core::Message With(MessageState state, std::string details = "") {
  core::Message m;
  m.state = state;
  m.status_details = std::move(details);
  return m;
}

TEST(QueryAnswer, StatesMapToSmppMessageStates) {
  for (MessageState pending : {MessageState::kQueued, MessageState::kScheduled,
                               MessageState::kSubmitting, MessageState::kSubmitted}) {
    EXPECT_EQ(SmppStateOf(With(pending)), codec::MessageState::kEnroute);
  }
  EXPECT_EQ(SmppStateOf(With(MessageState::kDelivered, "DELIVRD")),
            codec::MessageState::kDelivered);
  EXPECT_EQ(SmppStateOf(With(MessageState::kUndelivered, "EXPIRED")),
            codec::MessageState::kExpired);
  EXPECT_EQ(SmppStateOf(With(MessageState::kNotSent, "EXPIRED")), codec::MessageState::kExpired);
  EXPECT_EQ(SmppStateOf(With(MessageState::kNotSent, "CANCELLED")), codec::MessageState::kDeleted);
  EXPECT_EQ(SmppStateOf(With(MessageState::kUndelivered, "UNDELIV")),
            codec::MessageState::kUndeliverable);
  EXPECT_EQ(SmppStateOf(With(MessageState::kNotSent, "OPTOUT")),
            codec::MessageState::kUndeliverable);
}

TEST(QueryAnswer, AbsoluteTimeIsSmppsSixteenCharacters) {
  using namespace std::chrono;
  const core::TimePoint t = sys_days{2026y / December / 5} + 20h + 34min + 7s + 123ms;
  EXPECT_EQ(FormatAbsoluteTime(t), "261205203407100+");
  EXPECT_EQ(FormatAbsoluteTime(sys_days{2030y / January / 2}), "300102000000000+");
}

TEST(QueryAnswer, FinalDateOnlyForFinalStates) {
  store::MessageDetail detail;
  detail.message = With(MessageState::kSubmitted);
  detail.updated_at = std::chrono::sys_days{std::chrono::year{2026} / 12 / 5};
  codec::QuerySmResp pending = QueryAnswer("id:1", detail);
  EXPECT_EQ(pending.message_id, "id:1");
  EXPECT_EQ(pending.message_state, 1);
  EXPECT_EQ(pending.final_date, "");
  detail.message = With(MessageState::kDelivered, "DELIVRD");
  codec::QuerySmResp delivered = QueryAnswer("id:1", detail);
  EXPECT_EQ(delivered.message_state, 2);
  EXPECT_EQ(delivered.final_date, "261205000000000+");
  EXPECT_EQ(delivered.error_code, 0);
}

}  // namespace
}  // namespace smsgw::smpp_server
