#pragma once
// Maps a method and path onto an endpoint of the API (see ../shared/api/kaleyra-sms.md,
// "Endpoints", and docs/api/registry.md for the /ext/v1 registry endpoints). Pure.

#include <string>
#include <string_view>

#include "api/asio.h"

namespace smsgw::api {

struct Route {
  enum Kind {
    kSend,             // POST /v1|v2/{sid}/messages|sms, GET /v1/{sid}/messages|sms
    kStatus,           // GET /v1/{sid}/messages|sms/status
    kRegisterSenders,  // POST /v1|v2/{sid}/messages|sms/sender, POST /ext/v1/{sid}/senders
    kTemplates,        // GET, POST /ext/v1/{sid}/templates
    kTemplate,         // GET, PUT, PATCH, DELETE /ext/v1/{sid}/templates/{template_id}
    kSenders,          // GET /ext/v1/{sid}/senders
    kSender,           // GET, PUT, PATCH, DELETE /ext/v1/{sid}/senders/{sender}
    kNotFound,
    kMethodNotAllowed,
  };
  Kind kind = kNotFound;
  std::string sid;
  std::string resource;    // kTemplate: the template id; kSender: the sender ID (percent-decoded)
  std::string_view allow;  // the methods the path takes: the Allow header of a 405
};

// `path` without the query string.
Route MatchRoute(http::verb method, std::string_view path);

}  // namespace smsgw::api
