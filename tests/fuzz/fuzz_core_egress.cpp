// Fuzzes the egress policy's parsers (core/egress.h, core/url.h) with arbitrary text: URLs,
// literal addresses, networks. Nothing may crash; a network that parses must contain its own
// address, and a URL the policy refuses must name a host that is a literal address or localhost.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/egress.h"
#include "core/url.h"

namespace {

using namespace smsgw;  // NOLINT: a fuzz driver, not library code

void Check(bool ok) {
  if (!ok) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const core::EgressPolicy policy({*core::ParseIpNetwork("10.9.0.0/16")},
                                         {*core::ParseIpNetwork("10.0.0.0/8")}, {});
  if (auto net = core::ParseIpNetwork(text)) {
    Check(net->prefix >= 0 && net->prefix <= 128);
    const core::EgressPolicy only({*net}, {}, {});
    Check(only.Check(net->address, 80) == core::EgressPolicy::Verdict::kAllowed);
  }
  if (auto ip = core::ParseIpLiteral(text)) {
    (void)policy.Check(*ip, 443);
  }
  const auto url = core::SplitHttpUrl(text);
  if (url) {
    Check(url->port != 0 && !url->host.empty());
    Check(url->authority_begin <= url->authority_end && url->authority_end <= text.size());
  }
  if (policy.UrlProblem(text)) {
    Check(url.has_value());
  }
  return 0;
}
