#include "smpp/codec/receipt.h"

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <span>
#include <vector>

#include "core/strings.h"

namespace smsgw::smpp::codec {
namespace {

enum class Key { kId, kSub, kDlvrd, kSubmitDate, kDoneDate, kStat, kErr, kText };
constexpr size_t kKeyCount = 8;

// A key's words; two-word keys may be joined by spaces, '_', '-' or nothing.
struct KeySpelling {
  Key key;
  std::string_view first;
  std::string_view second;  // empty for one-word keys
};
constexpr KeySpelling kKeys[] = {
    {Key::kId, "id", ""},
    {Key::kSub, "sub", ""},
    {Key::kDlvrd, "dlvrd", ""},
    {Key::kSubmitDate, "submit", "date"},
    {Key::kDoneDate, "done", "date"},
    {Key::kStat, "stat", ""},
    {Key::kErr, "err", ""},
    {Key::kText, "text", ""},
};

bool IsSeparator(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == ';';
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Matches `word` case-insensitively at text[pos]; returns the position after it.
std::optional<size_t> MatchWord(std::string_view text, size_t pos, std::string_view word) {
  if (text.size() - pos < word.size()) {
    return std::nullopt;
  }
  for (size_t i = 0; i < word.size(); ++i) {
    if (Lower(text[pos + i]) != word[i]) {
      return std::nullopt;
    }
  }
  return pos + word.size();
}

size_t SkipSpaces(std::string_view text, size_t pos) {
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) {
    ++pos;
  }
  return pos;
}

struct Match {
  Key key;
  size_t key_start;
  size_t value_start;
};

// The key that starts at text[pos] (followed, after optional spaces, by ':').
std::optional<Match> MatchKey(std::string_view text, size_t pos) {
  for (const KeySpelling& k : kKeys) {
    std::optional<size_t> end = MatchWord(text, pos, k.first);
    if (!end) {
      continue;
    }
    if (!k.second.empty()) {
      size_t p = *end;
      while (p < text.size() && (text[p] == ' ' || text[p] == '_' || text[p] == '-')) {
        ++p;
      }
      end = MatchWord(text, p, k.second);
      if (!end) {
        continue;
      }
    }
    const size_t colon = SkipSpaces(text, *end);
    if (colon < text.size() && text[colon] == ':') {
      return Match{k.key, pos, colon + 1};
    }
  }
  return std::nullopt;
}

// The first occurrence of each key, in text order. A later repeat of a key is part of the
// value before it (typically the text field quoting "id:" or "stat:").
std::vector<Match> FindKeys(std::string_view text) {
  std::vector<Match> matches;
  std::array<bool, kKeyCount> seen{};
  for (size_t pos = 0; pos < text.size();) {
    if (pos > 0 && !IsSeparator(text[pos - 1])) {
      ++pos;
      continue;
    }
    const std::optional<Match> m = MatchKey(text, pos);
    if (!m) {
      ++pos;
      continue;
    }
    bool& was_seen = seen[static_cast<size_t>(m->key)];
    if (!was_seen) {
      was_seen = true;
      matches.push_back(*m);
    }
    pos = m->value_start;
  }
  return matches;
}

std::string_view FirstToken(std::string_view value) {
  value = core::TrimAscii(value);
  size_t end = 0;
  while (end < value.size() && !IsSeparator(value[end])) {
    ++end;
  }
  return value.substr(0, end);
}

std::optional<int> Count(std::string_view value) {
  const std::string_view token = FirstToken(value);
  int n = 0;
  size_t digits = 0;
  for (char c : token) {
    if (c < '0' || c > '9' || digits == 9) {
      break;
    }
    n = n * 10 + (c - '0');
    ++digits;
  }
  return digits > 0 ? std::optional<int>(n) : std::nullopt;
}

bool TwoDigits(std::string_view s, size_t at, int& out) {
  if (s[at] < '0' || s[at] > '9' || s[at + 1] < '0' || s[at + 1] > '9') {
    return false;
  }
  out = (s[at] - '0') * 10 + (s[at + 1] - '0');
  return true;
}

// YYMMDDhhmm or YYMMDDhhmmss, read as UTC in 2000..2099. Anything else (or an impossible
// date) is nullopt: a bad date never costs the receipt.
std::optional<core::TimePoint> Date(std::string_view value) {
  const std::string_view token = FirstToken(value);
  if (token.size() != 10 && token.size() != 12) {
    return std::nullopt;
  }
  int yy, mm, dd, hh, mi, ss = 0;
  if (!TwoDigits(token, 0, yy) || !TwoDigits(token, 2, mm) || !TwoDigits(token, 4, dd) ||
      !TwoDigits(token, 6, hh) || !TwoDigits(token, 8, mi) ||
      (token.size() == 12 && !TwoDigits(token, 10, ss))) {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year(2000 + yy),
                                        std::chrono::month(static_cast<unsigned>(mm)),
                                        std::chrono::day(static_cast<unsigned>(dd))};
  if (!ymd.ok() || hh > 23 || mi > 59 || ss > 59) {
    return std::nullopt;
  }
  return std::chrono::sys_days(ymd) + std::chrono::hours(hh) + std::chrono::minutes(mi) +
         std::chrono::seconds(ss);
}

std::string FormatDate(core::TimePoint t) {
  const std::time_t secs =
      std::chrono::system_clock::to_time_t(std::chrono::time_point_cast<std::chrono::seconds>(t));
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];  // room for any int, so -Wformat-truncation can prove it fits
  std::snprintf(buf, sizeof buf, "%02d%02d%02d%02d%02d", tm.tm_year % 100, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min);
  return buf;
}

std::string ThreeDigits(int n) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%03d", n);
  return buf;
}

std::string_view AsText(std::span<const uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// Combines a text receipt (possibly absent) with the receipt TLVs.
core::Result<DeliveryReceipt> Combine(std::string_view text, const TlvList& tlvs) {
  DeliveryReceipt receipt;
  if (!text.empty()) {
    core::Result<DeliveryReceipt> parsed = ParseReceiptText(text);
    if (parsed) {
      receipt = std::move(*parsed);
    }
  }
  if (std::optional<std::string> id = tlvs.GetString(tag::kReceiptedMessageId);
      id && !core::TrimAscii(*id).empty()) {
    receipt.message_id = std::string(core::TrimAscii(*id));
  }
  if (std::optional<uint8_t> state = tlvs.GetU8(tag::kMessageState);
      state && *state >= 1 && *state <= 8) {
    const auto tlv_state = static_cast<MessageState>(*state);
    if (receipt.stat.empty() || StateFromStat(receipt.stat) != tlv_state) {
      receipt.stat = std::string(StatWord(tlv_state));
    }
    receipt.state = tlv_state;
  }
  if (std::optional<NetworkErrorCode> code = GetNetworkErrorCode(tlvs)) {
    receipt.network_error = *code;
  }
  if (receipt.message_id.empty()) {
    return core::MakeError(core::Errc::kInvalidArgument,
                           "delivery receipt has no message id (no receipted_message_id TLV "
                           "and no id: field)");
  }
  return receipt;
}

}  // namespace

bool IsDeliveryReceipt(uint8_t esm_class) {
  const uint8_t type = esm_class & kEsmClassTypeMask;
  return type == kEsmClassDeliveryReceipt || type == kEsmClassIntermediateNotification;
}

MessageState StateFromStat(std::string_view stat) {
  struct Word {
    std::string_view word;
    MessageState state;
  };
  static constexpr Word kWords[] = {
      {"DELIVRD", MessageState::kDelivered},
      {"DELIVERED", MessageState::kDelivered},
      {"EXPIRED", MessageState::kExpired},
      {"DELETED", MessageState::kDeleted},
      {"UNDELIV", MessageState::kUndeliverable},
      {"UNDELIVERABLE", MessageState::kUndeliverable},
      {"UNDELIVERED", MessageState::kUndeliverable},
      {"ACCEPTD", MessageState::kAccepted},
      {"ACCEPTED", MessageState::kAccepted},
      {"REJECTD", MessageState::kRejected},
      {"REJECTED", MessageState::kRejected},
      {"ENROUTE", MessageState::kEnroute},
      {"UNKNOWN", MessageState::kUnknown},
  };
  for (const Word& w : kWords) {
    if (core::EqualsIgnoreCase(stat, w.word)) {
      return w.state;
    }
  }
  return MessageState::kUnknown;
}

core::Result<DeliveryReceipt> ParseReceiptText(std::string_view text) {
  const std::vector<Match> matches = FindKeys(text);
  DeliveryReceipt receipt;
  bool has_id = false;
  bool has_stat = false;
  for (size_t i = 0; i < matches.size(); ++i) {
    const size_t end = i + 1 < matches.size() ? matches[i + 1].key_start : text.size();
    const std::string_view value =
        text.substr(matches[i].value_start, end - matches[i].value_start);
    switch (matches[i].key) {
      case Key::kId:
        receipt.message_id = std::string(FirstToken(value));
        has_id = !receipt.message_id.empty();
        break;
      case Key::kSub:
        receipt.submitted = Count(value);
        break;
      case Key::kDlvrd:
        receipt.delivered = Count(value);
        break;
      case Key::kSubmitDate:
        receipt.submit_date = Date(value);
        break;
      case Key::kDoneDate:
        receipt.done_date = Date(value);
        break;
      case Key::kStat:
        receipt.stat = std::string(FirstToken(value));
        receipt.state = StateFromStat(receipt.stat);
        has_stat = !receipt.stat.empty();
        break;
      case Key::kErr:
        receipt.err = std::string(FirstToken(value));
        break;
      case Key::kText:
        receipt.text = std::string(core::TrimAscii(value));
        break;
    }
  }
  if (!has_id && !has_stat) {
    return core::MakeError(core::Errc::kInvalidArgument,
                           "not a delivery receipt: no id: and no stat: field");
  }
  return receipt;
}

core::Result<DeliveryReceipt> ParseReceipt(const DeliverSm& deliver_sm) {
  std::string_view text = AsText(deliver_sm.short_message);
  if (text.empty()) {
    if (std::optional<std::span<const uint8_t>> payload =
            deliver_sm.tlvs.GetBytes(tag::kMessagePayload)) {
      text = AsText(*payload);
    }
  }
  return Combine(text, deliver_sm.tlvs);
}

core::Result<DeliveryReceipt> ParseReceipt(const DataSm& data_sm) {
  std::string_view text;
  if (std::optional<std::span<const uint8_t>> payload =
          data_sm.tlvs.GetBytes(tag::kMessagePayload)) {
    text = AsText(*payload);
  }
  return Combine(text, data_sm.tlvs);
}

std::string FormatReceiptText(const DeliveryReceipt& r) {
  std::string out = "id:" + r.message_id;
  out += " sub:" + ThreeDigits(r.submitted.value_or(1));
  out += " dlvrd:" + ThreeDigits(r.delivered.value_or(r.state == MessageState::kDelivered ? 1 : 0));
  if (r.submit_date) {
    out += " submit date:" + FormatDate(*r.submit_date);
  }
  if (r.done_date) {
    out += " done date:" + FormatDate(*r.done_date);
  }
  out += " stat:";
  out += r.stat.empty() ? StatWord(r.state) : std::string_view(r.stat);
  out += " err:";
  out += r.err.empty() ? std::string_view("000") : std::string_view(r.err);
  out += " text:" + r.text;
  return out;
}

}  // namespace smsgw::smpp::codec
