#include "store/callback_profile_columns.h"

#include <charconv>

namespace smsgw::store {

namespace {

void AppendEscaped(std::string_view text, std::string& out) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
}

}  // namespace

std::string EncodeHeaders(const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string out;
  for (const auto& [name, value] : headers) {
    AppendEscaped(name, out);
    out.push_back('\t');
    AppendEscaped(value, out);
    out.push_back('\n');
  }
  return out;
}

core::Result<std::vector<std::pair<std::string, std::string>>> DecodeHeaders(
    std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::string field[2];
  int at = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      const char e = text[++i];
      field[at].push_back(e == 't' ? '\t' : e == 'n' ? '\n' : e);
    } else if (c == '\t' && at == 0) {
      at = 1;
    } else if (c == '\n' && at == 1) {
      out.emplace_back(std::move(field[0]), std::move(field[1]));
      field[0].clear();
      field[1].clear();
      at = 0;
    } else if (c == '\t' || c == '\n' || c == '\\') {
      return core::MakeError(core::Errc::kInternal, "stored callback profile headers are corrupt");
    } else {
      field[at].push_back(c);
    }
  }
  if (at != 0 || !field[0].empty()) {
    return core::MakeError(core::Errc::kInternal, "stored callback profile headers are corrupt");
  }
  return out;
}

std::string EncodeIntervals(const std::vector<std::chrono::seconds>& intervals) {
  std::string out;
  for (const std::chrono::seconds s : intervals) {
    if (!out.empty()) {
      out.push_back(',');
    }
    out += std::to_string(s.count());
  }
  return out;
}

core::Result<std::vector<std::chrono::seconds>> DecodeIntervals(std::string_view text) {
  std::vector<std::chrono::seconds> out;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    int64_t value = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), value);
    if (item.empty() || ec != std::errc() || end != item.data() + item.size()) {
      return core::MakeError(core::Errc::kInternal, "stored retry intervals are corrupt");
    }
    out.emplace_back(value);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  return out;
}

}  // namespace smsgw::store
