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

}  // namespace
}  // namespace smsgw::api
