#pragma once
// Maps a method and path onto an endpoint of the API (see docs/api/kaleyra-sms.md,
// "Endpoints", docs/api/registry.md, messages.md, callback-profiles.md, inbound-numbers.md and
// webhooks-api.md, smpp-credentials.md for the /ext/v1 endpoints; docs/api/openapi.json describes
// every route, and src/api/openapi_test.cpp checks it against this router). Pure.

#include <string>
#include <string_view>

#include "api/asio.h"

namespace smsgw::api {

struct Route {
  enum Kind {
    kSend,              // POST /v1|v2/{sid}/messages|sms, GET /v1/{sid}/messages|sms
    kStatus,            // GET /v1/{sid}/messages|sms/status
    kRegisterSenders,   // POST /v1|v2/{sid}/messages|sms/sender, POST /ext/v1/{sid}/senders
    kTemplates,         // GET, POST /ext/v1/{sid}/templates
    kTemplate,          // GET, PUT, PATCH, DELETE /ext/v1/{sid}/templates/{template_id}
    kSenders,           // GET /ext/v1/{sid}/senders
    kSender,            // GET, PUT, PATCH, DELETE /ext/v1/{sid}/senders/{sender}
    kMessages,          // GET /ext/v1/{sid}/messages
    kMessage,           // GET /ext/v1/{sid}/messages/{message_id}
    kCancelMessage,     // POST /ext/v1/{sid}/messages/{message_id}/cancel
    kCallbackProfiles,  // GET, POST /ext/v1/{sid}/callback-profiles
    kCallbackProfile,   // GET, PUT, DELETE /ext/v1/{sid}/callback-profiles/{id}
    kCallbackTest,      // POST /ext/v1/{sid}/callback-profiles/{id}/test
    kInboundNumbers,    // GET, POST /ext/v1/{sid}/inbound-numbers
    kInboundNumber,     // GET, DELETE /ext/v1/{sid}/inbound-numbers/{id}
    kWebhooks,          // GET /ext/v1/{sid}/webhooks
    kReplayWebhook,     // POST /ext/v1/{sid}/webhooks/{event_id}/replay
    kWebhookSecret,     // PUT, DELETE /ext/v1/{sid}/webhook-secret
    kOptOuts,           // GET, POST, DELETE /ext/v1/{sid}/opt-outs
    kCountryCaps,       // GET /ext/v1/{sid}/country-caps
    kCountryCap,        // PUT, DELETE /ext/v1/{sid}/country-caps/{country}
    kRateLimits,        // GET /ext/v1/{sid}/rate-limits
    kSmppCredentials,   // GET, POST /ext/v1/{sid}/smpp-credentials
    kSmppCredential,    // DELETE /ext/v1/{sid}/smpp-credentials/{system_id}
    kOpenApi,           // GET /openapi.json (public: no api-key, no SID)
    // A new kind goes above: openapi_test.cpp iterates the kinds up to kNotFound.
    kNotFound,
    kMethodNotAllowed,
  };
  Kind kind = kNotFound;
  std::string sid;
  // kTemplate: the template id; kSender: the sender ID; kMessage, kCancelMessage: the message id;
  // kCallbackProfile, kCallbackTest, kInboundNumber: the id; kReplayWebhook: the event id;
  // kCountryCap: the country; kSmppCredential: the system_id (percent-decoded).
  std::string resource;
  std::string_view allow;  // the methods the path takes: the Allow header of a 405
};

// `path` without the query string.
Route MatchRoute(http::verb method, std::string_view path);

// A stable name for `kind` ("send", "ext_template", ...): the route label of the metrics.
std::string_view RouteName(Route::Kind kind);

}  // namespace smsgw::api
