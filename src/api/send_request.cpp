#include "api/send_request.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include "api/callback_profile_requests.h"
#include "api/inline_callback.h"
#include "core/json.h"
#include "core/phone_number.h"
#include "core/sender_id.h"
#include "core/strings.h"
#include "core/template.h"
#include "text/encoding.h"
#include "text/smart_encoding.h"

namespace smsgw::api {
namespace {

using rapidjson::Value;

constexpr size_t kMaxRecipients = 100;
constexpr size_t kMaxBodyCodePoints = 4000;
constexpr size_t kMaxRefCodePoints = 255;
constexpr size_t kMaxRefCustomItems = 5;
constexpr size_t kMaxRefCustomItemCodePoints = 50;
constexpr size_t kMaxCampaignName = 255;
constexpr size_t kMaxFreeText = 255;  // channel, source: stored, not interpreted

// A present, non-null member, or nullptr. Kaleyra clients often send optional fields as null.
const Value* Find(const Value& obj, std::string_view name) {
  auto it = obj.FindMember(Value(rapidjson::StringRef(name.data(), name.size())));
  if (it == obj.MemberEnd() || it->value.IsNull()) {
    return nullptr;
  }
  return &it->value;
}

std::string_view Str(const Value& v) { return {v.GetString(), v.GetStringLength()}; }

// Strings in `fields` are valid UTF-8 (checked by the body parsers), so this only counts.
size_t CodePoints(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string ToJson(const Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

bool ValidPrefix(std::string_view s) {
  std::string_view digits = s.starts_with('+') ? s.substr(1) : s;
  return AllDigits(digits) && digits.size() <= 4;
}

std::string InvalidNumbersReason(const std::vector<std::string>& rejected) {
  std::string reason = "Invalid number(s): ";
  for (size_t i = 0; i < rejected.size(); ++i) {
    reason += (i ? ", " : "") + rejected[i];
  }
  return reason;
}

// Collects errors; one per field, in the order of the contract's field table.
class Errors {
 public:
  void Add(ApiError e, std::string reason = {}, std::string field = {}) {
    list_.push_back(MakeFieldError(e, std::move(reason), std::move(field)));
  }
  bool Empty() const { return list_.empty(); }
  std::vector<FieldError> Take() { return std::move(list_); }

 private:
  std::vector<FieldError> list_;
};

void ValidateTo(const Value& fields, std::string_view prefix, bool prefix_ok, SendRequest& out,
                Errors& errors) {
  const Value* to = Find(fields, "to");
  std::vector<std::string> entries;
  if (to != nullptr && to->IsString()) {
    std::string_view list = Str(*to);
    while (!list.empty()) {
      const size_t comma = list.find(',');
      std::string_view entry = core::TrimAscii(list.substr(0, comma));
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
      if (!entry.empty()) {
        entries.emplace_back(entry);
      }
    }
  } else if (to != nullptr && to->IsArray()) {
    for (const Value& item : to->GetArray()) {
      if (!item.IsString()) {
        errors.Add(ApiError::kToInvalid, "to must list numbers as strings or numbers.");
        return;
      }
      std::string_view entry = core::TrimAscii(Str(item));
      if (!entry.empty()) {
        entries.emplace_back(entry);
      }
    }
  } else if (to != nullptr) {
    errors.Add(ApiError::kToInvalid, "to must be a number, a comma-separated list or an array.");
    return;
  }
  if (entries.empty()) {
    errors.Add(ApiError::kToMissing);
    return;
  }
  if (entries.size() > kMaxRecipients) {
    errors.Add(ApiError::kTooManyRecipients,
               "At most 100 recipients per request; got " + std::to_string(entries.size()) + ".");
    return;
  }
  if (!prefix_ok) {
    return;  // numbers cannot be read without a valid prefix; the prefix error says why
  }
  for (const std::string& entry : entries) {
    auto number = core::NormalizePhoneNumber(entry, prefix);
    if (!number) {
      out.rejected.push_back(entry);
    } else if (std::find(out.recipients.begin(), out.recipients.end(), *number) ==
               out.recipients.end()) {
      out.recipients.push_back(std::move(*number));
    }
  }
  if (out.recipients.empty()) {
    errors.Add(ApiError::kToInvalid, InvalidNumbersReason(out.rejected));
  }
}

// A documented string field: a JSON string (numbers arrive as strings). Returns nullptr when
// absent; reports `error` and returns nullptr when of another JSON type.
const Value* StringField(const Value& fields, std::string_view name, ApiError error,
                         Errors& errors) {
  const Value* v = Find(fields, name);
  if (v != nullptr && !v->IsString()) {
    errors.Add(error, std::string(name) + " must be a string.", std::string(name));
    return nullptr;
  }
  return v;
}

// The registered template's approved type, when the template has one.
std::optional<core::RouteType> TemplateType(const SendContext& ctx) {
  return ctx.registered_template != nullptr ? ctx.registered_template->record.type : std::nullopt;
}

// `type`: one of the region's types; absent, the template's approved type if the region allows
// it, else the region's default. Where DLT applies, a type other than the template's is refused.
void ValidateType(const Value& fields, const SendContext& ctx, SendRequest& out, Errors& errors) {
  const core::RegionRules& rules = core::RulesFor(ctx.region);
  const std::optional<core::RouteType> approved = TemplateType(ctx);
  const bool approved_allowed = approved && core::AllowsType(ctx.region, *approved);
  out.type = approved_allowed ? *approved : rules.default_type;
  const Value* v = StringField(fields, "type", ApiError::kTypeInvalid, errors);
  const std::string template_name =
      ctx.registered_template != nullptr ? ctx.registered_template->record.template_id : "";
  if (v == nullptr) {
    if (Find(fields, "type") == nullptr && rules.dlt_enforced && approved && !approved_allowed) {
      errors.Add(ApiError::kTypeNotInTemplate,
                 "template " + template_name + " is approved for type " +
                     std::string(core::ToString(*approved)) + ", which region " +
                     std::string(core::ToString(ctx.region)) + " does not allow.");
    }
    return;
  }
  auto type = core::ParseRouteType(Str(*v));
  if (!type || !core::AllowsType(ctx.region, *type)) {
    errors.Add(ApiError::kTypeInvalid, "type must be one of " + core::AllowedTypesText(ctx.region) +
                                           " in region " + std::string(core::ToString(ctx.region)) +
                                           ".");
    return;
  }
  if (rules.dlt_enforced && approved && *type != *approved) {
    errors.Add(ApiError::kTypeNotInTemplate, "type " + std::string(core::ToString(*type)) +
                                                 " is not the type template " + template_name +
                                                 " is approved for (" +
                                                 std::string(core::ToString(*approved)) + ").");
    return;
  }
  out.type = *type;
}

// A well-formed sender against the registries: registered when the account requires it; one of
// the template's approved senders where DLT applies.
void ValidateRegisteredSender(const SendContext& ctx, const std::string& sender, Errors& errors) {
  const store::Sender* registered =
      ctx.registered_sender != nullptr && ctx.registered_sender->sender == sender
          ? ctx.registered_sender
          : nullptr;
  if (ctx.require_registered_senders && registered == nullptr) {
    errors.Add(ApiError::kSenderNotRegistered,
               "sender " + sender + " is not a registered sender ID of this account.");
    return;
  }
  const RegisteredTemplate* t = ctx.registered_template;
  if (core::RulesFor(ctx.region).dlt_enforced && t != nullptr && !t->record.senders.empty() &&
      std::find(t->record.senders.begin(), t->record.senders.end(), sender) ==
          t->record.senders.end()) {
    std::string approved;
    for (const std::string& s : t->record.senders) {
      approved += (approved.empty() ? "" : ", ") + s;
    }
    errors.Add(ApiError::kSenderNotInTemplate,
               "sender " + sender + " is not approved for template " + t->record.template_id +
                   " (approved: " + approved + ").");
  }
}

void ValidateTime(const Value& fields, const SendContext& ctx, SendRequest& out, Errors& errors) {
  const Value* v = StringField(fields, "time", ApiError::kTimeInvalid, errors);
  if (v == nullptr || Str(*v).empty()) {
    return;
  }
  auto at = core::ParseIso8601(Str(*v));
  if (!at) {
    errors.Add(ApiError::kTimeInvalid, at.error().message + ".");
    return;
  }
  if (*at < ctx.now + ctx.min_ahead || *at > ctx.now + ctx.max_ahead) {
    using std::chrono::minutes;
    errors.Add(ApiError::kTimeInvalid,
               "time must be at least " +
                   std::to_string(std::chrono::duration_cast<minutes>(ctx.min_ahead).count()) +
                   " minutes and at most " +
                   std::to_string(
                       std::chrono::duration_cast<std::chrono::hours>(ctx.max_ahead).count() / 24) +
                   " days ahead.");
    return;
  }
  out.send_at = *at;
  out.time = Str(*v);
}

// `template_data`: an object (or the same as a JSON string, in form bodies) of strings or numbers,
// each at most 30 characters. Fills `values` (numbers as written); false when reported bad.
bool ValidateTemplateData(const Value& fields, SendRequest& out, Errors& errors,
                          core::TemplateValues& values) {
  const Value* v = Find(fields, "template_data");
  if (v == nullptr) {
    return true;
  }
  rapidjson::Document parsed;
  if (v->IsString()) {
    if (!core::ParseJson(Str(*v), parsed, core::kJsonNumbersAsStrings) || !parsed.IsObject()) {
      errors.Add(ApiError::kTemplateDataInvalid, "template_data must be a JSON object.");
      return false;
    }
    v = &parsed;
  }
  if (!v->IsObject()) {
    errors.Add(ApiError::kTemplateDataInvalid, "template_data must be a JSON object.");
    return false;
  }
  for (const auto& member : v->GetObject()) {
    const std::string key(member.name.GetString(), member.name.GetStringLength());
    if (!(member.value.IsString() || member.value.IsNumber())) {
      errors.Add(ApiError::kTemplateDataInvalid, "template_data." + key + " must be a string.");
      return false;
    }
    // Numbers arrive as strings (kParseNumbersAsStringsFlag); any other number as its JSON.
    std::string value =
        member.value.IsString() ? std::string(Str(member.value)) : ToJson(member.value);
    if (CodePoints(value) > core::kMaxTemplateValueCodePoints) {
      errors.Add(ApiError::kTemplateDataInvalid,
                 "template_data." + key + " is longer than 30 characters.");
      return false;
    }
    values.insert_or_assign(key, std::move(value));
  }
  out.template_data = ToJson(*v);
  return true;
}

// Without a body, the registered template rendered with the request's template_data becomes the
// text to send (through smart encoding when on, like a body).
void RenderTemplate(const SendContext& ctx, const core::TemplateValues& values, SendRequest& out,
                    Errors& errors) {
  auto rendered = ctx.registered_template->text.Render(values);
  if (!rendered) {
    errors.Add(ApiError::kTemplateDataInvalid, rendered.error().message + ".");
    return;
  }
  out.body = ctx.smart_encoding ? text::SmartReplace(*rendered) : std::move(*rendered);
  if (CodePoints(out.body) > kMaxBodyCodePoints) {
    errors.Add(ApiError::kBodyTooLong, "SMS length is exceeding 4000 characters (rendered).");
  }
}

void ValidateRefCustom(const Value& fields, SendRequest& out, Errors& errors) {
  const Value* v = Find(fields, "ref_custom");
  if (v == nullptr) {
    return;
  }
  std::optional<std::vector<std::string>> items;
  if (v->IsString()) {
    items = ParseRefCustomString(Str(*v));
  } else if (v->IsArray()) {
    items.emplace();
    for (const Value& item : v->GetArray()) {
      if (!item.IsString()) {
        items.reset();
        break;
      }
      items->emplace_back(Str(item));
    }
  }
  if (!items || items->size() > kMaxRefCustomItems ||
      std::any_of(items->begin(), items->end(), [](const std::string& s) {
        return CodePoints(s) > kMaxRefCustomItemCodePoints;
      })) {
    errors.Add(ApiError::kRefCustomInvalid);
    return;
  }
  out.ref_custom = std::move(items);
}

// The inline callback (api/inline_callback.h, shared with inbound numbers).
void ValidateCallback(const Value& fields, const core::EgressPolicy& egress, SendRequest& out,
                      Errors& errors) {
  const Value* v = Find(fields, "callback");
  if (v == nullptr) {
    return;
  }
  auto callback = ValidateInlineCallback(*v, egress);
  if (!callback) {
    errors.Add(callback.error().error, std::move(callback.error().reason));
    return;
  }
  out.callback = std::move(*callback);
}

void ValidateBodyAndEncoding(const Value& fields, SendRequest& out, Errors& errors,
                             bool has_template, bool smart_encoding) {
  const bool present = Find(fields, "body") != nullptr;
  const Value* v = StringField(fields, "body", ApiError::kBodyMissing, errors);
  if (present && v == nullptr) {
    return;  // not a string: already reported
  }
  if (v != nullptr) {
    out.body = smart_encoding ? text::SmartReplace(Str(*v)) : std::string(Str(*v));
  }
  if (out.body.empty() && !has_template) {
    errors.Add(ApiError::kBodyMissing);
    return;
  }
  if (CodePoints(out.body) > kMaxBodyCodePoints) {
    errors.Add(ApiError::kBodyTooLong);
    return;
  }
}

}  // namespace

std::optional<std::vector<std::string>> ParseRefCustomString(std::string_view text) {
  text = core::TrimAscii(text);
  if (!text.starts_with('[')) {
    return std::vector<std::string>{std::string(text)};  // a lone value is a list of one
  }
  rapidjson::Document json;
  if (core::ParseJson(text, json)) {
    if (!json.IsArray()) {
      return std::nullopt;
    }
    std::vector<std::string> items;
    for (const Value& item : json.GetArray()) {
      if (!item.IsString()) {
        return std::nullopt;
      }
      items.emplace_back(Str(item));
    }
    return items;
  }
  // Kaleyra's form: a Python-style list of single- (or double-) quoted strings.
  if (!text.ends_with(']')) {
    return std::nullopt;
  }
  std::string_view rest = text.substr(1, text.size() - 2);
  std::vector<std::string> items;
  while (true) {
    rest = core::TrimAscii(rest);
    if (rest.empty()) {
      return items;
    }
    const char quote = rest.front();
    if (quote != '\'' && quote != '"') {
      return std::nullopt;
    }
    std::string item;
    size_t i = 1;
    for (; i < rest.size() && rest[i] != quote; ++i) {
      if (rest[i] == '\\' && i + 1 < rest.size()) {
        ++i;
      }
      item.push_back(rest[i]);
    }
    if (i >= rest.size()) {
      return std::nullopt;  // unterminated
    }
    items.push_back(std::move(item));
    rest = core::TrimAscii(rest.substr(i + 1));
    if (rest.empty()) {
      return items;
    }
    if (rest.front() != ',') {
      return std::nullopt;
    }
    rest.remove_prefix(1);
  }
}

RegistryKeys PeekRegistryKeys(const Value& fields, core::Region region) {
  RegistryKeys keys;
  if (!fields.IsObject()) {
    return keys;
  }
  if (const Value* v = Find(fields, "template_id");
      v != nullptr && v->IsString() && core::IsValidTemplateId(Str(*v))) {
    keys.template_id = Str(*v);
  }
  if (const Value* v = Find(fields, "sender");
      v != nullptr && v->IsString() && core::IsValidSenderId(Str(*v))) {
    keys.sender = Str(*v);
  }
  if (const Value* v = Find(fields, "callback_profile_id");
      v != nullptr && v->IsString() && IsCallbackProfileId(Str(*v), region)) {
    keys.callback_profile_id = Str(*v);
  }
  return keys;
}

std::expected<SendRequest, std::vector<FieldError>> ValidateSend(const Value& fields,
                                                                 const SendContext& ctx) {
  SendRequest out;
  Errors errors;

  // `prefix` is read first because `to` needs it; its error is reported in table order below.
  const Value* prefix = Find(fields, "prefix");
  const bool prefix_ok = prefix == nullptr || (prefix->IsString() && ValidPrefix(Str(*prefix)));
  const std::string_view prefix_text = prefix_ok && prefix != nullptr ? Str(*prefix) : "";

  ValidateTo(fields, prefix_text, prefix_ok, out, errors);

  if (const Value* v = StringField(fields, "sender", ApiError::kSenderInvalid, errors)) {
    if (core::IsValidSenderId(Str(*v))) {
      out.sender = Str(*v);
      ValidateRegisteredSender(ctx, out.sender, errors);
    } else {
      errors.Add(ApiError::kSenderInvalid);
    }
  } else if (Find(fields, "sender") == nullptr) {
    errors.Add(ApiError::kSenderInvalid, "sender is required.");
  }

  ValidateType(fields, ctx, out, errors);

  text::UnicodeMode mode = text::UnicodeMode::kAuto;
  if (const Value* v = StringField(fields, "unicode", ApiError::kUnicodeInvalid, errors)) {
    if (const std::optional<text::UnicodeMode> parsed = ParseUnicodeMode(Str(*v))) {
      out.unicode = core::ToUpperAscii(Str(*v));
      mode = *parsed;
    } else {
      errors.Add(ApiError::kUnicodeInvalid);
    }
  }

  if (const Value* v = StringField(fields, "flash", ApiError::kFlashInvalid, errors)) {
    if (Str(*v) == "0" || Str(*v) == "1") {
      out.flash = Str(*v);
    } else {
      errors.Add(ApiError::kFlashInvalid);
    }
  }

  ValidateTime(fields, ctx, out, errors);

  if (!prefix_ok) {
    errors.Add(ApiError::kPrefixInvalid);
  }

  const Value* template_id =
      StringField(fields, "template_id", ApiError::kTemplateIdInvalid, errors);
  ValidateBodyAndEncoding(fields, out, errors, template_id != nullptr, ctx.smart_encoding);

  const RegisteredTemplate* registered = nullptr;
  if (template_id != nullptr) {
    const std::string_view id = Str(*template_id);
    if (!core::IsValidTemplateId(id)) {
      errors.Add(ApiError::kTemplateIdInvalid, "template_id must be 12-30 digits.");
    } else if (ctx.registered_template == nullptr ||
               ctx.registered_template->record.template_id != id) {
      errors.Add(
          ApiError::kTemplateIdInvalid,
          "template_id " + std::string(id) + " is not a registered template of this account.");
    } else {
      registered = ctx.registered_template;
      out.template_id = id;
    }
  } else if (core::RulesFor(ctx.region).dlt_enforced && Find(fields, "template_id") == nullptr) {
    errors.Add(
        ApiError::kTemplateIdInvalid,
        "template_id is required in region " + std::string(core::ToString(ctx.region)) + " (DLT).");
  }
  core::TemplateValues values;
  const bool data_ok = ValidateTemplateData(fields, out, errors, values);
  if (registered != nullptr && out.body.empty() && data_ok) {
    RenderTemplate(ctx, values, out, errors);
  }

  for (auto [name, target] :
       {std::pair{"ref", &out.ref}, std::pair{"ref1", &out.ref1}, std::pair{"ref2", &out.ref2}}) {
    if (const Value* v = StringField(fields, name, ApiError::kRefInvalid, errors)) {
      if (CodePoints(Str(*v)) > kMaxRefCodePoints) {
        errors.Add(ApiError::kRefInvalid, std::string(name) + " is longer than 255 characters.",
                   name);
      } else {
        *target = Str(*v);
      }
    }
  }
  ValidateRefCustom(fields, out, errors);

  if (const Value* v =
          StringField(fields, "campaign_name", ApiError::kCampaignNameInvalid, errors)) {
    const std::string_view name = Str(*v);
    const bool ok =
        name.size() <= kMaxCampaignName && std::all_of(name.begin(), name.end(), [](char c) {
          return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '-';
        });
    if (ok) {
      out.campaign_name = name;
    } else {
      errors.Add(ApiError::kCampaignNameInvalid);
    }
  }

  if (const Value* v =
          StringField(fields, "callback_profile_id", ApiError::kCallbackProfileInvalid, errors)) {
    const std::string_view id = Str(*v);
    if (!IsCallbackProfileId(id, ctx.region)) {
      errors.Add(ApiError::kCallbackProfileInvalid,
                 "callback_profile_id must look like " +
                     std::string(core::RulesFor(ctx.region).profile_prefix) + "_<uuid>.");
    } else if (!ctx.callback_profile_found) {
      errors.Add(ApiError::kCallbackProfileInvalid,
                 "callback_profile_id is not a callback profile of this account.");
    } else {
      out.callback_profile_id = id;
    }
  }

  static const core::EgressPolicy kDefaultEgress;
  ValidateCallback(fields, ctx.egress != nullptr ? *ctx.egress : kDefaultEgress, out, errors);

  for (auto [name, target] :
       {std::pair{"channel", &out.channel}, std::pair{"source", &out.source}}) {
    if (const Value* v = Find(fields, name); v != nullptr && v->IsString()) {
      *target = Str(*v).substr(0, kMaxFreeText);
    }
  }

  if (core::RulesFor(ctx.region).dlt_enforced && ctx.registered_sender != nullptr &&
      ctx.registered_sender->sender == out.sender) {
    out.entity_id = ctx.registered_sender->entity_id;
  }

  // Encoding last: `unicode: 0` with a non-GSM body is reported under `unicode`.
  if (!out.body.empty() && errors.Empty()) {
    auto info = text::Analyze(out.body, mode);
    if (!info) {
      errors.Add(ApiError::kUnicodeInvalid, info.error().message);
    } else {
      out.encoding = info->encoding;
      out.segments = info->segments;
    }
  } else if (mode == text::UnicodeMode::kUcs2) {
    out.encoding = core::Encoding::kUcs2;
  }

  if (!errors.Empty()) {
    return std::unexpected(errors.Take());
  }
  return out;
}

std::optional<text::UnicodeMode> ParseUnicodeMode(std::string_view unicode) {
  const std::string upper = core::ToUpperAscii(unicode);
  if (upper == "AUTO") {
    return text::UnicodeMode::kAuto;
  }
  if (upper == "0") {
    return text::UnicodeMode::kGsm7;
  }
  if (upper == "1") {
    return text::UnicodeMode::kUcs2;
  }
  return std::nullopt;
}

std::vector<core::Message> BuildMessages(const SendRequest& request, const std::string& sid,
                                         const std::string& request_id,
                                         core::TimePoint created_at) {
  std::string ref_custom;
  if (request.ref_custom) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartArray();
    for (const std::string& item : *request.ref_custom) {
      w.String(item.data(), static_cast<rapidjson::SizeType>(item.size()));
    }
    w.EndArray();
    ref_custom.assign(buf.GetString(), buf.GetSize());
  }
  std::vector<core::Message> messages;
  messages.reserve(request.recipients.size());
  for (size_t i = 0; i < request.recipients.size(); ++i) {
    core::Message& m = messages.emplace_back();
    m.id = request_id + ":" + std::to_string(i + 1);
    m.request_id = request_id;
    m.sid = sid;
    m.recipient = request.recipients[i];
    m.sender = request.sender;
    m.body = request.body;
    m.type = request.type;
    m.encoding = request.encoding;
    m.segments = request.segments;
    m.flash = request.flash == "1";
    m.unicode = request.unicode.empty() ? "AUTO" : request.unicode;
    m.created_at = created_at;
    m.send_at = request.send_at;
    m.template_id = request.template_id;
    m.template_data = request.template_data;
    m.entity_id = request.entity_id;
    m.ref = request.ref;
    m.ref1 = request.ref1;
    m.ref2 = request.ref2;
    m.ref_custom = ref_custom;
    m.campaign_name = request.campaign_name;
    m.callback_profile_id = request.callback_profile_id;
    m.callback = request.callback;
    m.channel = request.channel;
    m.source = request.source;
    m.state = request.send_at ? core::MessageState::kScheduled : core::MessageState::kQueued;
    m.status_details = request.send_at ? "SCHEDULED" : "QUEUED";
  }
  return messages;
}

std::string SendResponseBody(const SendRequest& request, const std::vector<core::Message>& messages,
                             const std::string& request_id, core::TimePoint created_at) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  auto str = [&w](std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  };
  w.StartObject();
  w.Key("id");
  str(request_id);
  w.Key("sender");
  str(request.sender);
  w.Key("type");
  str(core::ToString(request.type));
  w.Key("body");
  str(request.body);
  if (!request.template_id.empty()) {
    w.Key("template_id");
    str(request.template_id);
  }
  if (!request.unicode.empty()) {
    w.Key("unicode");
    str(request.unicode);
  }
  if (!request.flash.empty()) {
    w.Key("flash");
    str(request.flash);
  }
  if (request.send_at) {
    w.Key("time");
    str(request.time);
  }
  if (request.ref_custom) {
    w.Key("ref_custom");
    w.StartArray();
    for (const std::string& item : *request.ref_custom) {
      str(item);
    }
    w.EndArray();
  }
  w.Key("createdDateTime");
  str(core::FormatCreatedDateTime(created_at));
  w.Key("totalCount");
  w.Uint64(messages.size());
  w.Key("data");
  w.StartArray();
  for (const core::Message& m : messages) {
    w.StartObject();
    w.Key("message_id");
    str(m.id);
    w.Key("recipient");
    str(m.recipient);
    w.EndObject();
  }
  w.EndArray();
  w.Key("dlrurl");
  w.Null();
  w.Key("encoding");
  str(core::ToString(request.encoding));
  w.Key("segments");
  w.Int(request.segments);
  w.Key("error");
  w.StartObject();
  if (!request.rejected.empty()) {
    w.Key("to");
    str(InvalidNumbersReason(request.rejected));
  }
  w.EndObject();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace smsgw::api
