#include "api/router.h"

#include <gtest/gtest.h>

namespace smsgw::api {
namespace {

TEST(Router, SendAliases) {
  for (const char* path :
       {"/v1/HXIN1234567890IN/messages", "/v1/HXIN1234567890IN/sms", "/v2/HXIN1234567890IN/sms",
        "/v2/HXIN1234567890IN/messages", "/v1/HXIN1234567890IN/messages/"}) {
    Route r = MatchRoute(http::verb::post, path);
    EXPECT_EQ(r.kind, Route::kSend) << path;
    EXPECT_EQ(r.sid, "HXIN1234567890IN");
  }
  EXPECT_EQ(MatchRoute(http::verb::get, "/v1/HX1/messages").kind, Route::kSend);
  EXPECT_EQ(MatchRoute(http::verb::get, "/v2/HX1/sms").kind, Route::kMethodNotAllowed);
  EXPECT_EQ(MatchRoute(http::verb::delete_, "/v1/HX1/messages").kind, Route::kMethodNotAllowed);
}

TEST(Router, Status) {
  EXPECT_EQ(MatchRoute(http::verb::get, "/v1/HX1/messages/status").kind, Route::kStatus);
  EXPECT_EQ(MatchRoute(http::verb::get, "/v1/HX1/sms/status").kind, Route::kStatus);
  EXPECT_EQ(MatchRoute(http::verb::post, "/v1/HX1/sms/status").kind, Route::kMethodNotAllowed);
}

TEST(Router, UnknownPaths) {
  for (const char* path :
       {"/", "/v1", "/v1/HX1", "/v3/HX1/messages", "/v1/HX1/other", "/v1/HX1/messages/status/x",
        "/v1/HX-1/messages", "/v1//messages", "/v2/HX1/messages/status"}) {
    EXPECT_EQ(MatchRoute(http::verb::post, path).kind, Route::kNotFound) << path;
  }
}

TEST(Router, SenderRegistration) {
  for (const char* path : {"/v1/HX1/sms/sender", "/v1/HX1/messages/sender", "/v2/HX1/sms/sender",
                           "/ext/v1/HX1/senders"}) {
    Route r = MatchRoute(http::verb::post, path);
    EXPECT_EQ(r.kind, Route::kRegisterSenders) << path;
    EXPECT_EQ(r.sid, "HX1");
  }
  Route get = MatchRoute(http::verb::get, "/v1/HX1/sms/sender");
  EXPECT_EQ(get.kind, Route::kMethodNotAllowed);
  EXPECT_EQ(get.allow, "POST");
}

TEST(Router, TemplateRegistry) {
  EXPECT_EQ(MatchRoute(http::verb::get, "/ext/v1/HX1/templates").kind, Route::kTemplates);
  EXPECT_EQ(MatchRoute(http::verb::post, "/ext/v1/HX1/templates/").kind, Route::kTemplates);
  Route put = MatchRoute(http::verb::delete_, "/ext/v1/HX1/templates");
  EXPECT_EQ(put.kind, Route::kMethodNotAllowed);
  EXPECT_EQ(put.allow, "GET, POST");
  for (http::verb v : {http::verb::get, http::verb::put, http::verb::patch, http::verb::delete_}) {
    Route r = MatchRoute(v, "/ext/v1/HX1/templates/1107160000000000001");
    EXPECT_EQ(r.kind, Route::kTemplate);
    EXPECT_EQ(r.sid, "HX1");
    EXPECT_EQ(r.resource, "1107160000000000001");
  }
  Route post = MatchRoute(http::verb::post, "/ext/v1/HX1/templates/1107160000000000001");
  EXPECT_EQ(post.kind, Route::kMethodNotAllowed);
  EXPECT_EQ(post.allow, "GET, PUT, PATCH, DELETE");
}

TEST(Router, SenderRegistryDecodesTheSender) {
  EXPECT_EQ(MatchRoute(http::verb::get, "/ext/v1/HX1/senders").kind, Route::kSenders);
  Route r = MatchRoute(http::verb::patch, "/ext/v1/HX1/senders/Acme%20Bank");
  EXPECT_EQ(r.kind, Route::kSender);
  EXPECT_EQ(r.resource, "Acme Bank");
  // '+' is literal in a path (a numeric sender), not a space.
  EXPECT_EQ(MatchRoute(http::verb::get, "/ext/v1/HX1/senders/+14155550100").resource,
            "+14155550100");
  EXPECT_EQ(MatchRoute(http::verb::get, "/ext/v1/HX1/senders/%2B1415").resource, "+1415");
  for (const char* bad :
       {"/ext/v1/HX1/senders/%", "/ext/v1/HX1/senders/%4", "/ext/v1/HX1/senders/%zz",
        "/ext/v1/HX1/senders/a%2", "/ext/v1/HX1/senders/%00x"}) {
    Route b = MatchRoute(http::verb::get, bad);
    if (std::string_view(bad).ends_with("%00x")) {
      EXPECT_EQ(b.kind, Route::kSender) << bad;  // decodes; the handler rejects the shape
      continue;
    }
    EXPECT_EQ(b.kind, Route::kNotFound) << bad;
  }
}

TEST(Router, MessageLog) {
  Route list = MatchRoute(http::verb::get, "/ext/v1/HX1/messages");
  EXPECT_EQ(list.kind, Route::kMessages);
  EXPECT_EQ(list.sid, "HX1");
  Route post = MatchRoute(http::verb::post, "/ext/v1/HX1/messages/");
  EXPECT_EQ(post.kind, Route::kMethodNotAllowed);
  EXPECT_EQ(post.allow, "GET");

  const char* id = "018f6c9e-7b7a-7cc2-9a56-3f1e2d4c5b6a:2";
  Route one = MatchRoute(http::verb::get, std::string("/ext/v1/HX1/messages/") + id);
  EXPECT_EQ(one.kind, Route::kMessage);
  EXPECT_EQ(one.resource, id);
  EXPECT_EQ(
      MatchRoute(http::verb::get, "/ext/v1/HX1/messages/018f6c9e-7b7a-7cc2-9a56-3f1e2d4c5b6a%3A2")
          .resource,
      id);
  Route del = MatchRoute(http::verb::delete_, std::string("/ext/v1/HX1/messages/") + id);
  EXPECT_EQ(del.kind, Route::kMethodNotAllowed);
  EXPECT_EQ(del.allow, "GET");

  Route cancel =
      MatchRoute(http::verb::post, std::string("/ext/v1/HX1/messages/") + id + "/cancel");
  EXPECT_EQ(cancel.kind, Route::kCancelMessage);
  EXPECT_EQ(cancel.sid, "HX1");
  EXPECT_EQ(cancel.resource, id);
  Route get_cancel = MatchRoute(http::verb::get, "/ext/v1/HX1/messages/x:1/cancel");
  EXPECT_EQ(get_cancel.kind, Route::kMethodNotAllowed);
  EXPECT_EQ(get_cancel.allow, "POST");
}

TEST(Router, UnknownExtensionPaths) {
  for (const char* path :
       {"/ext", "/ext/v1", "/ext/v1/HX1", "/ext/v2/HX1/templates", "/ext/v1/HX1/keys",
        "/ext/v1/HX-1/templates", "/ext/v1/HX1/templates/1/extra", "/ext/v1/HX1/senders/%zz",
        "/ext/v1/HX1/templates/1/cancel", "/ext/v1/HX1/messages/x:1/retry",
        "/ext/v1/HX1/messages/x:1/cancel/now", "/ext/v1/HX1/messages/%zz",
        "/ext/v1/HX1/messages/%zz/cancel", "/ext/v1/HX-1/messages"}) {
    EXPECT_EQ(MatchRoute(http::verb::get, path).kind, Route::kNotFound) << path;
  }
}

TEST(Router, WebhookEndpoints) {
  using http::verb;
  EXPECT_EQ(MatchRoute(verb::get, "/ext/v1/HX1/callback-profiles").kind, Route::kCallbackProfiles);
  EXPECT_EQ(MatchRoute(verb::post, "/ext/v1/HX1/callback-profiles/").kind,
            Route::kCallbackProfiles);
  Route profile = MatchRoute(verb::put, "/ext/v1/HX1/callback-profiles/SG_abc");
  EXPECT_EQ(profile.kind, Route::kCallbackProfile);
  EXPECT_EQ(profile.resource, "SG_abc");
  EXPECT_EQ(MatchRoute(verb::delete_, "/ext/v1/HX1/callback-profiles/SG_abc").kind,
            Route::kCallbackProfile);
  Route patch = MatchRoute(verb::patch, "/ext/v1/HX1/callback-profiles/SG_abc");
  EXPECT_EQ(patch.kind, Route::kMethodNotAllowed);
  EXPECT_EQ(patch.allow, "GET, PUT, DELETE");
  Route test = MatchRoute(verb::post, "/ext/v1/HX1/callback-profiles/SG_abc/test");
  EXPECT_EQ(test.kind, Route::kCallbackTest);
  EXPECT_EQ(test.resource, "SG_abc");
  Route get_test = MatchRoute(verb::get, "/ext/v1/HX1/callback-profiles/SG_abc/test");
  EXPECT_EQ(get_test.kind, Route::kMethodNotAllowed);
  EXPECT_EQ(get_test.allow, "POST");
  EXPECT_EQ(MatchRoute(verb::post, "/ext/v1/HX1/callback-profiles/SG_abc/tests").kind,
            Route::kNotFound);
  EXPECT_EQ(MatchRoute(verb::post, "/ext/v1/HX1/inbound-numbers/x1/test").kind, Route::kNotFound);

  EXPECT_EQ(MatchRoute(verb::post, "/ext/v1/HX1/inbound-numbers").kind, Route::kInboundNumbers);
  EXPECT_EQ(MatchRoute(verb::get, "/ext/v1/HX1/inbound-numbers/x1").resource, "x1");
  EXPECT_EQ(MatchRoute(verb::put, "/ext/v1/HX1/inbound-numbers/x1").kind, Route::kMethodNotAllowed);

  EXPECT_EQ(MatchRoute(verb::get, "/ext/v1/HX1/webhooks").kind, Route::kWebhooks);
  EXPECT_EQ(MatchRoute(verb::post, "/ext/v1/HX1/webhooks").kind, Route::kMethodNotAllowed);
  Route replay = MatchRoute(verb::post, "/ext/v1/HX1/webhooks/ev%2D1/replay");
  EXPECT_EQ(replay.kind, Route::kReplayWebhook);
  EXPECT_EQ(replay.resource, "ev-1");
  EXPECT_EQ(MatchRoute(verb::get, "/ext/v1/HX1/webhooks/ev1/replay").kind,
            Route::kMethodNotAllowed);

  EXPECT_EQ(MatchRoute(verb::put, "/ext/v1/HX1/webhook-secret").kind, Route::kWebhookSecret);
  EXPECT_EQ(MatchRoute(verb::delete_, "/ext/v1/HX1/webhook-secret").kind, Route::kWebhookSecret);
  EXPECT_EQ(MatchRoute(verb::get, "/ext/v1/HX1/webhook-secret").kind, Route::kMethodNotAllowed);
  for (verb v : {verb::get, verb::post, verb::delete_}) {
    EXPECT_EQ(MatchRoute(v, "/ext/v1/HX1/opt-outs").kind, Route::kOptOuts);
  }
  EXPECT_EQ(MatchRoute(verb::put, "/ext/v1/HX1/opt-outs").kind, Route::kMethodNotAllowed);
  EXPECT_EQ(MatchRoute(verb::get, "/ext/v1/HX1/opt-outs/x").kind, Route::kNotFound);
  EXPECT_EQ(MatchRoute(verb::get, "/ext/v1/HX1/country-caps").kind, Route::kCountryCaps);
  EXPECT_EQ(MatchRoute(verb::get, "/ext/v1/HX1/rate-limits").kind, Route::kRateLimits);
  EXPECT_EQ(MatchRoute(verb::put, "/ext/v1/HX1/rate-limits").kind, Route::kMethodNotAllowed);
  const Route cap = MatchRoute(verb::put, "/ext/v1/HX1/country-caps/IN");
  EXPECT_EQ(cap.kind, Route::kCountryCap);
  EXPECT_EQ(cap.resource, "IN");
  EXPECT_EQ(MatchRoute(verb::delete_, "/ext/v1/HX1/country-caps/IN").kind, Route::kCountryCap);
  EXPECT_EQ(MatchRoute(verb::get, "/ext/v1/HX1/country-caps/IN").kind, Route::kMethodNotAllowed);

  for (const char* path : {"/ext/v1/HX1/webhooks/ev1", "/ext/v1/HX1/webhooks/ev1/other",
                           "/ext/v1/HX1/webhook-secret/x", "/ext/v1/HX1/callback-profiles/a/b",
                           "/ext/v1/HX1/inbound-numbers/a/b"}) {
    EXPECT_EQ(MatchRoute(verb::post, path).kind, Route::kNotFound) << path;
  }
}

TEST(Router, SmppCredentials) {
  using http::verb;
  for (verb v : {verb::get, verb::post}) {
    EXPECT_EQ(MatchRoute(v, "/ext/v1/HX1/smpp-credentials").kind, Route::kSmppCredentials);
  }
  const Route list = MatchRoute(verb::delete_, "/ext/v1/HX1/smpp-credentials");
  EXPECT_EQ(list.kind, Route::kMethodNotAllowed);
  EXPECT_EQ(list.allow, "GET, POST");
  const Route one = MatchRoute(verb::delete_, "/ext/v1/HX1/smpp-credentials/acme%2D1");
  EXPECT_EQ(one.kind, Route::kSmppCredential);
  EXPECT_EQ(one.sid, "HX1");
  EXPECT_EQ(one.resource, "acme-1");
  const Route get = MatchRoute(verb::get, "/ext/v1/HX1/smpp-credentials/acme");
  EXPECT_EQ(get.kind, Route::kMethodNotAllowed);
  EXPECT_EQ(get.allow, "DELETE");
  EXPECT_EQ(MatchRoute(verb::delete_, "/ext/v1/HX1/smpp-credentials/a/b").kind, Route::kNotFound);
  EXPECT_EQ(MatchRoute(verb::delete_, "/ext/v1/HX1/smpp-credentials/%zz").kind, Route::kNotFound);
}

TEST(Router, OpenApiDocument) {
  using http::verb;
  const Route r = MatchRoute(verb::get, "/openapi.json");
  EXPECT_EQ(r.kind, Route::kOpenApi);
  EXPECT_EQ(r.sid, "");  // public: no account
  EXPECT_EQ(MatchRoute(verb::get, "/openapi.json/").kind, Route::kOpenApi);
  for (verb v : {verb::post, verb::put, verb::delete_}) {
    const Route other = MatchRoute(v, "/openapi.json");
    EXPECT_EQ(other.kind, Route::kMethodNotAllowed);
    EXPECT_EQ(other.allow, "GET");
  }
  for (const char* path : {"/openapi", "/openapi.yaml", "/openapi.json/x", "/v1/openapi.json",
                           "/ext/v1/HX1/openapi.json"}) {
    EXPECT_EQ(MatchRoute(verb::get, path).kind, Route::kNotFound) << path;
  }
}

}  // namespace
}  // namespace smsgw::api
