#include "delivery/mo_text.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "text/inbound_decoder.h"

namespace smsgw::delivery {
namespace {

constexpr std::string_view kReplacement = "\uFFFD";

int NumberOf(const store::InboundPart& part) { return part.concat ? part.concat->seqnum : 1; }

std::span<const uint8_t> UserData(const store::InboundPart& part) {
  return std::span(part.payload).subspan(std::min(part.udh_length, part.payload.size()));
}

// Collects the user data of consecutive parts with one data_coding and decodes it in one go.
class Run {
 public:
  void Add(const store::InboundPart& part, std::string& out) {
    if (started_ && data_coding_ != part.data_coding) {
      Flush(out);
    }
    started_ = true;
    data_coding_ = part.data_coding;
    const std::span<const uint8_t> data = UserData(part);
    bytes_.insert(bytes_.end(), data.begin(), data.end());
  }

  void Flush(std::string& out) {
    if (!started_) {
      return;
    }
    core::Result<text::InboundText> decoded = text::DecodeInbound(data_coding_, bytes_);
    if (!decoded) {
      out += kReplacement;
    } else {
      // A NUL (UCS-2 or Latin-1 0x00) is stored as U+FFFD: a PostgreSQL store cannot hold it in
      // text, and an MO is never refused for its content.
      for (const char c : decoded->utf8) {
        if (c == '\0') {
          out += kReplacement;
        } else {
          out += c;
        }
      }
    }
    bytes_.clear();
    started_ = false;
  }

 private:
  bool started_ = false;
  uint8_t data_coding_ = 0;
  std::vector<uint8_t> bytes_;
};

}  // namespace

std::string AssembleMoText(std::span<const store::InboundPart> present, int total) {
  std::vector<const store::InboundPart*> parts;
  parts.reserve(present.size());
  for (const store::InboundPart& p : present) {
    parts.push_back(&p);
  }
  std::stable_sort(parts.begin(), parts.end(),
                   [](const auto* a, const auto* b) { return NumberOf(*a) < NumberOf(*b); });
  std::string out;
  Run run;
  size_t next = 0;
  for (int n = 1; n <= total; ++n) {
    // A number below n is a second copy of a part already taken (or no valid number at all).
    while (next < parts.size() && NumberOf(*parts[next]) < n) {
      ++next;
    }
    if (next < parts.size() && NumberOf(*parts[next]) == n) {
      run.Add(*parts[next++], out);
    } else {
      run.Flush(out);
      out += kMissingPartMarker;
    }
  }
  run.Flush(out);
  return out;
}

}  // namespace smsgw::delivery
