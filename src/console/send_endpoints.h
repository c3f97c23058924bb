#pragma once
// SendEndpoints serves the console's "Send a test SMS" page for the signed-in account:
//   POST /console/api/text-info  {"body", "unicode"?}: {"encoding": "GSM-7"|"UCS-2",
//                                "segments", "characters", "units", "smart_encoding"}: what the
//                                send path will make of the body (the account's smart encoding,
//                                then text::Analyze); the send API's 400 E408 (`unicode`) when
//                                it cannot be sent so
//   POST /console/api/send       the send API's request and answer (api::ApiHandler::SendAs):
//                                the same validation, rate limits and commit as
//                                POST /v1/{sid}/messages
// The caller has checked the session and its CSRF token, and passes the account's identity (the
// one the session's key resolves to, with the account's settings). Handle may be called
// concurrently from any io_context thread.

#include <string_view>

#include "api/api_handler.h"
#include "api/asio.h"
#include "api/authenticator.h"
#include "api/http_server.h"

namespace smsgw::console {

class SendEndpoints {
 public:
  // `smart_encoding`: the deployment's default ([text] smart_encoding), for accounts without
  // their own choice.
  SendEndpoints(api::ApiHandler& api, bool smart_encoding) : api_(api), smart_(smart_encoding) {}

  // `rest`: "text-info" or "send".
  api::asio::awaitable<api::Response> Handle(const api::Request& request, std::string_view rest,
                                             const api::Authenticator::Identity& identity);

 private:
  api::Response TextInfo(const api::Request& request,
                         const api::Authenticator::Identity& identity) const;

  api::ApiHandler& api_;
  const bool smart_;
};

}  // namespace smsgw::console
