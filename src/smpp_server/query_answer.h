#pragma once
// What query_sm answers about one of the account's messages (SMPP 3.4 §4.8.2): its
// message_state, and for a final one the time it became final. Pure; thread-safe.

#include <cstdint>
#include <string>

#include "core/time.h"
#include "smpp/codec/pdu.h"
#include "store/message_log.h"

namespace smsgw::smpp_server {

// §5.2.28 message_state of a message: ENROUTE until final; DELIVERED; EXPIRED (from the network
// or our validity); DELETED for one cancelled; UNDELIVERABLE for any other failure.
smpp::codec::MessageState SmppStateOf(const core::Message& message);

// §7.1.1 absolute time, "YYMMDDhhmmsstnnp", in UTC ("00+").
std::string FormatAbsoluteTime(core::TimePoint t);

// The query_sm_resp body for `detail` (message_id as asked).
smpp::codec::QuerySmResp QueryAnswer(const std::string& message_id,
                                     const store::MessageDetail& detail);

}  // namespace smsgw::smpp_server
