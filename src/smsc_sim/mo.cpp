#include "smsc_sim/mo.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/json.h"
#include "smpp/codec/address.h"
#include "smpp/codec/tlv.h"
#include "text/data_coding.h"
#include "text/udh.h"

namespace smsgw::smsc_sim {
namespace {

// SMPP 3.4 §4.6.1: source_addr and destination_addr are at most 21 octets with the NUL.
constexpr size_t kMaxAddress = 20;

core::Result<std::string> StringField(const rapidjson::Value& object, const char* name,
                                      bool required) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || it->value.IsNull()) {
    if (required) {
      return core::MakeError(core::Errc::kInvalidArgument, std::string(name) + " is required");
    }
    return std::string();
  }
  if (!it->value.IsString()) {
    return core::MakeError(core::Errc::kInvalidArgument, std::string(name) + " must be a string");
  }
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

core::Result<smpp::codec::Address> AddressField(std::string_view value, const char* name) {
  smpp::codec::Address address = smpp::codec::MakeAddress(value);
  if (address.addr.empty() || address.addr.size() > kMaxAddress) {
    return core::MakeError(core::Errc::kInvalidArgument,
                           std::string(name) + " must be 1 to 20 characters");
  }
  return address;
}

}  // namespace

core::Result<MoRequest> ParseMoRequest(std::string_view json) {
  rapidjson::Document doc;
  if (!core::ParseJson(json, doc, core::kJsonValidateUtf8) || !doc.IsObject()) {
    return core::MakeError(core::Errc::kInvalidArgument, "the body must be a JSON object");
  }
  for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
    const std::string_view key(it->name.GetString(), it->name.GetStringLength());
    if (key != "from" && key != "to" && key != "text" && key != "encoding" && key != "system_id" &&
        key != "concat") {
      return core::MakeError(core::Errc::kInvalidArgument,
                             "unknown field \"" + std::string(key) + "\"");
    }
  }
  MoRequest request;
  struct Field {
    const char* name;
    std::string* out;
    bool required;
  };
  std::string encoding, concat;
  for (const Field& f :
       {Field{"from", &request.from, true}, Field{"to", &request.to, true},
        Field{"text", &request.text, true}, Field{"system_id", &request.system_id, false},
        Field{"encoding", &encoding, false}, Field{"concat", &concat, false}}) {
    auto value = StringField(doc, f.name, f.required);
    if (!value) {
      return std::unexpected(value.error());
    }
    *f.out = std::move(*value);
  }
  if (encoding.empty() || encoding == "auto") {
    request.encoding = text::UnicodeMode::kAuto;
  } else if (encoding == "gsm7") {
    request.encoding = text::UnicodeMode::kGsm7;
  } else if (encoding == "ucs2") {
    request.encoding = text::UnicodeMode::kUcs2;
  } else {
    return core::MakeError(core::Errc::kInvalidArgument,
                           "encoding must be \"auto\", \"gsm7\" or \"ucs2\"");
  }
  if (concat.empty() || concat == "udh8") {
    request.concat = text::ConcatMethod::kUdh8;
  } else if (concat == "udh16") {
    request.concat = text::ConcatMethod::kUdh16;
  } else if (concat == "sar") {
    request.concat = text::ConcatMethod::kSar;
  } else {
    return core::MakeError(core::Errc::kInvalidArgument,
                           "concat must be \"udh8\", \"udh16\" or \"sar\"");
  }
  return request;
}

core::Result<MoMessage> BuildMo(const MoRequest& request, uint16_t reference) {
  auto source = AddressField(request.from, "from");
  if (!source) {
    return std::unexpected(source.error());
  }
  auto dest = AddressField(request.to, "to");
  if (!dest) {
    return std::unexpected(dest.error());
  }
  if (request.concat != text::ConcatMethod::kUdh8 && request.concat != text::ConcatMethod::kUdh16 &&
      request.concat != text::ConcatMethod::kSar) {
    return core::MakeError(core::Errc::kInvalidArgument, "unsupported concatenation method");
  }
  auto segmentation = text::Split(request.text, request.encoding, request.concat);
  if (!segmentation) {
    return std::unexpected(segmentation.error());
  }
  text::WireOptions options;
  options.method = request.concat;
  options.reference = request.concat == text::ConcatMethod::kUdh16 ? reference : reference & 0xFF;
  auto wire = text::BuildWireParts(*segmentation, options);
  if (!wire) {
    return std::unexpected(wire.error());
  }
  MoMessage mo;
  mo.encoding = segmentation->encoding;
  for (text::WirePart& part : *wire) {
    smpp::codec::DeliverSm sm;
    sm.source = *source;
    sm.dest = *dest;
    sm.esm_class = part.udhi ? text::kEsmClassUdhi : 0;
    sm.data_coding = text::DataCodingFor(mo.encoding, false);
    sm.short_message = std::move(part.bytes);
    if (part.sar) {
      smpp::codec::SetSar(sm.tlvs, *part.sar);
    }
    mo.parts.push_back(std::move(sm));
  }
  return mo;
}

std::string MoSentJson(const MoSent& sent) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("system_id");
  w.String(sent.system_id.data(), static_cast<rapidjson::SizeType>(sent.system_id.size()));
  w.Key("connection");
  w.Uint64(sent.connection);
  w.Key("encoding");
  const std::string_view encoding = core::ToString(sent.encoding);
  w.String(encoding.data(), static_cast<rapidjson::SizeType>(encoding.size()));
  w.Key("parts");
  w.Uint64(sent.sequence_numbers.size());
  w.Key("sequence_numbers");
  w.StartArray();
  for (const uint32_t seq : sent.sequence_numbers) {
    w.Uint(seq);
  }
  w.EndArray();
  w.EndObject();
  return buffer.GetString();
}

}  // namespace smsgw::smsc_sim
