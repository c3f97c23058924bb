#include "smsc_sim/message_ids.h"

#include <cstdio>

namespace smsgw::smsc_sim {

MessageIdGenerator::MessageIdGenerator(smpp::codec::IdFormat format, uint64_t first)
    : format_(format), next_(first) {}

std::string MessageIdGenerator::Next() {
  const unsigned long long value = next_++;
  char buf[24];
  const int n = std::snprintf(buf, sizeof buf,
                              format_ == smpp::codec::IdFormat::kHex ? "%llx" : "%llu", value);
  return std::string(buf, static_cast<size_t>(n));
}

}  // namespace smsgw::smsc_sim
