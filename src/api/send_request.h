#pragma once
// Validation of a send request (`POST /v1/{sid}/messages` and its aliases) against every rule of
// docs/api/kaleyra-sms.md, reporting all bad fields at once, and the building of one
// core::Message per accepted recipient. Pure: no I/O. The clock, and the registry entries the
// request names (looked up by the caller first, see RegistryKeys), come in SendContext.

#include <rapidjson/document.h>

#include <chrono>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "api/errors.h"
#include "api/registry_requests.h"
#include "core/egress.h"
#include "core/message.h"
#include "core/region.h"
#include "store/sender_store.h"
#include "text/encoding.h"

namespace smsgw::api {

struct SendContext {
  core::Region region = core::Region::kSg;
  core::TimePoint now;
  std::chrono::seconds min_ahead{15 * 60};
  std::chrono::seconds max_ahead{92 * 24 * 3600};
  bool smart_encoding = false;  // text::SmartReplace the body before choosing its encoding
  // Whether `sender` must be registered for the account (core::SendersMustBeRegistered).
  bool require_registered_senders = false;
  // The account's template named by `template_id`, or nullptr when it has none by that id. The
  // caller looks it up whenever RegistryKeys() names a template id.
  const RegisteredTemplate* registered_template = nullptr;
  // The account's registration of `sender`, or nullptr when it has none. The caller looks it up
  // whenever RegistryKeys() names a sender and registration is required or DLT applies; a sender
  // not looked up counts as unregistered.
  const store::Sender* registered_sender = nullptr;
  // Whether the account has the callback profile `callback_profile_id` names. The caller looks it
  // up whenever RegistryKeys() names a profile; a profile not looked up counts as unknown.
  bool callback_profile_found = false;
  // Where an inline callback may point (ValidateInlineCallback); null means the default policy.
  const core::EgressPolicy* egress = nullptr;
};

// What of the registries a request names, so that the caller can look it up before validation:
// the template id, the sender and the callback profile id when they are well-formed (empty
// otherwise).
struct RegistryKeys {
  std::string template_id;
  std::string sender;
  std::string callback_profile_id;
};
RegistryKeys PeekRegistryKeys(const rapidjson::Value& fields, core::Region region);

// A request that passed validation, normalised. Optional fields are empty when absent.
struct SendRequest {
  std::vector<std::string> recipients;  // E.164 without '+', de-duplicated, in request order
  std::vector<std::string> rejected;    // `to` entries that are not valid numbers
  std::string sender;
  core::RouteType type = core::RouteType::kDefault;
  std::string unicode;  // "AUTO", "0" or "1"; empty when not sent
  std::string flash;    // "0" or "1"; empty when not sent
  std::optional<core::TimePoint> send_at;
  std::string time;  // as sent
  std::string body;  // the text to send: the request's body, or the rendered template
  core::Encoding encoding = core::Encoding::kGsm7;
  int segments = 1;
  std::string template_id;
  std::string template_data;  // JSON object text
  std::string entity_id;      // the registered sender's DLT entity id, where DLT applies
  std::string ref, ref1, ref2;
  std::optional<std::vector<std::string>> ref_custom;
  std::string campaign_name;
  std::string callback_profile_id;
  std::string callback;  // JSON object text
  std::string channel, source;
};

// `fields` is the request as one JSON object (see request_body.h); numbers arrive as strings.
std::expected<SendRequest, std::vector<FieldError>> ValidateSend(const rapidjson::Value& fields,
                                                                 const SendContext& context);

// One Message per recipient; ids are "<request_id>:<n>" with n from 1.
std::vector<core::Message> BuildMessages(const SendRequest& request, const std::string& sid,
                                         const std::string& request_id, core::TimePoint created_at);

// The 200 body of the contract's "Success response", plus `encoding` and `segments`.
std::string SendResponseBody(const SendRequest& request, const std::vector<core::Message>& messages,
                             const std::string& request_id, core::TimePoint created_at);

// Parses Kaleyra's string form of ref_custom, "['John','Doe']", or a JSON array text.
std::optional<std::vector<std::string>> ParseRefCustomString(std::string_view text);

// Kaleyra's `unicode` ("AUTO", "0", "1"; any case) as src/text's mode; nullopt for another value.
std::optional<text::UnicodeMode> ParseUnicodeMode(std::string_view unicode);

}  // namespace smsgw::api
