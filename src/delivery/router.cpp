#include "delivery/router.h"

#include <algorithm>
#include <string>

namespace smsgw::delivery {
namespace {

constexpr int32_t kNone = -1;

bool CarriesType(const config::SmscConfig& smsc, core::RouteType type) {
  return smsc.types.empty() ||
         std::find(smsc.types.begin(), smsc.types.end(), type) != smsc.types.end();
}

}  // namespace

Router::Router(const std::vector<config::SmscConfig>& smscs) {
  Node root;
  root.child.fill(kNone);
  root.list = 0;
  nodes_.push_back(root);

  // The trie of every configured prefix; `owners[list]` are the connectors listing exactly the
  // prefix that ends at the node owning `list`.
  std::vector<std::vector<size_t>> owners(1);
  std::vector<size_t> anywhere;  // connectors without prefixes
  for (size_t i = 0; i < smscs.size(); ++i) {
    if (smscs[i].prefixes.empty()) {
      anywhere.push_back(i);
    }
    for (const std::string& prefix : smscs[i].prefixes) {
      // Config validation admits digits only; a prefix with anything else could never match a
      // recipient, so it is left out rather than shortened.
      if (!std::all_of(prefix.begin(), prefix.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        continue;
      }
      size_t node = 0;
      for (char c : prefix) {
        const int digit = c - '0';
        if (nodes_[node].child[digit] == kNone) {
          Node fresh;
          fresh.child.fill(kNone);
          nodes_[node].child[digit] = static_cast<int32_t>(nodes_.size());
          nodes_.push_back(fresh);
        }
        node = static_cast<size_t>(nodes_[node].child[digit]);
      }
      if (nodes_[node].list == kNone) {
        nodes_[node].list = static_cast<int32_t>(owners.size());
        owners.emplace_back();
      }
      owners[static_cast<size_t>(nodes_[node].list)].push_back(i);
    }
  }

  // A recipient matches every configured prefix on its path, so the candidates at a node are
  // the union of the owners of the node and of its ancestors, plus the connectors without
  // prefixes: collected in one depth-first walk.
  lists_.resize(owners.size() * kTypeCount);
  auto fill = [&](size_t list, const std::vector<bool>& matching) {
    std::vector<size_t> order;
    for (size_t i = 0; i < smscs.size(); ++i) {
      if (matching[i]) {
        order.push_back(i);
      }
    }
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return smscs[a].priority < smscs[b].priority; });
    for (size_t t = 0; t < kTypeCount; ++t) {
      std::vector<size_t>& out = lists_[list * kTypeCount + t];
      for (size_t i : order) {
        if (CarriesType(smscs[i], static_cast<core::RouteType>(t))) {
          out.push_back(i);
        }
      }
    }
  };
  std::vector<bool> matching(smscs.size(), false);
  for (size_t i : anywhere) {
    matching[i] = true;
  }
  // Iterative: each stack entry is a node and the `matching` set on entering it.
  std::vector<std::pair<size_t, std::vector<bool>>> stack;
  stack.emplace_back(0, matching);
  while (!stack.empty()) {
    auto [node, inherited] = std::move(stack.back());
    stack.pop_back();
    if (nodes_[node].list != kNone) {
      const size_t list = static_cast<size_t>(nodes_[node].list);
      for (size_t i : owners[list]) {
        inherited[i] = true;
      }
      fill(list, inherited);
    }
    for (int32_t child : nodes_[node].child) {
      if (child != kNone) {
        stack.emplace_back(static_cast<size_t>(child), inherited);
      }
    }
  }
}

std::span<const size_t> Router::Candidates(std::string_view recipient, core::RouteType type) const {
  size_t node = 0;
  size_t list = 0;
  for (char c : recipient) {
    const int digit = c - '0';
    if (digit < 0 || digit > 9) {
      break;
    }
    const int32_t child = nodes_[node].child[digit];
    if (child == kNone) {
      break;
    }
    node = static_cast<size_t>(child);
    if (nodes_[node].list != kNone) {
      list = static_cast<size_t>(nodes_[node].list);
    }
  }
  const size_t t = static_cast<size_t>(type);
  if (t >= kTypeCount) {
    return {};
  }
  return lists_[list * kTypeCount + t];
}

}  // namespace smsgw::delivery
