#include "api/country_cap_requests.h"

#include "api/json_fields.h"
#include "api/json_writer.h"
#include "core/phone_number.h"
#include "core/strings.h"

namespace smsgw::api {
namespace {

using fields::Errors;
using fields::Find;

void WriteLimit(JsonWriter& j, std::string_view key, const std::optional<int64_t>& limit) {
  j.Key(key);
  if (limit) {
    j.w().Int64(*limit);
  } else {
    j.w().Null();
  }
}

void WriteCap(JsonWriter& j, const store::CountryCapUsage& u) {
  j.w().StartObject();
  j.Field("country", u.cap.country);
  WriteLimit(j, "daily", u.cap.daily);
  WriteLimit(j, "monthly", u.cap.monthly);
  j.Key("used_today");
  j.w().Int64(u.today);
  j.Key("used_this_month");
  j.w().Int64(u.this_month);
  j.w().EndObject();
}

}  // namespace

std::optional<std::string> CountryCode(std::string_view text) {
  const std::string upper = core::ToUpperAscii(text);
  return core::IsKnownRegion(upper) ? std::optional<std::string>(upper) : std::nullopt;
}

std::expected<store::CountryCap, FieldErrors> ValidateCountryCap(const rapidjson::Value& in,
                                                                 std::string_view sid,
                                                                 std::string_view country) {
  Errors errors;
  store::CountryCap cap;
  cap.sid = sid;
  if (auto code = CountryCode(country)) {
    cap.country = std::move(*code);
  } else {
    errors.Add(ApiError::kIsoCodeInvalid,
               "country must be a two-letter ISO 3166-1 code of a country with phone numbers.",
               "country");
  }
  for (auto [name, limit] : {std::pair{"daily", &cap.daily}, std::pair{"monthly", &cap.monthly}}) {
    const rapidjson::Value* v = Find(in, name);
    if (v == nullptr) {
      continue;
    }
    if (auto n = fields::IntegerIn(*v, 1, kMaxCountryCap)) {
      *limit = *n;
    } else {
      errors.Add(ApiError::kCountryCapInvalid, "", name);
    }
  }
  if (!errors.Empty()) {
    return std::unexpected(errors.Take());
  }
  return cap;
}

std::string CountryCapJson(const store::CountryCapUsage& cap) {
  JsonWriter j;
  WriteCap(j, cap);
  return j.Take();
}

std::string CountryCapListJson(const std::vector<store::CountryCapUsage>& caps) {
  return ListJson(caps, WriteCap);
}

}  // namespace smsgw::api
