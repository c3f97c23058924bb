#include "api/smpp_credential_requests.h"

#include <algorithm>

#include "api/json_fields.h"
#include "api/json_writer.h"
#include "core/message.h"
#include "core/time.h"

namespace smsgw::api {
namespace {

using fields::Errors;
using fields::Find;
using fields::Str;

// Longer than any CIDR ("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/128" is 49): refused
// before it is copied or parsed.
constexpr size_t kMaxSourceText = 64;

// The entries of a string form: separated by commas and/or white space.
std::vector<std::string_view> SplitSources(std::string_view text) {
  std::vector<std::string_view> out;
  size_t at = 0;
  while (at < text.size()) {
    const size_t end = text.find_first_of(", \t\r\n", at);
    if (end != at) {
      out.push_back(text.substr(at, end == std::string_view::npos ? end : end - at));
    }
    if (end == std::string_view::npos) {
      break;
    }
    at = end + 1;
  }
  return out;
}

// Reads allowed_sources into `out`; the reason it cannot, else "".
std::string ReadSources(const rapidjson::Value& v, std::vector<core::IpNetwork>& out) {
  std::vector<std::string_view> texts;
  if (v.IsString()) {
    // A form body's one string; bounded before it is split.
    if (v.GetStringLength() > kMaxSourceText * store::kMaxSmppAllowedSources) {
      return "allowed_sources is too long.";
    }
    texts = SplitSources(Str(v));
  } else if (v.IsArray()) {
    if (v.Size() > store::kMaxSmppAllowedSources) {
      return "allowed_sources may list at most " + std::to_string(store::kMaxSmppAllowedSources) +
             " networks.";
    }
    for (const rapidjson::Value& item : v.GetArray()) {
      if (!item.IsString()) {
        return "allowed_sources must be a list of strings.";
      }
      texts.push_back(Str(item));
    }
  } else {
    return "allowed_sources must be a list of IP networks.";
  }
  if (texts.size() > store::kMaxSmppAllowedSources) {
    return "allowed_sources may list at most " + std::to_string(store::kMaxSmppAllowedSources) +
           " networks.";
  }
  for (std::string_view text : texts) {
    if (text.size() > kMaxSourceText) {
      return "allowed_sources: an entry is longer than any IP network.";
    }
    auto net = core::ParseIpNetwork(text);
    if (!net) {
      return "allowed_sources: " + net.error().message + ".";
    }
    if (std::find(out.begin(), out.end(), *net) == out.end()) {
      out.push_back(*net);
    }
  }
  return "";
}

void WriteCredential(JsonWriter& j, const store::SmppCredential& c) {
  j.Field("system_id", c.system_id);
  j.Field("created_at", core::FormatCreatedDateTime(c.created_at));
  j.FieldOrNull("revoked_at", c.revoked_at ? core::FormatCreatedDateTime(*c.revoked_at) : "");
  j.Key("max_rate");
  if (c.max_rate) {
    j.w().Int64(*c.max_rate);
  } else {
    j.w().Null();
  }
  j.FieldOrNull("type", c.type);
  j.Key("allowed_sources");
  j.w().StartArray();
  for (const core::IpNetwork& net : c.allowed_sources) {
    j.Str(core::FormatIpNetwork(net));
  }
  j.w().EndArray();
  j.Field("id_format", c.id_format == store::SmppIdFormat::kDecimal ? "decimal" : "hex");
}

}  // namespace

bool IsValidSmppSystemId(std::string_view system_id) {
  return !system_id.empty() && system_id.size() <= kMaxSmppSystemId &&
         std::all_of(system_id.begin(), system_id.end(),
                     [](char c) { return c > ' ' && c < 0x7f; });
}

std::expected<SmppCredentialRequest, FieldErrors> ValidateSmppCredential(
    const rapidjson::Value& in) {
  Errors errors;
  SmppCredentialRequest out;
  if (const rapidjson::Value* v = Find(in, "system_id")) {
    if (v->IsString() && IsValidSmppSystemId(Str(*v))) {
      out.system_id = Str(*v);
    } else {
      errors.Add(ApiError::kSmppSystemIdInvalid);
    }
  }
  if (const rapidjson::Value* v = Find(in, "max_rate")) {
    if (auto n = fields::IntegerIn(*v, 0, kMaxSmppRate)) {
      out.max_rate = *n;
    } else {
      errors.Add(ApiError::kSmppMaxRateInvalid);
    }
  }
  if (const rapidjson::Value* v = Find(in, "type")) {
    const std::optional<core::RouteType> type =
        v->IsString() ? core::ParseRouteType(Str(*v)) : std::nullopt;
    if (type) {
      out.type = core::ToString(*type);
    } else {
      errors.Add(ApiError::kTypeInvalid, "type must be OTP, TXN, TXND, MKT or DEFAULT.");
    }
  }
  if (const rapidjson::Value* v = Find(in, "allowed_sources")) {
    if (std::string reason = ReadSources(*v, out.allowed_sources); !reason.empty()) {
      errors.Add(ApiError::kSmppSourcesInvalid, std::move(reason));
    }
  }
  if (const rapidjson::Value* v = Find(in, "id_format")) {
    if (v->IsString() && Str(*v) == "decimal") {
      out.id_format = store::SmppIdFormat::kDecimal;
    } else if (!v->IsString() || Str(*v) != "hex") {
      errors.Add(ApiError::kSmppIdFormatInvalid);
    }
  }
  if (!errors.Empty()) {
    return std::unexpected(errors.Take());
  }
  return out;
}

FieldError SmppSystemIdTaken(std::string_view system_id) {
  return MakeFieldError(ApiError::kSmppSystemIdTaken,
                        "system_id '" + std::string(system_id) +
                            "' is taken (a revoked system_id is never given out again).");
}

std::string SmppCredentialJson(const store::SmppCredential& credential) {
  JsonWriter j;
  j.w().StartObject();
  WriteCredential(j, credential);
  j.w().EndObject();
  return j.Take();
}

std::string NewSmppCredentialJson(const store::SmppCredential& credential,
                                  std::string_view password) {
  JsonWriter j;
  j.w().StartObject();
  WriteCredential(j, credential);
  j.Field("password", password);
  j.w().EndObject();
  return j.Take();
}

std::string SmppCredentialListJson(const std::vector<store::SmppCredential>& credentials) {
  return ListJson(credentials, [](JsonWriter& j, const store::SmppCredential& c) {
    j.w().StartObject();
    WriteCredential(j, c);
    j.w().EndObject();
  });
}

}  // namespace smsgw::api
