#include "app/node_id_check.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <string>
#include <thread>

#include "store/delivery_decisions.h"

namespace smsgw::app {
namespace {

// This node's lives whose beats have not lapsed, by owner, with their last beat.
core::Result<std::map<std::string, store::NodeBeat>> LiveLives(store::ClusterStore& cluster,
                                                               std::string_view node_id,
                                                               core::TimePoint* now) {
  auto read = cluster.Nodes();
  if (!read) {
    return std::unexpected(read.error());
  }
  *now = read->now;
  const std::string prefix = std::string(node_id) + "/";
  std::map<std::string, store::NodeBeat> lives;
  for (store::NodeBeat& node : read->nodes) {
    if (store::OwnerNode(node.owner) == prefix && node.expires_at > read->now) {
      lives.emplace(node.owner, std::move(node));
    }
  }
  return lives;
}

}  // namespace

core::Result<void> CheckNodeIdIsFree(store::ClusterStore& cluster, std::string_view node_id,
                                     std::chrono::milliseconds poll) {
  core::TimePoint now;
  auto first = LiveLives(cluster, node_id, &now);
  if (!first) {
    first.error().message = "cannot read the cluster's nodes: " + first.error().message;
    return std::unexpected(first.error());
  }
  if (first->empty()) {
    return {};
  }
  // A live life beats every fifth of its lease: watch to half its lease past its last beat.
  core::TimePoint deadline = now;
  for (const auto& [owner, beat] : *first) {
    deadline = std::max(deadline, beat.beat_at + (beat.expires_at - beat.beat_at) / 2);
  }
  SPDLOG_INFO(
      "cluster: node id {} has an earlier life that beat {} ms ago ({}); watching its beat for "
      "up to {} ms to tell a crash from a live process",
      node_id,
      std::chrono::duration_cast<std::chrono::milliseconds>(now - first->begin()->second.beat_at)
          .count(),
      first->begin()->first,
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count());
  using Steady = std::chrono::steady_clock;
  const Steady::time_point watch_until = Steady::now() + (deadline - now);
  for (;;) {
    std::this_thread::sleep_for(
        std::clamp<Steady::duration>(watch_until - Steady::now(), Steady::duration::zero(), poll));
    auto later = LiveLives(cluster, node_id, &now);
    if (!later) {
      later.error().message = "cannot read the cluster's nodes: " + later.error().message;
      return std::unexpected(later.error());
    }
    for (const auto& [owner, beat] : *later) {
      auto was = first->find(owner);
      if (was == first->end() || beat.beat_at > was->second.beat_at) {
        return core::MakeError(core::Errc::kConflict,
                               "node id " + std::string(node_id) +
                                   " is in use by another live process (" + owner +
                                   " beats as it): give every node its own [node] id");
      }
    }
    if (Steady::now() >= watch_until) {
      return {};
    }
  }
}

}  // namespace smsgw::app
