// Fuzzes the inbound (MO) decoders with bytes as an SMSC might send them. Input layout:
// byte 0 = data_coding, byte 1 = flags (bit 0: esm_class UDHI, bit 1: packed GSM-7), the rest
// = short_message. Whatever the bytes, decoding must not crash and any text it returns must be
// valid UTF-8.

#include <cstddef>
#include <cstdint>
#include <span>

#include "text/gsm7.h"
#include "text/inbound_decoder.h"
#include "text/ucs2.h"
#include "text/utf8.h"

namespace {

using namespace smsgw;  // NOLINT: a fuzz driver, not library code

void CheckUtf8(const std::string& s) {
  if (!text::CountCodePoints(s).has_value()) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) {
    return 0;
  }
  const uint8_t data_coding = data[0];
  const text::InboundOptions options{.udhi = (data[1] & 0x01) != 0,
                                     .gsm7_packed = (data[1] & 0x02) != 0};
  const std::span<const uint8_t> bytes(data + 2, size - 2);
  const core::Result<text::InboundText> decoded = text::DecodeInbound(data_coding, bytes, options);
  if (decoded.has_value()) {
    CheckUtf8(decoded->utf8);
    if (decoded->concat.has_value() &&
        (decoded->concat->seqnum == 0 || decoded->concat->seqnum > decoded->concat->total)) {
      __builtin_trap();
    }
  }
  // The alphabet decoders directly, on every input.
  CheckUtf8(text::DecodeGsm7(bytes));
  CheckUtf8(text::DecodeUcs2(bytes));
  CheckUtf8(text::DecodeLatin1(bytes));
  CheckUtf8(text::DecodeAscii(bytes));
  const int fill = data[1] % 8;  // 7 is out of range on purpose
  CheckUtf8(text::DecodeGsm7(text::UnpackAllSeptets(bytes, fill)));
  const auto exact = text::UnpackSeptets(bytes, data_coding, fill);
  if (exact.has_value() && exact->size() != data_coding) {
    __builtin_trap();
  }
  return 0;
}
