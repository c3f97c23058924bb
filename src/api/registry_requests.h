#pragma once
// The template and sender registries as clients see them: validation of what a client asks to
// store (through the API, or through `smsgw template|sender ...`, which builds the same JSON
// object from its flags so that both go through one set of rules), reporting every bad field at
// once with the error table's codes; and the JSON the registry endpoints answer. The endpoints
// are documented in docs/api/registry.md. Pure; thread-compatible.

#include <rapidjson/document.h>

#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "api/errors.h"
#include "core/region.h"
#include "core/result.h"
#include "core/template.h"
#include "store/sender_store.h"
#include "store/template_store.h"

namespace smsgw::api {

inline constexpr size_t kMaxSendersPerRegistration = 5000;  // Kaleyra's limit per call
inline constexpr size_t kMaxTemplateSenders = 100;
inline constexpr size_t kMaxRegistryText = 255;  // name, description (code points)

// A stored template with its text parsed once, as the send path uses it.
struct RegisteredTemplate {
  store::Template record;
  core::TemplateText text;
};
// kInternal when the stored text does not parse (it was validated when stored, so the row was
// changed behind smsgw's back).
core::Result<RegisteredTemplate> MakeRegisteredTemplate(store::Template record);

// How a PUT or PATCH body changes a registry entry.
enum class UpdateMode {
  kPatch,  // only the fields present change; `"type": null` (or "") clears the type
  kPut,    // the body is the whole entry: absent optional fields are cleared
};

// POST /ext/v1/{sid}/templates. `template_id` (12-30 digits) and `text` are required; `name`,
// `type` (one of the region's types) and `senders` (a list, or a comma-separated string, of
// sender IDs) are optional. Returns the template for `sid` with both times set to `now`.
std::expected<store::Template, FieldErrors> ValidateTemplateCreate(const rapidjson::Value& fields,
                                                                   std::string_view sid,
                                                                   core::Region region,
                                                                   core::TimePoint now);

// PUT or PATCH /ext/v1/{sid}/templates/{template_id}. A `template_id` in the body must equal the
// path's: ids never change. PUT requires `text`.
std::expected<store::TemplateChange, FieldErrors> ValidateTemplateChange(
    const rapidjson::Value& fields, std::string_view template_id, UpdateMode mode,
    core::Region region);

// One sender entry: `sender` is required; `description`, `iso_code` (two letters, stored
// upper-case) and `entity_id` (12-30 digits; required where DLT applies) are optional. Errors
// are reported under `field_prefix` + the field's name ("data[3].sender").
std::expected<store::Sender, FieldErrors> ValidateSenderEntry(const rapidjson::Value& entry,
                                                              std::string_view sid,
                                                              core::Region region,
                                                              std::string_view field_prefix = {});

// PUT or PATCH /ext/v1/{sid}/senders/{sender}: `description`, `iso_code`, `entity_id` ("" clears
// one, except an entity_id where DLT applies). A `sender` in the body must equal the path's.
std::expected<store::SenderChange, FieldErrors> ValidateSenderChange(const rapidjson::Value& fields,
                                                                     std::string_view sender,
                                                                     UpdateMode mode,
                                                                     core::Region region);

// POST /v1/{sid}/sms/sender `{"data": [...]}`: the valid entries, in request order, and one
// error per field of each rejected entry (named "data[<index>].<field>", index from 0). A sender
// listed twice is rejected the second time. Unexpected when `data` itself is bad or no entry is
// valid (every error is then in the list).
struct SenderRegistration {
  std::vector<store::Sender> accepted;
  FieldErrors rejected;
};
std::expected<SenderRegistration, FieldErrors> ValidateSenderRegistration(
    const rapidjson::Value& fields, std::string_view sid, core::Region region);

// {"template_id", "name", "text", "type" (null for any), "senders", "placeholders",
//  "created_at", "updated_at"}
std::string TemplateJson(const store::Template& t);
// {"totalCount": n, "data": [template, ...], "error": {}}
std::string TemplateListJson(const std::vector<store::Template>& templates);
// {"sender", "description", "iso_code", "entity_id", "created_at", "updated_at"}
std::string SenderJson(const store::Sender& s);
// {"totalCount": n, "data": [sender, ...], "error": {}}
std::string SenderListJson(const std::vector<store::Sender>& senders);
// {"totalCount": n, "data": [{"sender", "description", "iso_code", "entity_id", "status":
// "created"|"updated"}, ...], "error": {"data[2].sender": "...", ...}}
std::string SenderRegistrationJson(const SenderRegistration& registration,
                                   const std::vector<store::RegisterOutcome>& outcomes);
// {"<key>": "<id>", "deleted": true}
std::string DeletedJson(std::string_view key, std::string_view id);

}  // namespace smsgw::api
