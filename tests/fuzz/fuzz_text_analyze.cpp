// Fuzzes the outbound text path with arbitrary bytes as the API body: UTF-8 validation,
// Analyze in every mode, SmartReplace, Split and BuildWireParts. Besides "no crash", it checks
// the promises the API relies on and traps when one breaks.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "text/encoding.h"
#include "text/gsm7.h"
#include "text/segmenter.h"
#include "text/smart_encoding.h"
#include "text/ucs2.h"
#include "text/utf8.h"

namespace {

using namespace smsgw;  // NOLINT: a fuzz driver, not library code

void Check(bool ok) {
  if (!ok) {
    __builtin_trap();
  }
}

std::string DecodePart(core::Encoding encoding, std::span<const uint8_t> bytes) {
  return encoding == core::Encoding::kGsm7 ? text::DecodeGsm7(bytes) : text::DecodeUcs2(bytes);
}

void CheckSplitMatchesAnalyze(std::string_view body, text::UnicodeMode mode,
                              const text::TextInfo& info) {
  const core::Result<text::Segmentation> split = text::Split(body, mode);
  Check(split.has_value());
  Check(split->encoding == info.encoding);
  Check(split->parts.size() == static_cast<size_t>(info.segments));
  const text::PartLimits limits = text::LimitsFor(info.encoding, text::ConcatMethod::kUdh8);
  std::string rejoined;
  for (const text::Part& part : split->parts) {
    Check(part.units <= (split->parts.size() == 1 ? limits.single : limits.per_part));
    rejoined += DecodePart(split->encoding, part.bytes);
  }
  Check(rejoined == body);
  const auto wire = text::BuildWireParts(*split, {text::ConcatMethod::kUdh8, 1, true});
  Check(wire.has_value() || split->parts.size() > 255);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const bool valid = text::CountCodePoints(body).has_value();
  for (text::UnicodeMode mode :
       {text::UnicodeMode::kAuto, text::UnicodeMode::kGsm7, text::UnicodeMode::kUcs2}) {
    const core::Result<text::TextInfo> info = text::Analyze(body, mode);
    if (!valid) {
      Check(!info.has_value());
      continue;
    }
    if (mode == text::UnicodeMode::kGsm7) {
      Check(info.has_value() == text::EncodeGsm7(body).has_value());
    } else {
      Check(info.has_value() && info->segments >= 1);
    }
    if (info.has_value()) {
      CheckSplitMatchesAnalyze(body, mode, *info);
    }
  }
  const std::string smart = text::SmartReplace(body);
  Check(text::CountCodePoints(smart).has_value() == valid);
  if (valid && text::EncodeGsm7(body).has_value()) {
    Check(smart == body);  // the table only holds characters GSM-7 cannot carry
  }
  return 0;
}
