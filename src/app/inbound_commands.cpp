// `smsgw inbound list`: the inbound (MO) messages the gateway stored, newest first, matched to an
// account or not, for operators (a rising smsgw_inbound_unmatched names no number; this shows
// which). Paged with --before, on the order messages were stored in, on every node.

#include <iostream>
#include <memory>

#include "api/json_writer.h"
#include "app/command.h"
#include "core/time.h"

namespace smsgw::app {
namespace {

struct ListFlags {
  CommonFlags common;
  bool json = false;
  bool unmatched = false;
  size_t limit = 50;
  std::string before;
};

void Write(api::JsonWriter& j, const store::InboundMessage& m) {
  auto& w = j.w();
  w.StartObject();
  j.Field("id", m.id);
  j.Field("received_at", core::FormatIso8601(m.received_at));
  j.Field("stored_at", core::FormatIso8601(m.stored_at));
  j.Field("connector", m.connector);
  j.Field("source", m.source);
  j.Field("destination", m.destination);
  j.FieldOrNull("sid", m.sid);
  j.FieldOrNull("number_id", m.number_id);
  j.FieldOrNull("keyword", m.keyword);
  j.Key("parts_total");
  w.Int(m.parts_total);
  j.Key("parts_received");
  w.Int(m.parts_received);
  j.Key("parts_missing");
  w.StartArray();
  for (int part : m.parts_missing) {
    w.Int(part);
  }
  w.EndArray();
  j.Field("text", m.text);
  w.EndObject();
}

// The text as a JSON string: a handset's control characters never reach the terminal raw.
std::string Quoted(std::string_view text) {
  api::JsonWriter j;
  j.Str(text);
  return j.Take();
}

void PrintLine(const store::InboundMessage& m) {
  std::cout << core::FormatIso8601(m.stored_at) << "  " << m.id << "  " << m.source << " -> "
            << m.destination << "  " << (m.sid.empty() ? "unmatched" : m.sid) << "  parts "
            << m.parts_received << "/" << m.parts_total << "  " << Quoted(m.text) << "\n";
}

int List(const ListFlags& f) {
  return WithStore(f.common, [&f](const Settings&, OpenedStore& store) {
    if (!f.before.empty()) {
      if (auto known = store.inbound->GetInbound(f.before); !known) {
        return Fail(known.error().message);
      }
    }
    auto listed = store.inbound->ListInbound(
        f.before, f.limit,
        f.unmatched ? store::InboundFilter::kUnmatched : store::InboundFilter::kAll);
    if (!listed) {
      return Fail(listed.error().message);
    }
    if (f.json) {
      api::JsonWriter j;
      j.w().StartArray();
      for (const store::InboundMessage& m : *listed) {
        Write(j, m);
      }
      j.w().EndArray();
      std::cout << j.Take() << "\n";
      return 0;
    }
    for (const store::InboundMessage& m : *listed) {
      PrintLine(m);
    }
    return 0;
  });
}

}  // namespace

void AddInboundCommands(CLI::App& app, Commands& commands) {
  auto f = std::make_shared<ListFlags>();
  CLI::App* inbound = app.add_subcommand("inbound", "inbound (MO) messages the gateway stored");
  inbound->require_subcommand(1);
  CLI::App* list = inbound->add_subcommand(
      "list", "stored inbound messages, newest first, with the account each matched");
  AddCommonFlags(*list, f->common);
  list->add_option("--limit", f->limit, "at most this many (1 to 1000; default 50)")
      ->check(CLI::Range(1, 1000));
  list->add_option("--before", f->before,
                   "only messages stored before this one (its id): the next page");
  list->add_flag("--unmatched", f->unmatched,
                 "only those that matched no account (counted by smsgw_mo_unmatched)");
  list->add_flag("--json", f->json, "print JSON");
  commands.push_back({list, [f] { return List(*f); }});
}

}  // namespace smsgw::app
