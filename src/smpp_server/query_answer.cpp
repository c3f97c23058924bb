#include "smpp_server/query_answer.h"

#include <chrono>
#include <cstdio>

#include "smpp_server/receipt_pdu.h"

namespace smsgw::smpp_server {

namespace codec = smpp::codec;

codec::MessageState SmppStateOf(const core::Message& message) {
  return SmppStateOf(message.state, message.status_details);
}

std::string FormatAbsoluteTime(core::TimePoint t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{floor<milliseconds>(t - day)};
  // 16 characters for any real date; room for what GCC's -O3 range analysis imagines.
  char out[64];
  std::snprintf(out, sizeof out, "%02d%02u%02u%02d%02d%02d%01d00+",
                static_cast<int>(ymd.year()) % 100, static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                static_cast<int>(hms.subseconds().count() / 100));
  return out;
}

codec::QuerySmResp QueryAnswer(const std::string& message_id, const store::MessageDetail& detail) {
  codec::QuerySmResp answer;
  answer.message_id = message_id;
  const codec::MessageState state = SmppStateOf(detail.message);
  answer.message_state = static_cast<uint8_t>(state);
  if (state != codec::MessageState::kEnroute) {
    answer.final_date = FormatAbsoluteTime(detail.updated_at);
  }
  return answer;
}

}  // namespace smsgw::smpp_server
