// Fuzzes the UDH parser (TS 23.040 §9.2.3.24) with arbitrary user data. A parse that succeeds
// must be self-consistent: the IEs fill exactly UDHL octets, the header lies within the input,
// and a concatenation IE, when reported, has 1 <= seqnum <= total and survives a rebuild.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "text/udh.h"

namespace {

using namespace smsgw;  // NOLINT: a fuzz driver, not library code

void Check(bool ok) {
  if (!ok) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> user_data(data, size);
  const core::Result<text::Udh> udh = text::ParseUdh(user_data);
  if (!udh.has_value()) {
    Check(!udh.error().message.empty());
    return 0;
  }
  Check(size >= 1 && udh->length == static_cast<size_t>(data[0]) + 1 && udh->length <= size);
  size_t octets = 1;
  for (const text::InformationElement& ie : udh->elements) {
    octets += 2 + ie.data.size();
  }
  Check(octets == udh->length);
  if (udh->concat.has_value()) {
    const text::ConcatInfo& c = *udh->concat;
    Check(c.seqnum >= 1 && c.seqnum <= c.total);
    const std::vector<uint8_t> rebuilt = text::BuildConcatUdh(c);
    const core::Result<text::Udh> again = text::ParseUdh(rebuilt);
    Check(again.has_value() && again->concat == c);
  }
  return 0;
}
