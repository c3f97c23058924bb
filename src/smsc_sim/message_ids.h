#pragma once
// MessageIdGenerator hands out the message ids of submit_sm_resp: a counter written in hex
// (lower-case) or decimal, as carriers differ (codec::NormalizeMessageId reads both). Ids are
// unique for the life of the generator. Thread-compatible.

#include <cstdint>
#include <string>

#include "smpp/codec/message_id.h"

namespace smsgw::smsc_sim {

class MessageIdGenerator {
 public:
  // kAuto is written as decimal.
  MessageIdGenerator(smpp::codec::IdFormat format, uint64_t first);

  std::string Next();

 private:
  const smpp::codec::IdFormat format_;
  uint64_t next_;
};

}  // namespace smsgw::smsc_sim
