#pragma once
// SmppCredentialApi serves `/ext/v1/{sid}/smpp-credentials[/{system_id}]`
// (docs/api/smpp-credentials.md): the account creates an SMPP credential (POST; the answer carries
// the password, the only time it is shown), lists its credentials (GET; never a password) and
// revokes one (DELETE; the SMPP server closes its open binds when CredentialsVersion moves). The
// caller has routed the request and authenticated it for the route's SID. Store calls and the
// password hash run on `store_pool`; a store that fails answers 503 E503. Handle may be called
// concurrently from any io_context thread.

#include <string>
#include <string_view>

#include "api/asio.h"
#include "api/router.h"
#include "api/smpp_credential_requests.h"
#include "core/result.h"
#include "core/time.h"
#include "store/smpp_credential_store.h"

namespace smsgw::api {

struct NewSmppCredential {
  store::SmppCredential credential;
  std::string password;  // shown once; only its salted PBKDF2 hash is stored
};

// Adds the credential `request` describes to account `sid`, created at `now`, with a new
// 8-character password, and a new system_id when the request names none (`smsgw` + 8 hex). Blocks
// (the store, and milliseconds of PBKDF2). kNotFound for an unknown account, kConflict when the
// named system_id is taken. Shared with `smsgw smpp-credential create`.
core::Result<NewSmppCredential> CreateSmppCredential(store::SmppCredentialStore& credentials,
                                                     std::string_view sid,
                                                     const SmppCredentialRequest& request,
                                                     core::TimePoint now);

class SmppCredentialApi {
 public:
  SmppCredentialApi(store::SmppCredentialStore& credentials, asio::thread_pool& store_pool,
                    const core::Clock& clock);

  // `route.kind` is kSmppCredentials or kSmppCredential.
  asio::awaitable<Response> Handle(const Route& route, const Request& request,
                                   std::string_view query);

 private:
  store::SmppCredentialStore& credentials_;
  asio::thread_pool& store_pool_;
  const core::Clock& clock_;
};

}  // namespace smsgw::api
