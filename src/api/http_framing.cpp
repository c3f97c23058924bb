#include "api/http_framing.h"

#include "core/strings.h"

namespace smsgw::api {

std::optional<std::string> RequestFramingProblem(const http::request_header<>& header) {
  size_t codings = 0;
  bool only_chunked = true;
  const auto [te_begin, te_end] = header.equal_range(http::field::transfer_encoding);
  for (auto it = te_begin; it != te_end; ++it) {
    std::string_view list(it->value().data(), it->value().size());
    while (!list.empty()) {
      const size_t comma = list.find(',');
      const std::string_view coding = core::TrimAscii(list.substr(0, comma));
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
      if (coding.empty()) {
        continue;
      }
      ++codings;
      only_chunked = only_chunked && core::EqualsIgnoreCase(coding, "chunked");
    }
  }
  if (te_begin != te_end && (codings != 1 || !only_chunked)) {
    return "Transfer-Encoding must be chunked and nothing else.";
  }
  if (te_begin != te_end && header.count(http::field::content_length) != 0) {
    return "A request may not carry both Transfer-Encoding and Content-Length.";
  }
  if (header.version() >= 11 && header.count(http::field::host) != 1) {
    return "An HTTP/1.1 request needs exactly one Host header.";
  }
  return std::nullopt;
}

}  // namespace smsgw::api
