#include "api/smpp_credential_api.h"

#include <utility>

#include "api/async_bridge.h"
#include "api/ext_requests.h"
#include "api/responses.h"
#include "core/ids.h"

namespace smsgw::api {

core::Result<NewSmppCredential> CreateSmppCredential(store::SmppCredentialStore& credentials,
                                                     std::string_view sid,
                                                     const SmppCredentialRequest& request,
                                                     core::TimePoint now) {
  // A minted system_id colliding is a 1-in-4-billion event; retry rather than fail.
  for (int attempt = 0; attempt < 5; ++attempt) {
    NewSmppCredential out{
        store::SmppCredential{
            request.system_id.empty() ? core::NewSmppSystemId() : request.system_id,
            std::string(sid), now, std::nullopt, request.max_rate, request.type,
            request.allowed_sources, request.id_format},
        core::NewSmppPassword()};
    const std::string salt = core::NewSalt();
    auto added = credentials.AddSmppCredential(out.credential, salt,
                                               core::PasswordHashHex(salt, out.password));
    if (!added && added.error().code == core::Errc::kConflict && request.system_id.empty()) {
      continue;
    }
    if (!added) {
      return std::unexpected(added.error());
    }
    return out;
  }
  return core::MakeError(core::Errc::kConflict, "could not mint a unique system_id");
}

SmppCredentialApi::SmppCredentialApi(store::SmppCredentialStore& credentials,
                                     asio::thread_pool& store_pool, const core::Clock& clock)
    : credentials_(credentials), store_pool_(store_pool), clock_(clock) {}

asio::awaitable<Response> SmppCredentialApi::Handle(const Route& route, const Request& request,
                                                    std::string_view query) {
  if (route.kind == Route::kSmppCredential) {  // DELETE
    auto revoked = co_await RunBlocking(
        store_pool_, [&] { return credentials_.RevokeSmppCredential(route.sid, route.resource); });
    if (!revoked) {
      co_return StoreFailure(revoked.error(), ApiError::kSmppCredentialNotFound,
                             "smpp credential revoke");
    }
    co_return NoContentResponse();
  }
  if (request.method() == http::verb::get) {
    auto listed = co_await RunBlocking(store_pool_,
                                       [&] { return credentials_.ListSmppCredentials(route.sid); });
    if (!listed) {
      co_return StoreFailure(listed.error(), ApiError::kSmppCredentialNotFound,
                             "smpp credential list");
    }
    co_return JsonResponse(200, SmppCredentialListJson(*listed));
  }
  rapidjson::Document fields;
  if (auto parsed = ParseBody(request, query, fields); !parsed) {
    co_return std::move(parsed.error());
  }
  auto wanted = ValidateSmppCredential(fields);
  if (!wanted) {
    co_return ErrorResponse(wanted.error());
  }
  const core::TimePoint now = clock_.Now();
  auto created = co_await RunBlocking(
      store_pool_, [&] { return CreateSmppCredential(credentials_, route.sid, *wanted, now); });
  if (!created) {
    if (created.error().code == core::Errc::kConflict && !wanted->system_id.empty()) {
      co_return ErrorResponse(SmppSystemIdTaken(wanted->system_id));
    }
    co_return StoreFailure(created.error(), ApiError::kSmppCredentialNotFound,
                           "smpp credential create");
  }
  Response response =
      JsonResponse(201, NewSmppCredentialJson(created->credential, created->password));
  // The password is in this answer and nowhere else: no cache along the way may keep it.
  response.set(http::field::cache_control, "no-store");
  co_return response;
}

}  // namespace smsgw::api
