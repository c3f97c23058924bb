#include "api/registry_requests.h"

#include <algorithm>
#include <optional>

#include "api/json_writer.h"
#include "core/json.h"
#include "core/sender_id.h"
#include "core/strings.h"
#include "text/utf8.h"

namespace smsgw::api {
namespace {

using rapidjson::Value;

// The member `name` of `obj`, null included, or nullptr when absent.
const Value* Member(const Value& obj, std::string_view name) {
  auto it = obj.FindMember(Value(rapidjson::StringRef(name.data(), name.size())));
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

// A present, non-null member, or nullptr.
const Value* Find(const Value& obj, std::string_view name) {
  const Value* v = Member(obj, name);
  return v == nullptr || v->IsNull() ? nullptr : v;
}

std::string_view Str(const Value& v) { return {v.GetString(), v.GetStringLength()}; }

// Collects errors, naming each field with an optional prefix ("data[3].").
class Errors {
 public:
  explicit Errors(std::string_view prefix = {}) : prefix_(prefix) {}
  void Add(ApiError e, std::string reason = {}, std::string_view field = {}) {
    const std::string name(field.empty() ? Spec(e).field : field);
    list_.push_back(MakeFieldError(e, std::move(reason), prefix_ + name));
  }
  bool Empty() const { return list_.empty(); }
  FieldErrors Take() { return std::move(list_); }

 private:
  std::string prefix_;
  FieldErrors list_;
};

// A free-text field (name, description): a string of valid UTF-8 of at most kMaxRegistryText
// code points. nullopt (reported) when bad; "" when absent.
std::optional<std::string> FreeText(const Value* v, ApiError error, std::string_view field,
                                    Errors& errors) {
  if (v == nullptr) {
    return std::string();
  }
  if (!v->IsString()) {
    errors.Add(error, std::string(field) + " must be a string.", field);
    return std::nullopt;
  }
  auto count = text::CountCodePoints(Str(*v));
  if (!count) {
    errors.Add(error, std::string(field) + ": " + count.error().message + ".", field);
    return std::nullopt;
  }
  if (*count > kMaxRegistryText) {
    errors.Add(error, {}, field);
    return std::nullopt;
  }
  return std::string(Str(*v));
}

std::optional<core::TemplateText> TemplateTextField(const Value* v, Errors& errors) {
  if (v == nullptr || !v->IsString()) {
    errors.Add(ApiError::kTemplateTextInvalid,
               v == nullptr ? "text is required." : "text must be a string.");
    return std::nullopt;
  }
  if (auto count = text::CountCodePoints(Str(*v)); !count) {
    errors.Add(ApiError::kTemplateTextInvalid, "text: " + count.error().message + ".");
    return std::nullopt;
  }
  auto parsed = core::TemplateText::Parse(Str(*v));
  if (!parsed) {
    errors.Add(ApiError::kTemplateTextInvalid, "text: " + parsed.error().message + ".");
    return std::nullopt;
  }
  return std::move(*parsed);
}

// `type`: one of the region's types, case-insensitive. nullopt inside: no type (any).
std::optional<std::optional<core::RouteType>> TypeField(const Value* v, core::Region region,
                                                        Errors& errors) {
  if (v == nullptr || v->IsNull() || (v->IsString() && v->GetStringLength() == 0)) {
    // in_place: an engaged outer optional holding an empty one (GCC 12 at -O3 misreads the
    // converting form as uninitialised).
    return std::optional<std::optional<core::RouteType>>(std::in_place);
  }
  const auto type = v->IsString() ? core::ParseRouteType(Str(*v)) : std::nullopt;
  if (!type || !core::AllowsType(region, *type)) {
    errors.Add(ApiError::kTypeInvalid, "type must be one of " + core::AllowedTypesText(region) +
                                           " in region " + std::string(core::ToString(region)) +
                                           ".");
    return std::nullopt;
  }
  return std::optional<core::RouteType>(*type);
}

// `senders`: a list of sender IDs or one comma-separated string; duplicates are kept once.
std::optional<std::vector<std::string>> SendersField(const Value* v, Errors& errors) {
  std::vector<std::string> raw;
  if (v == nullptr) {
    return raw;
  }
  if (v->IsString()) {
    std::string_view list = Str(*v);
    while (!list.empty()) {
      const size_t comma = list.find(',');
      raw.emplace_back(core::TrimAscii(list.substr(0, comma)));
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    }
  } else if (v->IsArray()) {
    for (const Value& item : v->GetArray()) {
      if (!item.IsString()) {
        errors.Add(ApiError::kTemplateSendersInvalid, "senders must list sender IDs as strings.");
        return std::nullopt;
      }
      raw.emplace_back(Str(item));
    }
  } else {
    errors.Add(ApiError::kTemplateSendersInvalid);
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (std::string& sender : raw) {
    if (!core::IsValidSenderId(sender)) {
      errors.Add(ApiError::kTemplateSendersInvalid,
                 "senders: '" + sender +
                     "' is not a sender ID (1-11 letters, digits or spaces, or up to 15 digits).");
      return std::nullopt;
    }
    if (std::find(out.begin(), out.end(), sender) == out.end()) {
      out.push_back(std::move(sender));
    }
  }
  if (out.size() > kMaxTemplateSenders) {
    errors.Add(ApiError::kTemplateSendersInvalid);
    return std::nullopt;
  }
  return out;
}

// A body's `template_id` / `sender` must match the path's when present.
void SameId(const Value& fields, std::string_view name, std::string_view path_id, ApiError error,
            Errors& errors) {
  const Value* v = Find(fields, name);
  if (v != nullptr && !(v->IsString() && Str(*v) == path_id)) {
    errors.Add(error, std::string(name) + " cannot be changed; it must match the path.");
  }
}

std::optional<std::string> IsoCodeField(const Value* v, Errors& errors) {
  if (v == nullptr || (v->IsString() && v->GetStringLength() == 0)) {
    return std::string();
  }
  auto code = v->IsString() ? core::NormalizeIsoCode(Str(*v)) : std::nullopt;
  if (!code) {
    errors.Add(ApiError::kIsoCodeInvalid);
  }
  return code;
}

// `entity_id`: 12-30 digits; required (not empty) where DLT applies, when `required`.
std::optional<std::string> EntityIdField(const Value* v, core::Region region, bool required,
                                         Errors& errors) {
  const bool empty = v == nullptr || (v->IsString() && v->GetStringLength() == 0);
  if (empty) {
    if (required && core::RulesFor(region).dlt_enforced) {
      errors.Add(ApiError::kEntityIdInvalid, "entity_id is required in region " +
                                                 std::string(core::ToString(region)) + " (DLT).");
      return std::nullopt;
    }
    return std::string();
  }
  if (!v->IsString() || !core::IsValidEntityId(Str(*v))) {
    errors.Add(ApiError::kEntityIdInvalid);
    return std::nullopt;
  }
  return std::string(Str(*v));
}

using Json = JsonWriter;

void WriteTemplate(Json& j, const store::Template& t) {
  j.w().StartObject();
  j.Field("template_id", t.template_id);
  j.Field("name", t.name);
  j.Field("text", t.text);
  j.Key("type");
  if (t.type) {
    j.Str(core::ToString(*t.type));
  } else {
    j.w().Null();
  }
  j.Key("senders");
  j.w().StartArray();
  for (const std::string& sender : t.senders) {
    j.Str(sender);
  }
  j.w().EndArray();
  j.Key("placeholders");
  j.w().StartArray();
  if (auto parsed = core::TemplateText::Parse(t.text)) {
    for (const std::string& name : parsed->placeholders()) {
      j.Str(name);
    }
  }
  j.w().EndArray();
  j.Field("created_at", core::FormatCreatedDateTime(t.created_at));
  j.Field("updated_at", core::FormatCreatedDateTime(t.updated_at));
  j.w().EndObject();
}

void WriteSenderFields(Json& j, const store::Sender& s) {
  j.Field("sender", s.sender);
  j.Field("description", s.description);
  j.Field("iso_code", s.iso_code);
  j.Field("entity_id", s.entity_id);
}

void WriteSender(Json& j, const store::Sender& s) {
  j.w().StartObject();
  WriteSenderFields(j, s);
  j.Field("created_at", core::FormatCreatedDateTime(s.created_at));
  j.Field("updated_at", core::FormatCreatedDateTime(s.updated_at));
  j.w().EndObject();
}

}  // namespace

core::Result<RegisteredTemplate> MakeRegisteredTemplate(store::Template record) {
  auto parsed = core::TemplateText::Parse(record.text);
  if (!parsed) {
    return core::MakeError(core::Errc::kInternal, "stored template " + record.template_id + " of " +
                                                      record.sid +
                                                      " does not parse: " + parsed.error().message);
  }
  return RegisteredTemplate{std::move(record), std::move(*parsed)};
}

std::expected<store::Template, FieldErrors> ValidateTemplateCreate(const Value& fields,
                                                                   std::string_view sid,
                                                                   core::Region region,
                                                                   core::TimePoint now) {
  Errors errors;
  store::Template t;
  t.sid = sid;
  t.created_at = now;
  t.updated_at = now;
  const Value* id = Find(fields, "template_id");
  if (id == nullptr) {
    errors.Add(ApiError::kTemplateIdInvalid, "template_id is required.");
  } else if (!id->IsString() || !core::IsValidTemplateId(Str(*id))) {
    errors.Add(ApiError::kTemplateIdInvalid, "template_id must be 12-30 digits.");
  } else {
    t.template_id = Str(*id);
  }
  if (auto text = TemplateTextField(Find(fields, "text"), errors)) {
    t.text = Str(*Find(fields, "text"));
  }
  if (auto type = TypeField(Find(fields, "type"), region, errors)) {
    t.type = *type;
  }
  if (auto senders = SendersField(Find(fields, "senders"), errors)) {
    t.senders = std::move(*senders);
  }
  if (auto name = FreeText(Find(fields, "name"), ApiError::kTemplateNameInvalid, "name", errors)) {
    t.name = std::move(*name);
  }
  if (!errors.Empty()) {
    return std::unexpected(errors.Take());
  }
  return t;
}

std::expected<store::TemplateChange, FieldErrors> ValidateTemplateChange(
    const Value& fields, std::string_view template_id, UpdateMode mode, core::Region region) {
  Errors errors;
  store::TemplateChange change;
  const bool put = mode == UpdateMode::kPut;
  SameId(fields, "template_id", template_id, ApiError::kTemplateIdInvalid, errors);
  if (const Value* text = Find(fields, "text"); text != nullptr || put) {
    if (TemplateTextField(text, errors)) {
      change.text = std::string(Str(*text));
    }
  }
  if (const Value* type = Member(fields, "type"); type != nullptr || put) {
    if (auto parsed = TypeField(type, region, errors)) {
      change.type = *parsed;
    }
  }
  if (const Value* senders = Member(fields, "senders"); senders != nullptr || put) {
    if (auto parsed =
            SendersField(senders == nullptr || senders->IsNull() ? nullptr : senders, errors)) {
      change.senders = std::move(*parsed);
    }
  }
  if (const Value* name = Member(fields, "name"); name != nullptr || put) {
    if (auto parsed = FreeText(name == nullptr || name->IsNull() ? nullptr : name,
                               ApiError::kTemplateNameInvalid, "name", errors)) {
      change.name = std::move(*parsed);
    }
  }
  if (!errors.Empty()) {
    return std::unexpected(errors.Take());
  }
  return change;
}

std::expected<store::Sender, FieldErrors> ValidateSenderEntry(const Value& entry,
                                                              std::string_view sid,
                                                              core::Region region,
                                                              std::string_view field_prefix) {
  Errors errors(field_prefix);
  store::Sender s;
  s.sid = sid;
  const Value* sender = Find(entry, "sender");
  if (sender == nullptr) {
    errors.Add(ApiError::kSenderInvalid, "sender is required.");
  } else if (!sender->IsString() || !core::IsValidSenderId(Str(*sender))) {
    errors.Add(ApiError::kSenderInvalid);
  } else {
    s.sender = Str(*sender);
  }
  if (auto description = FreeText(Find(entry, "description"), ApiError::kDescriptionInvalid,
                                  "description", errors)) {
    s.description = std::move(*description);
  }
  if (auto iso = IsoCodeField(Find(entry, "iso_code"), errors)) {
    s.iso_code = std::move(*iso);
  }
  if (auto entity = EntityIdField(Find(entry, "entity_id"), region, true, errors)) {
    s.entity_id = std::move(*entity);
  }
  if (!errors.Empty()) {
    return std::unexpected(errors.Take());
  }
  return s;
}

std::expected<store::SenderChange, FieldErrors> ValidateSenderChange(const Value& fields,
                                                                     std::string_view sender,
                                                                     UpdateMode mode,
                                                                     core::Region region) {
  Errors errors;
  store::SenderChange change;
  const bool put = mode == UpdateMode::kPut;
  SameId(fields, "sender", sender, ApiError::kSenderInvalid, errors);
  if (const Value* v = Find(fields, "description"); v != nullptr || put) {
    change.description = FreeText(v, ApiError::kDescriptionInvalid, "description", errors);
  }
  if (const Value* v = Find(fields, "iso_code"); v != nullptr || put) {
    change.iso_code = IsoCodeField(v, errors);
  }
  if (const Value* v = Member(fields, "entity_id"); v != nullptr || put) {
    change.entity_id =
        EntityIdField(v != nullptr && v->IsNull() ? nullptr : v, region, true, errors);
  }
  if (!errors.Empty()) {
    return std::unexpected(errors.Take());
  }
  return change;
}

std::expected<SenderRegistration, FieldErrors> ValidateSenderRegistration(const Value& fields,
                                                                          std::string_view sid,
                                                                          core::Region region) {
  const Value* data = Find(fields, "data");
  rapidjson::Document parsed;  // `data` sent as a JSON string (form bodies)
  if (data != nullptr && data->IsString()) {
    data = core::ParseJson(Str(*data), parsed, core::kJsonNumbersAsStrings) ? &parsed : nullptr;
  }
  if (data == nullptr || !data->IsArray() || data->Empty() ||
      data->Size() > kMaxSendersPerRegistration) {
    std::string reason = "data must be a list of 1 to 5000 sender objects";
    if (data != nullptr && data->IsArray() && !data->Empty()) {
      reason += "; got " + std::to_string(data->Size());
    }
    return std::unexpected(FieldErrors{MakeFieldError(ApiError::kSenderDataInvalid, reason + ".")});
  }
  SenderRegistration out;
  std::vector<std::string> seen;
  for (rapidjson::SizeType i = 0; i < data->Size(); ++i) {
    const std::string prefix = "data[" + std::to_string(i) + "].";
    const Value& entry = (*data)[i];
    if (!entry.IsObject()) {
      out.rejected.push_back(MakeFieldError(ApiError::kSenderDataInvalid,
                                            "each entry of data must be an object.",
                                            prefix.substr(0, prefix.size() - 1)));
      continue;
    }
    auto sender = ValidateSenderEntry(entry, sid, region, prefix);
    if (!sender) {
      out.rejected.insert(out.rejected.end(), sender.error().begin(), sender.error().end());
      continue;
    }
    if (std::find(seen.begin(), seen.end(), sender->sender) != seen.end()) {
      out.rejected.push_back(MakeFieldError(ApiError::kSenderInvalid,
                                            "sender " + sender->sender + " is listed twice.",
                                            prefix + "sender"));
      continue;
    }
    seen.push_back(sender->sender);
    out.accepted.push_back(std::move(*sender));
  }
  if (out.accepted.empty()) {
    return std::unexpected(std::move(out.rejected));
  }
  return out;
}

std::string TemplateJson(const store::Template& t) {
  Json j;
  WriteTemplate(j, t);
  return j.Take();
}

std::string TemplateListJson(const std::vector<store::Template>& templates) {
  return ListJson(templates, WriteTemplate);
}

std::string SenderJson(const store::Sender& s) {
  Json j;
  WriteSender(j, s);
  return j.Take();
}

std::string SenderListJson(const std::vector<store::Sender>& senders) {
  return ListJson(senders, WriteSender);
}

std::string SenderRegistrationJson(const SenderRegistration& registration,
                                   const std::vector<store::RegisterOutcome>& outcomes) {
  Json j;
  j.w().StartObject();
  j.Key("totalCount");
  j.w().Uint64(registration.accepted.size());
  j.Key("data");
  j.w().StartArray();
  for (size_t i = 0; i < registration.accepted.size(); ++i) {
    j.w().StartObject();
    WriteSenderFields(j, registration.accepted[i]);
    const bool created = i < outcomes.size() && outcomes[i] == store::RegisterOutcome::kCreated;
    j.Field("status", created ? "created" : "updated");
    j.w().EndObject();
  }
  j.w().EndArray();
  j.Key("error");
  j.w().StartObject();
  for (const FieldError& e : registration.rejected) {
    j.Field(e.field, e.reason);
  }
  j.w().EndObject();
  j.w().EndObject();
  return j.Take();
}

std::string DeletedJson(std::string_view key, std::string_view id) {
  Json j;
  j.w().StartObject();
  j.Field(key, id);
  j.Key("deleted");
  j.w().Bool(true);
  j.w().EndObject();
  return j.Take();
}

}  // namespace smsgw::api
