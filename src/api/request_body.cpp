#include "api/request_body.h"

#include "core/json.h"
#include "core/strings.h"
#include "text/utf8.h"

namespace smsgw::api {
namespace {

void SetString(rapidjson::Document& doc, std::string_view key, std::string_view value) {
  auto& alloc = doc.GetAllocator();
  auto it = doc.FindMember(rapidjson::Value(rapidjson::StringRef(key.data(), key.size())));
  if (it != doc.MemberEnd()) {
    if (key == "to" && it->value.IsString() && it->value.GetStringLength() > 0) {
      std::string joined(it->value.GetString(), it->value.GetStringLength());
      joined += ',';
      joined += value;
      it->value.SetString(joined.data(), static_cast<rapidjson::SizeType>(joined.size()), alloc);
    } else {
      it->value.SetString(value.data(), static_cast<rapidjson::SizeType>(value.size()), alloc);
    }
    return;
  }
  doc.AddMember(
      rapidjson::Value(key.data(), static_cast<rapidjson::SizeType>(key.size()), alloc),
      rapidjson::Value(value.data(), static_cast<rapidjson::SizeType>(value.size()), alloc), alloc);
}

// U+0000 is no character of any message, and a PostgreSQL store cannot hold it in text: refused
// wherever a client's string would be stored. The recursion is as deep as the parser allowed.
bool HoldsNul(const rapidjson::Value& v) {
  if (v.IsString()) {
    return std::string_view(v.GetString(), v.GetStringLength()).find('\0') !=
           std::string_view::npos;
  }
  if (v.IsArray()) {
    for (const auto& e : v.GetArray()) {
      if (HoldsNul(e)) {
        return true;
      }
    }
  } else if (v.IsObject()) {
    for (const auto& m : v.GetObject()) {
      if (HoldsNul(m.name) || HoldsNul(m.value)) {
        return true;
      }
    }
  }
  return false;
}

FieldError NulError() {
  return MakeFieldError(ApiError::kMalformedBody,
                        "The body holds the character U+0000 (NUL), which no field may hold.");
}

}  // namespace

bool LooksLikeJson(std::string_view body) {
  for (char c : body) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      continue;
    }
    return c == '{';
  }
  return false;
}

std::expected<void, FieldError> ParseJsonBody(std::string_view body, rapidjson::Document& out) {
  auto parsed = core::ParseJson(body, out, core::kJsonValidateUtf8 | core::kJsonNumbersAsStrings);
  if (!parsed) {
    if (parsed.error().kind == core::JsonError::Kind::kInvalidUtf8) {
      return std::unexpected(MakeFieldError(ApiError::kInvalidUtf8));
    }
    return std::unexpected(
        MakeFieldError(ApiError::kMalformedBody, std::move(parsed.error().message)));
  }
  if (!out.IsObject()) {
    return std::unexpected(
        MakeFieldError(ApiError::kMalformedBody, "The JSON body must be an object."));
  }
  if (HoldsNul(out)) {
    return std::unexpected(NulError());
  }
  return {};
}

bool UrlDecode(std::string_view in, std::string& out) {
  return core::PercentDecode(in, out, /*plus_is_space=*/true);
}

std::expected<void, FieldError> ParseFormBody(std::string_view form, rapidjson::Document& out) {
  out.SetObject();
  std::string key, value;
  while (!form.empty()) {
    const size_t amp = form.find('&');
    std::string_view pair = form.substr(0, amp);
    form = amp == std::string_view::npos ? std::string_view() : form.substr(amp + 1);
    if (pair.empty()) {
      continue;
    }
    const size_t eq = pair.find('=');
    if (!UrlDecode(pair.substr(0, eq), key) ||
        !UrlDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1),
                   value)) {
      return std::unexpected(
          MakeFieldError(ApiError::kMalformedBody, "Malformed form body: a bad %-escape."));
    }
    if (!text::CountCodePoints(key).has_value() || !text::CountCodePoints(value).has_value()) {
      return std::unexpected(MakeFieldError(ApiError::kInvalidUtf8));
    }
    if (key.find('\0') != std::string::npos || value.find('\0') != std::string::npos) {
      return std::unexpected(NulError());
    }
    SetString(out, key, value);
  }
  return {};
}

std::expected<void, FieldError> ParseRequestFields(std::string_view content_encoding,
                                                   bool use_query, std::string_view query,
                                                   std::string_view body,
                                                   rapidjson::Document& out) {
  if (!content_encoding.empty() && !core::EqualsIgnoreCase(content_encoding, "identity")) {
    return std::unexpected(MakeFieldError(ApiError::kUnsupportedMedia));
  }
  if (use_query) {
    return ParseFormBody(query, out);
  }
  if (LooksLikeJson(body)) {
    return ParseJsonBody(body, out);
  }
  return ParseFormBody(body, out);
}

std::string QueryParam(std::string_view query, std::string_view name) {
  std::string key, value;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const size_t eq = pair.find('=');
    if (UrlDecode(pair.substr(0, eq), key) && key == name) {
      UrlDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), value);
      return value;
    }
  }
  return {};
}

}  // namespace smsgw::api
