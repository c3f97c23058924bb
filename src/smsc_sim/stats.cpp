#include "smsc_sim/stats.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace smsgw::smsc_sim {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Counts(Writer& w, const char* key, const std::map<std::string, uint64_t, std::less<>>& m) {
  w.Key(key);
  w.StartObject();
  for (const auto& [name, count] : m) {
    w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    w.Uint64(count);
  }
  w.EndObject();
}

}  // namespace

std::string StatsJson(const Stats& s) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("connections");
  w.StartObject();
  w.Key("open");
  w.Uint64(s.connections_open);
  w.Key("total");
  w.Uint64(s.connections_total);
  w.EndObject();
  w.Key("bound");
  w.Uint64(s.bound);
  w.Key("bound_peak");
  w.Uint64(s.bound_peak);
  w.Key("bound_by_system_id");
  w.StartObject();
  for (const auto& [system_id, count] : s.bound_by_system_id) {
    w.Key(system_id.data(), static_cast<rapidjson::SizeType>(system_id.size()));
    w.StartObject();
    w.Key("bound");
    w.Uint64(count.bound);
    w.Key("peak");
    w.Uint64(count.peak);
    w.EndObject();
  }
  w.EndObject();
  w.Key("binds");
  w.StartObject();
  w.Key("ok");
  w.Uint64(s.binds_ok);
  w.Key("refused");
  w.Uint64(s.binds_refused);
  w.EndObject();
  Counts(w, "received", s.received);
  Counts(w, "sent", s.sent);
  Counts(w, "submits_by_fault", s.submits_by_fault);
  w.Key("deliveries");
  w.StartObject();
  w.Key("queued");
  w.Uint64(s.deliveries_queued);
  w.Key("dropped");
  w.Uint64(s.deliveries_dropped);
  w.EndObject();
  w.Key("mo_sent");
  w.Uint64(s.mo_sent);
  w.EndObject();
  return buffer.GetString();
}

}  // namespace smsgw::smsc_sim
