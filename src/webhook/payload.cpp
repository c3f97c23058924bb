#include "webhook/payload.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <cctype>

#include "core/json.h"
#include "core/time.h"

namespace smsgw::webhook {
namespace {

using Kind = Field::Kind;

std::string JsonArray(const std::vector<std::string>& items) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartArray();
  for (const std::string& item : items) {
    w.String(item.data(), static_cast<rapidjson::SizeType>(item.size()));
  }
  w.EndArray();
  return std::string(buf.GetString(), buf.GetSize());
}

// The words of an inbound message: split on ASCII white space.
std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
    }
    size_t j = i;
    while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j]))) {
      ++j;
    }
    if (j > i) {
      words.emplace_back(text.substr(i, j - i));
    }
    i = j;
  }
  return words;
}

// ref_custom as stored (a JSON array of strings); anything else is reported as one string, so the
// body stays valid JSON whatever the column holds.
std::string RefCustomJson(const std::string& stored) {
  if (stored.empty()) {
    return "[]";
  }
  rapidjson::Document doc;
  if (core::ParseJson(stored, doc) && doc.IsArray()) {
    return stored;
  }
  return JsonArray({stored});
}

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

const Field* FindField(const Fields& fields, std::string_view name) {
  for (const Field& f : fields) {
    if (f.name == name) {
      return &f;
    }
  }
  return nullptr;
}

std::string RenderTemplate(std::string_view text, const Fields& fields) {
  std::string out;
  out.reserve(text.size() + 256);
  size_t i = 0;
  while (i < text.size()) {
    const size_t open = text.find('<', i);
    if (open == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    out.append(text.substr(i, open - i));
    size_t end = open + 1;
    while (end < text.size() && IsNameChar(text[end])) {
      ++end;
    }
    const Field* field = nullptr;
    if (end < text.size() && text[end] == '>' && end > open + 1) {
      field = FindField(fields, text.substr(open + 1, end - open - 1));
    }
    if (field != nullptr) {
      out.append(field->value);
      i = end + 1;
    } else {
      out.push_back('<');
      i = open + 1;
    }
  }
  return out;
}

std::string JsonBody(const Fields& fields) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  for (const Field& f : fields) {
    w.Key(f.name.data(), static_cast<rapidjson::SizeType>(f.name.size()));
    const auto size = static_cast<rapidjson::SizeType>(f.value.size());
    switch (f.kind) {
      case Kind::kString:
        w.String(f.value.data(), size);
        break;
      case Kind::kNumber:
      case Kind::kJson:
        w.RawValue(f.value.data(), size,
                   f.kind == Kind::kNumber ? rapidjson::kNumberType : rapidjson::kArrayType);
        break;
    }
  }
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace

std::string_view CallbackStatus(core::MessageState state) {
  // The contract: "callbacks also use Failed". A message that never reached a carrier is
  // NotSent in the status API, and its callback reports it as Failed (status_trace keeps the
  // reason), which is the word Kaleyra clients handle in callbacks; UnDelivered stays
  // UnDelivered.
  if (state == core::MessageState::kNotSent) {
    return "Failed";
  }
  return core::KaleyraStatus(state);
}

std::string Description(core::MessageState state, std::string_view details) {
  struct Text {
    std::string_view details, text;
  };
  static constexpr Text kTexts[] = {
      {"SUBMITTED", "Message submitted to the carrier"},
      {"DELIVRD", "Message delivered to the handset"},
      {"UNDELIV", "Message could not be delivered"},
      {"REJECTD", "Message rejected by the network"},
      {"DELETED", "Message deleted by the network"},
      {"UNKNOWN", "Message status unknown to the network"},
      {"NO-ROUTE", "No route for the destination"},
      {"CANCELLED", "Message cancelled before it was sent"},
      {"QUEUED", "Message queued"},
      {"SCHEDULED", "Message scheduled"},
  };
  if (details == "EXPIRED") {
    return state == core::MessageState::kNotSent ? "Message expired before it was sent"
                                                 : "Message expired before delivery";
  }
  for (const Text& t : kTexts) {
    if (t.details == details) {
      return std::string(t.text);
    }
  }
  if (details.starts_with("ESME_")) {
    return "Message refused by the carrier (" + std::string(details) + ")";
  }
  if (details.empty()) {
    return std::string(core::KaleyraStatus(state));
  }
  return std::string(details);
}

Fields StatusFields(const core::Message& message, const store::StatusEvent& event,
                    std::string_view event_id) {
  const bool failed = event.state == core::MessageState::kUndelivered ||
                      event.state == core::MessageState::kNotSent;
  // The receipt's err field is not kept with the event; a failure reports its stat or reason.
  const std::string error_code = failed ? event.details : "";
  return Fields{
      {"id", message.request_id, Kind::kString},
      {"message_id", message.id, Kind::kString},
      {"recipient", message.recipient, Kind::kString},
      {"sender", message.sender, Kind::kString},
      {"status", std::string(CallbackStatus(event.state)), Kind::kString},
      {"status_trace", event.details, Kind::kString},
      {"description", Description(event.state, event.details), Kind::kString},
      {"error_code", error_code, Kind::kString},
      {"segments", std::to_string(message.segments), Kind::kNumber},
      {"timestamp", core::FormatUtc(event.at), Kind::kString},
      {"ref", message.ref, Kind::kString},
      {"ref1", message.ref1, Kind::kString},
      {"ref2", message.ref2, Kind::kString},
      {"ref_custom", RefCustomJson(message.ref_custom), Kind::kJson},
      {"campaign_name", message.campaign_name, Kind::kString},
      {"event_id", std::string(event_id), Kind::kString},
  };
}

Fields TestFields(std::string_view event_id, core::TimePoint at) {
  core::Message message;
  message.request_id = std::string(event_id);
  message.id = std::string(event_id);
  message.segments = 1;
  const store::StatusEvent event{
      std::string(event_id), std::string(event_id), "", core::MessageState::kDelivered, "TEST", at};
  Fields fields = StatusFields(message, event, event_id);
  for (Field& f : fields) {
    if (f.name == "description") {
      f.value = "A test webhook from smsgw; no message was sent.";
    }
  }
  return fields;
}

Fields InboundFields(const store::InboundDelivery& inbound, std::string_view event_id) {
  const store::InboundMessage& m = inbound.message;
  std::string source = m.source;
  if (source.starts_with('+')) {
    source.erase(0, 1);
  }
  std::string number = inbound.number.empty() ? m.destination : inbound.number;
  if (!number.starts_with('+')) {
    number.insert(0, "+");
  }
  std::string description = "Inbound message received";
  if (!m.parts_missing.empty()) {
    description += " (" + std::to_string(m.parts_received) + " of " +
                   std::to_string(m.parts_total) + " parts)";
  }
  return Fields{
      {"source", source, Kind::kString},
      {"recipient", number, Kind::kString},
      {"message", m.text, Kind::kString},
      {"keyword", inbound.keyword, Kind::kString},
      {"id", m.id, Kind::kString},
      {"kid", inbound.number_id, Kind::kString},
      {"status", "SENT", Kind::kString},
      {"status_trace", "RECEIVED", Kind::kString},
      {"description", description, Kind::kString},
      {"timestamp", core::FormatUtc(m.received_at), Kind::kString},
      {"parts", JsonArray(Words(m.text)), Kind::kJson},
      {"operator", "", Kind::kString},
      {"circle", "", Kind::kString},
      {"event_id", std::string(event_id), Kind::kString},
  };
}

Fields JobFields(const store::WebhookJob& job) {
  if (job.kind == store::WebhookKind::kInbound) {
    return InboundFields(job.inbound, job.event_id);
  }
  return StatusFields(job.message, job.event, job.event_id);
}

namespace {

// Appends RFC 3986 percent-encoding of `text`: everything but unreserved characters escaped.
void AppendPercentEncoded(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  // RFC 3986's unreserved characters, by table: std::isalnum is a locale lookup per character,
  // and every status webhook encodes a few hundred of them.
  static constexpr auto kUnreserved = [] {
    std::array<bool, 256> table{};
    for (int c = 0; c < 256; ++c) {
      table[c] = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                 c == '-' || c == '.' || c == '_' || c == '~';
    }
    return table;
  }();
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (kUnreserved[u]) {
      out.push_back(c);
    } else {
      const char escaped[3] = {'%', kHex[u >> 4], kHex[u & 0xF]};
      out.append(escaped, 3);
    }
  }
}

}  // namespace

RenderedRequest Render(const Fields& fields, const Target& target) {
  RenderedRequest out;
  out.url = target.url;
  if (target.method == "GET") {
    std::string query;
    for (const Field& f : fields) {
      if (!query.empty()) {
        query.push_back('&');
      }
      AppendPercentEncoded(query, f.name);
      query.push_back('=');
      AppendPercentEncoded(query, f.value);
    }
    const size_t hash = out.url.find('#');
    if (hash != std::string::npos) {
      out.url.erase(hash);
    }
    const size_t q = out.url.find('?');
    if (q == std::string::npos) {
      out.url += '?';
    } else if (q + 1 < out.url.size() && !out.url.ends_with('&')) {
      out.url += '&';
    }
    out.url += query;
    out.signed_part = out.url.substr(out.url.find('?') + 1);
    return out;
  }
  if (target.body_template.empty()) {
    out.body = JsonBody(fields);
    out.content_type = "application/json";
  } else {
    out.body = RenderTemplate(target.body_template, fields);
    const size_t first = target.body_template.find_first_not_of(" \t\r\n");
    out.content_type = first != std::string::npos && target.body_template[first] == '{'
                           ? "application/json"
                           : "text/plain; charset=utf-8";
  }
  out.signed_part = out.body;
  return out;
}

}  // namespace smsgw::webhook
