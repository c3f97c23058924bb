#pragma once
// The one table from every API failure to Kaleyra's error shape: HTTP status, code, default
// message and the field it is reported under. Everything that answers an error goes through
// here, so docs/api/errors.md can be checked against AllErrors() (errors_test.cpp does).
// Pure; thread-safe.

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace smsgw::api {

enum class ApiError {
  kBodyTooLong,              // E401, Kaleyra's own code
  kBodyMissing,              // E402
  kToMissing,                // E403
  kToInvalid,                // E404
  kTooManyRecipients,        // E405
  kSenderInvalid,            // E406
  kTypeInvalid,              // E407
  kUnicodeInvalid,           // E408
  kFlashInvalid,             // E409
  kTimeInvalid,              // E410
  kPrefixInvalid,            // E411
  kTemplateIdInvalid,        // E412
  kTemplateDataInvalid,      // E413
  kRefInvalid,               // E414
  kRefCustomInvalid,         // E415
  kCampaignNameInvalid,      // E416
  kCallbackProfileInvalid,   // E417
  kCallbackInvalid,          // E418
  kInvalidUtf8,              // E419
  kMalformedBody,            // E420
  kMessageIdsInvalid,        // E421
  kSenderNotRegistered,      // E422
  kSenderNotInTemplate,      // E423
  kTypeNotInTemplate,        // E424
  kStatusFilterInvalid,      // E425
  kRecipientFilterInvalid,   // E426
  kTimeRangeInvalid,         // E427
  kPagingInvalid,            // E428
  kTemplateTextInvalid,      // E451
  kTemplateNameInvalid,      // E452
  kTemplateSendersInvalid,   // E453
  kSenderDataInvalid,        // E454
  kDescriptionInvalid,       // E455
  kIsoCodeInvalid,           // E456
  kEntityIdInvalid,          // E457
  kTemplateNotFound,         // E444
  kSenderNotFound,           // E445
  kMessageNotFound,          // E446
  kMessageNotCancellable,    // E447
  kTemplateExists,           // E450
  kCallbackProfileNotFound,  // E448
  kInboundNumberNotFound,    // E449
  kWebhookNotFound,          // E458
  kInboundNumberTaken,       // E459
  kCallbackUrlInvalid,       // E460
  kCallbackMethodInvalid,    // E461
  kCallbackHeadersInvalid,   // E462
  kCallbackAuthInvalid,      // E463
  kBodyTemplateInvalid,      // E464
  kRetryPolicyInvalid,       // E465
  kDefaultFlagInvalid,       // E466
  kInboundNumberInvalid,     // E467
  kKeywordInvalid,           // E468
  kExpiresInvalid,           // E469
  kWebhookSecretInvalid,     // E470
  kWebhookStateInvalid,      // E471
  kOptOutNotFound,           // E472
  kCountryCapInvalid,        // E473
  kCountryCapNotFound,       // E474
  kSmppSystemIdInvalid,      // E475
  kSmppMaxRateInvalid,       // E476
  kSmppSourcesInvalid,       // E477
  kSmppCredentialNotFound,   // E478
  kSmppSystemIdTaken,        // E479
  kInboundTargetInvalid,     // E480
  kSmppIdFormatInvalid,      // E481
  kApiKeyMissing,            // E430
  kApiKeyInvalid,            // E431
  kForbidden,                // E432
  kWebhookLoop,              // E433
  kIdempotencyKeyInvalid,    // E434
  kIdempotencyKeyReused,     // E435
  kNotFound,                 // E440
  kMethodNotAllowed,         // E441
  kPayloadTooLarge,          // E442
  kUnsupportedMedia,         // E443
  kRateLimited,              // E429
  kStoreUnavailable,         // E503
  kInternal,                 // E500
};

struct ErrorSpec {
  ApiError error;
  int http_status;
  std::string_view code;
  std::string_view field;  // the key under "error"; "" when the failure names none
  std::string_view message;
};

const ErrorSpec& Spec(ApiError e);
std::span<const ErrorSpec> AllErrors();

// One reported failure: which table entry, the field it concerns (defaults to the table's), and
// a specific reason (defaults to the table's message).
struct FieldError {
  ApiError error;
  std::string field;
  std::string reason;
};
FieldError MakeFieldError(ApiError e, std::string reason = {}, std::string field = {});
// Validation reports every bad field at once.
using FieldErrors = std::vector<FieldError>;

// Kaleyra's error body: {"code", "message", "error": {field: reason, ...}}. The top-level code and
// message are those of the first error; every error appears under "error". Non-empty input.
std::string ErrorBody(std::span<const FieldError> errors);
// The HTTP status for a list of errors (that of the first).
int HttpStatus(std::span<const FieldError> errors);

}  // namespace smsgw::api
