#include "api/errors.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>

namespace smsgw::api {
namespace {

// Kaleyra documents E401 only; the rest are smsgw's, documented in docs/api/errors.md.
constexpr std::array<ErrorSpec, 79> kTable = {{
    {ApiError::kBodyTooLong, 400, "E401", "body", "SMS length is exceeding 4000 characters."},
    {ApiError::kBodyMissing, 400, "E402", "body", "body is required unless template_id is given."},
    {ApiError::kToMissing, 400, "E403", "to", "to is required."},
    {ApiError::kToInvalid, 400, "E404", "to", "No valid recipient number."},
    {ApiError::kTooManyRecipients, 400, "E405", "to", "At most 100 recipients per request."},
    {ApiError::kSenderInvalid, 400, "E406", "sender",
     "sender must be 1-11 letters, digits or spaces, or a number of up to 15 digits."},
    {ApiError::kTypeInvalid, 400, "E407", "type", "type is not allowed in this region."},
    {ApiError::kUnicodeInvalid, 400, "E408", "unicode", "unicode must be AUTO, 0 or 1."},
    {ApiError::kFlashInvalid, 400, "E409", "flash", "flash must be 0 or 1."},
    {ApiError::kTimeInvalid, 400, "E410", "time",
     "time must be ISO-8601 YYYY-MM-DDTHH:MM:SS+HH:MM within the scheduling window."},
    {ApiError::kPrefixInvalid, 400, "E411", "prefix", "prefix must be + and 1-4 digits."},
    {ApiError::kTemplateIdInvalid, 400, "E412", "template_id",
     "template_id must be the 12-30 digit id of a template registered for this account."},
    {ApiError::kTemplateDataInvalid, 400, "E413", "template_data",
     "template_data must be an object of strings of at most 30 characters."},
    {ApiError::kRefInvalid, 400, "E414", "ref", "ref, ref1 and ref2 are at most 255 characters."},
    {ApiError::kRefCustomInvalid, 400, "E415", "ref_custom",
     "ref_custom is a list of at most 5 strings of at most 50 characters."},
    {ApiError::kCampaignNameInvalid, 400, "E416", "campaign_name",
     "campaign_name may contain only letters, digits, '_' and '-' (at most 255)."},
    {ApiError::kCallbackProfileInvalid, 400, "E417", "callback_profile_id",
     "callback_profile_id must be a callback profile of this account."},
    {ApiError::kCallbackInvalid, 400, "E418", "callback",
     "callback must be an object with an http(s) url."},
    {ApiError::kInvalidUtf8, 400, "E419", "request", "The request is not valid UTF-8."},
    {ApiError::kMalformedBody, 400, "E420", "request", "The request body cannot be parsed."},
    {ApiError::kMessageIdsInvalid, 400, "E421", "message_ids",
     "message_ids must list 1 to 100 message ids."},
    {ApiError::kSenderNotRegistered, 400, "E422", "sender",
     "sender is not a registered sender ID of this account."},
    {ApiError::kSenderNotInTemplate, 400, "E423", "sender",
     "sender is not one of the senders the template is approved for."},
    {ApiError::kTypeNotInTemplate, 400, "E424", "type",
     "type is not the route type the template is approved for."},
    {ApiError::kStatusFilterInvalid, 400, "E425", "status",
     "status must be Pending, Sent, Delivered, UnDelivered or NotSent, or an internal state "
     "(queued, scheduled, submitting, submitted, delivered, undelivered, not_sent)."},
    {ApiError::kRecipientFilterInvalid, 400, "E426", "recipient",
     "recipient must be an E.164 number: 1-15 digits, optionally after '+'."},
    {ApiError::kTimeRangeInvalid, 400, "E427", "from",
     "from and to must be ISO-8601 times (YYYY-MM-DDTHH:MM:SS+HH:MM) or YYYY-MM-DD HH:MM:SS "
     "(UTC), from before to."},
    {ApiError::kPagingInvalid, 400, "E428", "limit",
     "limit must be 1 to 1000; cursor must be a next_cursor of an earlier page."},
    {ApiError::kTemplateTextInvalid, 400, "E451", "text",
     "text must be 1-4000 characters with well-formed {#name#} placeholders."},
    {ApiError::kTemplateNameInvalid, 400, "E452", "name", "name must be at most 255 characters."},
    {ApiError::kTemplateSendersInvalid, 400, "E453", "senders",
     "senders must be a list of at most 100 valid sender IDs."},
    {ApiError::kSenderDataInvalid, 400, "E454", "data",
     "data must be a list of 1 to 5000 sender objects."},
    {ApiError::kDescriptionInvalid, 400, "E455", "description",
     "description must be at most 255 characters."},
    {ApiError::kIsoCodeInvalid, 400, "E456", "iso_code",
     "iso_code must be a two-letter ISO 3166-1 country code."},
    {ApiError::kEntityIdInvalid, 400, "E457", "entity_id", "entity_id must be 12-30 digits."},
    {ApiError::kTemplateNotFound, 404, "E444", "template_id", "No such template."},
    {ApiError::kSenderNotFound, 404, "E445", "sender", "No such sender."},
    {ApiError::kMessageNotFound, 404, "E446", "message_id", "No such message."},
    {ApiError::kMessageNotCancellable, 409, "E447", "message_id",
     "Only a queued or scheduled message can be cancelled."},
    {ApiError::kTemplateExists, 409, "E450", "template_id",
     "A template with this template_id already exists."},
    {ApiError::kCallbackProfileNotFound, 404, "E448", "callback_profile_id",
     "No such callback profile."},
    {ApiError::kInboundNumberNotFound, 404, "E449", "id", "No such inbound number."},
    {ApiError::kWebhookNotFound, 404, "E458", "event_id", "No such webhook."},
    {ApiError::kInboundNumberTaken, 409, "E459", "number",
     "The number (with this keyword) is taken: a number shared by several accounts needs a "
     "keyword on every entry, and a keyword is used once per number."},
    {ApiError::kCallbackUrlInvalid, 400, "E460", "url", "url must be an http(s) URL."},
    {ApiError::kCallbackMethodInvalid, 400, "E461", "method", "method must be GET, POST or PUT."},
    {ApiError::kCallbackHeadersInvalid, 400, "E462", "headers",
     "headers must be an object of at most 50 header names with string values."},
    {ApiError::kCallbackAuthInvalid, 400, "E463", "auth",
     "auth must be {\"type\": \"basic\", \"username\", \"password\"} or {\"type\": \"bearer\", "
     "\"token_url\", \"client_id\", \"client_secret\"}."},
    {ApiError::kBodyTemplateInvalid, 400, "E464", "body_template",
     "body_template must be at most 8000 characters whose <placeholders> are callback fields."},
    {ApiError::kRetryPolicyInvalid, 400, "E465", "retry",
     "retry must be {\"type\": \"fixed\", \"intervals\": [0-20 delays of 1-86400 s]} or "
     "{\"type\": \"exponential\", \"initial\", \"max_delay\", \"horizon\"}."},
    {ApiError::kDefaultFlagInvalid, 400, "E466", "default", "default must be true or false."},
    {ApiError::kInboundNumberInvalid, 400, "E467", "number",
     "number must be an E.164 long code (+ and country code) or a short code of 3-8 digits."},
    {ApiError::kKeywordInvalid, 400, "E468", "keyword",
     "keyword must be 1-30 characters without white space."},
    {ApiError::kExpiresInvalid, 400, "E469", "expires",
     "expires must be a future time: YYYY-MM-DD HH:MM:SS (UTC) or ISO-8601 with an offset."},
    {ApiError::kWebhookSecretInvalid, 400, "E470", "secret",
     "secret must be 16-128 printable ASCII characters."},
    {ApiError::kWebhookStateInvalid, 400, "E471", "state",
     "state must be exhausted, pending or delivered."},
    {ApiError::kOptOutNotFound, 404, "E472", "recipient", "No such opt-out."},
    {ApiError::kCountryCapInvalid, 400, "E473", "daily",
     "daily and monthly must be integers from 1 to 100000000, or null."},
    {ApiError::kCountryCapNotFound, 404, "E474", "country", "No cap for this country."},
    {ApiError::kSmppSystemIdInvalid, 400, "E475", "system_id",
     "system_id must be 1-15 visible ASCII characters, without spaces."},
    {ApiError::kSmppMaxRateInvalid, 400, "E476", "max_rate",
     "max_rate must be an integer from 0 (unlimited) to 100000 messages a second."},
    {ApiError::kSmppSourcesInvalid, 400, "E477", "allowed_sources",
     "allowed_sources must be a list of at most 32 IP networks (a.b.c.d/n or IPv6/n)."},
    {ApiError::kSmppCredentialNotFound, 404, "E478", "system_id",
     "No such active SMPP credential."},
    {ApiError::kSmppSystemIdTaken, 409, "E479", "system_id",
     "This system_id is taken (a revoked system_id is never given out again)."},
    {ApiError::kInboundTargetInvalid, 400, "E480", "target",
     "target must be webhook or smpp; smpp takes no callback or callback_profile_id."},
    {ApiError::kSmppIdFormatInvalid, 400, "E481", "id_format", "id_format must be hex or decimal."},
    {ApiError::kApiKeyMissing, 401, "E430", "api-key", "The api-key header is missing."},
    {ApiError::kApiKeyInvalid, 401, "E431", "api-key", "The API key is not valid."},
    {ApiError::kForbidden, 403, "E432", "api-key",
     "The API key is not authorised for this account."},
    {ApiError::kWebhookLoop, 403, "E433", "request",
     "A request made by an smsgw webhook sender cannot call the API (it would loop)."},
    {ApiError::kIdempotencyKeyInvalid, 400, "E434", "Idempotency-Key",
     "Idempotency-Key must be 1 to 255 visible ASCII characters."},
    {ApiError::kIdempotencyKeyReused, 422, "E435", "Idempotency-Key",
     "This Idempotency-Key was used in the last 24 hours with a different request."},
    {ApiError::kNotFound, 404, "E440", "path", "No such endpoint."},
    {ApiError::kMethodNotAllowed, 405, "E441", "method", "Method not allowed on this endpoint."},
    {ApiError::kPayloadTooLarge, 413, "E442", "request", "The request body is too large."},
    {ApiError::kUnsupportedMedia, 415, "E443", "request",
     "The request body is in an encoding the server cannot read."},
    {ApiError::kRateLimited, 429, "E429", "", "Too many requests for this account."},
    {ApiError::kStoreUnavailable, 503, "E503", "",
     "The message store is unavailable; nothing was accepted. Retry later."},
    {ApiError::kInternal, 500, "E500", "", "Internal error."},
}};

}  // namespace

const ErrorSpec& Spec(ApiError e) { return kTable[static_cast<size_t>(e)]; }

std::span<const ErrorSpec> AllErrors() { return kTable; }

FieldError MakeFieldError(ApiError e, std::string reason, std::string field) {
  const ErrorSpec& spec = Spec(e);
  return FieldError{e, field.empty() ? std::string(spec.field) : std::move(field),
                    reason.empty() ? std::string(spec.message) : std::move(reason)};
}

std::string ErrorBody(std::span<const FieldError> errors) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  const FieldError& first = errors.front();
  w.StartObject();
  w.Key("code");
  const std::string_view code = Spec(first.error).code;
  w.String(code.data(), static_cast<rapidjson::SizeType>(code.size()));
  w.Key("message");
  w.String(first.reason.data(), static_cast<rapidjson::SizeType>(first.reason.size()));
  w.Key("error");
  w.StartObject();
  for (const FieldError& e : errors) {
    if (e.field.empty()) {
      continue;
    }
    w.Key(e.field.data(), static_cast<rapidjson::SizeType>(e.field.size()));
    w.String(e.reason.data(), static_cast<rapidjson::SizeType>(e.reason.size()));
  }
  w.EndObject();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

int HttpStatus(std::span<const FieldError> errors) {
  return Spec(errors.front().error).http_status;
}

}  // namespace smsgw::api
