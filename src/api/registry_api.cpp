#include "api/registry_api.h"

#include <rapidjson/document.h>
#include <spdlog/spdlog.h>

#include "api/async_bridge.h"
#include "api/ext_requests.h"
#include "api/registry_requests.h"
#include "api/request_body.h"
#include "api/responses.h"
#include "core/sender_id.h"
#include "core/template.h"

namespace smsgw::api {
namespace {

UpdateMode ModeOf(const Request& request) {
  return request.method() == http::verb::put ? UpdateMode::kPut : UpdateMode::kPatch;
}

}  // namespace

RegistryApi::RegistryApi(core::Region region, store::TemplateStore& templates,
                         store::SenderStore& senders, asio::thread_pool& store_pool,
                         const core::Clock& clock)
    : region_(region),
      templates_(templates),
      senders_(senders),
      store_pool_(store_pool),
      clock_(clock) {}

asio::awaitable<Response> RegistryApi::Handle(const Route& route, const Request& request,
                                              std::string_view query) {
  switch (route.kind) {
    case Route::kRegisterSenders:
      co_return co_await RegisterSenders(route, request, query);
    case Route::kTemplates:
      co_return co_await Templates(route, request, query);
    case Route::kTemplate:
      co_return co_await OneTemplate(route, request, query);
    case Route::kSenders:
      co_return co_await Senders(route);
    case Route::kSender:
      co_return co_await OneSender(route, request, query);
    default:
      co_return ErrorResponse(MakeFieldError(ApiError::kNotFound));
  }
}

asio::awaitable<Response> RegistryApi::RegisterSenders(const Route& route, const Request& request,
                                                       std::string_view query) {
  rapidjson::Document fields;
  if (auto parsed = ParseBody(request, query, fields); !parsed) {
    co_return std::move(parsed.error());
  }
  auto registration = ValidateSenderRegistration(fields, route.sid, region_);
  if (!registration) {
    co_return ErrorResponse(registration.error());
  }
  const core::TimePoint now = clock_.Now();
  auto outcomes = co_await RunBlocking(store_pool_, [&] {
    return senders_.RegisterSenders(route.sid, registration->accepted, now);
  });
  if (!outcomes) {
    co_return StoreFailure(outcomes.error(), ApiError::kSenderNotFound, "sender registration");
  }
  co_return JsonResponse(200, SenderRegistrationJson(*registration, *outcomes));
}

asio::awaitable<Response> RegistryApi::Templates(const Route& route, const Request& request,
                                                 std::string_view query) {
  if (request.method() == http::verb::get) {
    auto listed =
        co_await RunBlocking(store_pool_, [&] { return templates_.ListTemplates(route.sid); });
    if (!listed) {
      co_return StoreFailure(listed.error(), ApiError::kTemplateNotFound, "template list");
    }
    co_return JsonResponse(200, TemplateListJson(*listed));
  }
  rapidjson::Document fields;
  if (auto parsed = ParseBody(request, query, fields); !parsed) {
    co_return std::move(parsed.error());
  }
  auto created = ValidateTemplateCreate(fields, route.sid, region_, clock_.Now());
  if (!created) {
    co_return ErrorResponse(created.error());
  }
  auto stored =
      co_await RunBlocking(store_pool_, [&] { return templates_.CreateTemplate(*created); });
  if (!stored) {
    co_return StoreFailure(stored.error(), ApiError::kTemplateNotFound, "template create",
                           ApiError::kTemplateExists);
  }
  co_return JsonResponse(201, TemplateJson(*created));
}

asio::awaitable<Response> RegistryApi::OneTemplate(const Route& route, const Request& request,
                                                   std::string_view query) {
  const std::string& id = route.resource;
  if (!core::IsValidTemplateId(id)) {
    co_return ErrorResponse(MakeFieldError(ApiError::kTemplateNotFound));
  }
  switch (request.method()) {
    case http::verb::get: {
      auto got =
          co_await RunBlocking(store_pool_, [&] { return templates_.GetTemplate(route.sid, id); });
      if (!got) {
        co_return StoreFailure(got.error(), ApiError::kTemplateNotFound, "template read");
      }
      co_return JsonResponse(200, TemplateJson(*got));
    }
    case http::verb::delete_: {
      auto deleted = co_await RunBlocking(store_pool_,
                                          [&] { return templates_.DeleteTemplate(route.sid, id); });
      if (!deleted) {
        co_return StoreFailure(deleted.error(), ApiError::kTemplateNotFound, "template delete");
      }
      co_return JsonResponse(200, DeletedJson("template_id", id));
    }
    default: {  // PUT, PATCH
      rapidjson::Document fields;
      if (auto parsed = ParseBody(request, query, fields); !parsed) {
        co_return std::move(parsed.error());
      }
      auto change = ValidateTemplateChange(fields, id, ModeOf(request), region_);
      if (!change) {
        co_return ErrorResponse(change.error());
      }
      const core::TimePoint now = clock_.Now();
      auto updated = co_await RunBlocking(
          store_pool_, [&] { return templates_.UpdateTemplate(route.sid, id, *change, now); });
      if (!updated) {
        co_return StoreFailure(updated.error(), ApiError::kTemplateNotFound, "template update");
      }
      co_return JsonResponse(200, TemplateJson(*updated));
    }
  }
}

asio::awaitable<Response> RegistryApi::Senders(const Route& route) {
  auto listed = co_await RunBlocking(store_pool_, [&] { return senders_.ListSenders(route.sid); });
  if (!listed) {
    co_return StoreFailure(listed.error(), ApiError::kSenderNotFound, "sender list");
  }
  co_return JsonResponse(200, SenderListJson(*listed));
}

asio::awaitable<Response> RegistryApi::OneSender(const Route& route, const Request& request,
                                                 std::string_view query) {
  const std::string& sender = route.resource;
  if (!core::IsValidSenderId(sender)) {
    co_return ErrorResponse(MakeFieldError(ApiError::kSenderNotFound));
  }
  switch (request.method()) {
    case http::verb::get: {
      auto got =
          co_await RunBlocking(store_pool_, [&] { return senders_.GetSender(route.sid, sender); });
      if (!got) {
        co_return StoreFailure(got.error(), ApiError::kSenderNotFound, "sender read");
      }
      co_return JsonResponse(200, SenderJson(*got));
    }
    case http::verb::delete_: {
      auto deleted = co_await RunBlocking(store_pool_,
                                          [&] { return senders_.DeleteSender(route.sid, sender); });
      if (!deleted) {
        co_return StoreFailure(deleted.error(), ApiError::kSenderNotFound, "sender delete");
      }
      co_return JsonResponse(200, DeletedJson("sender", sender));
    }
    default: {  // PUT, PATCH
      rapidjson::Document fields;
      if (auto parsed = ParseBody(request, query, fields); !parsed) {
        co_return std::move(parsed.error());
      }
      auto change = ValidateSenderChange(fields, sender, ModeOf(request), region_);
      if (!change) {
        co_return ErrorResponse(change.error());
      }
      const core::TimePoint now = clock_.Now();
      auto updated = co_await RunBlocking(
          store_pool_, [&] { return senders_.UpdateSender(route.sid, sender, *change, now); });
      if (!updated) {
        co_return StoreFailure(updated.error(), ApiError::kSenderNotFound, "sender update");
      }
      co_return JsonResponse(200, SenderJson(*updated));
    }
  }
}

}  // namespace smsgw::api
