#include "smsc_sim/pdu_log.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <variant>

#include "smpp/codec/command_status.h"

namespace smsgw::smsc_sim {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void String(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

std::string UtcMillis(core::TimePoint t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch());
  const std::time_t seconds = static_cast<std::time_t>(ms.count() / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[40];
  const size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms.count() % 1000));
  return buf;
}

std::string Hex(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0F]);
  }
  return out;
}

// submit_sm and deliver_sm share their layout (pdu.h).
template <class Sm>
void MessageFields(Writer& w, const Sm& sm) {
  w.Key("source");
  String(w, sm.source.addr);
  w.Key("dest");
  String(w, sm.dest.addr);
  w.Key("esm_class");
  w.Uint(sm.esm_class);
  w.Key("data_coding");
  w.Uint(sm.data_coding);
  w.Key("registered_delivery");
  w.Uint(sm.registered_delivery);
  w.Key("short_message");
  String(w, Hex(sm.short_message));
  w.Key("tlvs");
  w.StartArray();
  for (const smpp::codec::Tlv& tlv : sm.tlvs.items()) {
    char tag[8];
    std::snprintf(tag, sizeof tag, "0x%04x", tlv.tag);
    w.String(tag);
  }
  w.EndArray();
}

}  // namespace

std::string PduLogLine(core::TimePoint time, Direction direction, uint64_t connection,
                       std::string_view system_id, const smpp::codec::Pdu& pdu,
                       std::string_view message_id) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("time");
  String(w, UtcMillis(time));
  w.Key("dir");
  w.String(direction == Direction::kIn ? "in" : "out");
  w.Key("conn");
  w.Uint64(connection);
  w.Key("system_id");
  String(w, system_id);
  w.Key("command");
  String(w, smpp::codec::CommandName(smpp::codec::CommandIdOf(pdu)));
  w.Key("seq");
  w.Uint(pdu.sequence_number);
  w.Key("status");
  w.Uint(pdu.command_status);
  w.Key("status_name");
  String(w, smpp::codec::EsmeName(pdu.command_status));
  if (const auto* submit = std::get_if<smpp::codec::SubmitSm>(&pdu.body)) {
    MessageFields(w, *submit);
  } else if (const auto* deliver = std::get_if<smpp::codec::DeliverSm>(&pdu.body)) {
    MessageFields(w, *deliver);
  } else if (const auto* resp = std::get_if<smpp::codec::SubmitSmResp>(&pdu.body);
             resp && message_id.empty()) {
    message_id = resp->message_id;
  }
  if (!message_id.empty()) {
    w.Key("message_id");
    String(w, message_id);
  }
  w.EndObject();
  return buffer.GetString();
}

core::Result<std::unique_ptr<PduLog>> PduLog::Open(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "a");
  if (file == nullptr) {
    return core::MakeError(core::Errc::kInvalidArgument,
                           "cannot open " + path + ": " + std::strerror(errno));
  }
  return std::unique_ptr<PduLog>(new PduLog(file));
}

PduLog::~PduLog() { std::fclose(file_); }

void PduLog::Write(std::string_view line) {
  std::fwrite(line.data(), 1, line.size(), file_);
  std::fputc('\n', file_);
  std::fflush(file_);
}

}  // namespace smsgw::smsc_sim
