#include "text/encoding.h"

#include "text/gsm7.h"
#include "text/segmenter.h"
#include "text/ucs2.h"

namespace smsgw::text {
namespace {

// Everything Analyze needs from one pass over the bytes.
struct Scan {
  size_t code_points = 0;
  bool all_gsm = true;
  char32_t first_non_gsm = 0;
  PartCounter gsm{LimitsFor(core::Encoding::kGsm7, ConcatMethod::kUdh8)};
  PartCounter ucs2{LimitsFor(core::Encoding::kUcs2, ConcatMethod::kUdh8)};
};

core::Error NotGsm7Error(char32_t cp) {
  return core::Error{
      core::make_error_code(core::Errc::kInvalidArgument),
      "unicode=0 but the body contains " + DescribeCodePoint(cp) + ", which GSM-7 cannot carry"};
}

core::Result<Scan> ScanText(std::string_view utf8, UnicodeMode mode) {
  Scan scan;
  for (size_t i = 0; i < utf8.size();) {
    const Utf8Char c = DecodeUtf8Char(utf8, i);
    if (c.length == 0) {
      return std::unexpected(Utf8Error(i, c));
    }
    i += c.length;
    ++scan.code_points;
    if (mode != UnicodeMode::kUcs2 && scan.all_gsm) {
      const int septets = GsmSeptets(c.code_point);
      if (septets == 0) {
        if (mode == UnicodeMode::kGsm7) {
          return std::unexpected(NotGsm7Error(c.code_point));
        }
        scan.all_gsm = false;
        scan.first_non_gsm = c.code_point;
      }
      scan.gsm.Add(static_cast<size_t>(septets));
    }
    if (mode != UnicodeMode::kGsm7) {
      scan.ucs2.Add(static_cast<size_t>(Utf16Units(c.code_point)));
    }
  }
  if (mode == UnicodeMode::kUcs2) {
    scan.all_gsm = false;
  }
  return scan;
}

}  // namespace

core::Result<TextInfo> Analyze(std::string_view utf8, UnicodeMode mode) {
  core::Result<Scan> scan = ScanText(utf8, mode);
  if (!scan) {
    return std::unexpected(std::move(scan.error()));
  }
  if (scan->all_gsm) {
    return TextInfo{core::Encoding::kGsm7, scan->gsm.parts(), scan->code_points, scan->gsm.total()};
  }
  return TextInfo{core::Encoding::kUcs2, scan->ucs2.parts(), scan->code_points, scan->ucs2.total()};
}

core::Result<core::Encoding> ChooseEncoding(std::string_view utf8, UnicodeMode mode) {
  core::Result<TextInfo> info = Analyze(utf8, mode);
  if (!info) {
    return std::unexpected(std::move(info.error()));
  }
  return info->encoding;
}

}  // namespace smsgw::text
