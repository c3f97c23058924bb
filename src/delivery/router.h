#pragma once
// Router picks the connectors ([[smsc]] entries) that may carry a message: those whose
// `prefixes` include a prefix of the recipient (no prefixes: any recipient) and whose `types`
// include the message's type (no types: any type), best first: lower `priority`, then the order
// of the config file. The dispatcher tries them in that order (failover).
//
// Built once from the config; everything is precomputed, so Candidates is a walk of at most 15
// digits through a prefix trie and returns a view into a table, without allocating. Immutable
// after construction: safe to call from any number of threads.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/message.h"

namespace smsgw::delivery {

class Router {
 public:
  explicit Router(const std::vector<config::SmscConfig>& smscs);

  // Indices into the vector the Router was built from, best first; empty when no connector
  // matches. `recipient` is E.164 digits without '+'. The span stays valid as long as the
  // Router.
  std::span<const size_t> Candidates(std::string_view recipient, core::RouteType type) const;

 private:
  static constexpr size_t kTypeCount = static_cast<size_t>(core::RouteType::kDefault) + 1;

  struct Node {
    std::array<int32_t, 10> child;  // by digit; -1 = none
    int32_t list = -1;  // index into lists_ when a configured prefix ends here; -1 otherwise
  };

  // lists_[list * kTypeCount + type]: the candidates of a recipient whose longest configured
  // prefix is the one that owns `list` (list 0: no configured prefix matches).
  std::vector<Node> nodes_;
  std::vector<std::vector<size_t>> lists_;
};

}  // namespace smsgw::delivery
