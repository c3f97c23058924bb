// `smsgw cluster status`: the nodes serving one store (their beats), who holds which SMSC bind
// slot, and the claims each holds, for operators (works while the nodes run; on SQLite it shows
// the one node).

#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "api/json_writer.h"
#include "app/command.h"

namespace smsgw::app {
namespace {

struct StatusFlags {
  CommonFlags common;
  bool json = false;
};

int64_t MillisBetween(core::TimePoint from, core::TimePoint to) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count();
}

bool Alive(const store::NodeBeat& n, core::TimePoint now) { return n.expires_at > now; }

std::string Seconds(int64_t ms) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(1) << static_cast<double>(ms) / 1000.0 << " s";
  return out.str();
}

std::string Json(const store::ClusterStatus& s) {
  api::JsonWriter j;
  auto& w = j.w();
  w.StartObject();
  j.Field("now", core::FormatIso8601(s.now));
  j.Key("nodes");
  w.StartArray();
  for (const store::NodeBeat& n : s.nodes) {
    w.StartObject();
    j.Field("owner", n.owner);
    j.Field("started_at", core::FormatIso8601(n.started_at));
    j.Field("beat_at", core::FormatIso8601(n.beat_at));
    j.Field("expires_at", core::FormatIso8601(n.expires_at));
    j.Key("alive");
    w.Bool(Alive(n, s.now));
    w.EndObject();
  }
  w.EndArray();
  j.Key("binds");
  w.StartArray();
  for (const store::BindLease& b : s.binds) {
    w.StartObject();
    j.Field("connector", b.connector);
    j.Key("slot");
    w.Int(b.slot);
    j.Field("owner", b.owner);
    j.Field("expires_at", core::FormatIso8601(b.expires_at));
    j.Key("live");
    w.Bool(b.expires_at > s.now);
    w.EndObject();
  }
  w.EndArray();
  j.Key("claims");
  w.StartArray();
  for (const store::ClaimsHeld& c : s.claims) {
    w.StartObject();
    j.Field("owner", c.owner);
    j.Key("messages");
    w.Uint64(c.messages);
    j.Key("webhooks");
    w.Uint64(c.webhooks);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return j.Take();
}

void PrintText(const store::ClusterStatus& s) {
  const auto alive = std::ranges::count_if(s.nodes, [&](const auto& n) { return Alive(n, s.now); });
  std::cout << "nodes: " << alive << " alive, " << s.nodes.size() - alive << " gone\n";
  for (const store::NodeBeat& n : s.nodes) {
    std::cout << "  " << n.owner << "  " << (Alive(n, s.now) ? "alive" : "gone ") << "  since "
              << core::FormatIso8601(n.started_at) << "  last beat "
              << Seconds(MillisBetween(n.beat_at, s.now)) << " ago\n";
  }
  std::cout << "bind leases: " << s.binds.size() << "\n";
  for (const store::BindLease& b : s.binds) {
    const int64_t left = MillisBetween(s.now, b.expires_at);
    std::cout << "  " << b.connector << " slot " << b.slot << "  " << b.owner << "  "
              << (left > 0 ? "expires in " + Seconds(left) : "lapsed " + Seconds(-left) + " ago")
              << "\n";
  }
  std::cout << "claims held:" << (s.claims.empty() ? " none" : "") << "\n";
  for (const store::ClaimsHeld& c : s.claims) {
    std::cout << "  " << c.owner << "  messages " << c.messages << "  webhooks " << c.webhooks
              << "\n";
  }
}

int PrintStatus(const StatusFlags& f) {
  return WithStore(f.common, [&f](const Settings&, OpenedStore& store) {
    auto status = store.cluster->Status();
    if (!status) {
      return Fail(status.error().message);
    }
    if (f.json) {
      std::cout << Json(*status) << "\n";
    } else {
      PrintText(*status);
    }
    return 0;
  });
}

}  // namespace

void AddClusterCommands(CLI::App& app, Commands& commands) {
  auto f = std::make_shared<StatusFlags>();
  CLI::App* cluster = app.add_subcommand("cluster", "inspect the nodes sharing this store");
  cluster->require_subcommand(1);
  CLI::App* status = cluster->add_subcommand(
      "status", "nodes and their last beats, SMSC bind leases, and the claims each node holds");
  AddCommonFlags(*status, f->common);
  status->add_flag("--json", f->json, "print JSON");
  commands.push_back({status, [f] { return PrintStatus(*f); }});
}

}  // namespace smsgw::app
