#include "core/strings.h"

namespace smsgw::core {
namespace {
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
char Upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }
bool Space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) {
      return false;
    }
  }
  return true;
}

std::string ToUpperAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = Upper(c);
  }
  return out;
}

std::string_view TrimAscii(std::string_view s) {
  while (!s.empty() && Space(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && Space(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace smsgw::core
