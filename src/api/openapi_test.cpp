// docs/api/openapi.json (as embedded in the binary) against the router and the error table: every
// documented operation is a route, every route is documented with exactly the methods it takes,
// and every error code is documented under its HTTP status.

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "api/errors.h"
#include "api/openapi_document.h"
#include "api/router.h"
#include "core/strings.h"

namespace smsgw::api {
namespace {

using http::verb;

// Concrete paths for each kind of route. A new Route::Kind without an entry here fails
// EveryRouteKindHasExamples, so a new route cannot go undocumented unnoticed.
const std::map<Route::Kind, std::vector<std::string>>& Examples() {
  static const std::map<Route::Kind, std::vector<std::string>> examples = {
      {Route::kSend, {"/v1/HX1/messages", "/v1/HX1/sms", "/v2/HX1/messages", "/v2/HX1/sms"}},
      {Route::kStatus, {"/v1/HX1/messages/status", "/v1/HX1/sms/status"}},
      {Route::kRegisterSenders,
       {"/v1/HX1/messages/sender", "/v1/HX1/sms/sender", "/v2/HX1/messages/sender",
        "/v2/HX1/sms/sender", "/ext/v1/HX1/senders"}},
      {Route::kTemplates, {"/ext/v1/HX1/templates"}},
      {Route::kTemplate, {"/ext/v1/HX1/templates/1107160000000000001"}},
      {Route::kSenders, {"/ext/v1/HX1/senders"}},
      {Route::kSender, {"/ext/v1/HX1/senders/ACMEIN"}},
      {Route::kMessages, {"/ext/v1/HX1/messages"}},
      {Route::kMessage, {"/ext/v1/HX1/messages/m1:1"}},
      {Route::kCancelMessage, {"/ext/v1/HX1/messages/m1:1/cancel"}},
      {Route::kCallbackProfiles, {"/ext/v1/HX1/callback-profiles"}},
      {Route::kCallbackProfile, {"/ext/v1/HX1/callback-profiles/SG_x"}},
      {Route::kCallbackTest, {"/ext/v1/HX1/callback-profiles/SG_x/test"}},
      {Route::kInboundNumbers, {"/ext/v1/HX1/inbound-numbers"}},
      {Route::kInboundNumber, {"/ext/v1/HX1/inbound-numbers/n1"}},
      {Route::kWebhooks, {"/ext/v1/HX1/webhooks"}},
      {Route::kReplayWebhook, {"/ext/v1/HX1/webhooks/ev1/replay"}},
      {Route::kWebhookSecret, {"/ext/v1/HX1/webhook-secret"}},
      {Route::kOptOuts, {"/ext/v1/HX1/opt-outs"}},
      {Route::kCountryCaps, {"/ext/v1/HX1/country-caps"}},
      {Route::kCountryCap, {"/ext/v1/HX1/country-caps/IN"}},
      {Route::kRateLimits, {"/ext/v1/HX1/rate-limits"}},
      {Route::kSmppCredentials, {"/ext/v1/HX1/smpp-credentials"}},
      {Route::kSmppCredential, {"/ext/v1/HX1/smpp-credentials/smsgw1a2b3c4d"}},
      {Route::kOpenApi, {"/openapi.json"}},
  };
  return examples;
}

const std::vector<std::string_view> kHttpMethods = {"get",   "put",     "post", "delete",
                                                    "patch", "options", "head", "trace"};

class OpenApiDocumentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string_view text = OpenApiDocument();
    doc_.Parse(text.data(), text.size());
    ASSERT_FALSE(doc_.HasParseError())
        << "docs/api/openapi.json is not JSON, offset " << doc_.GetErrorOffset();
    ASSERT_TRUE(doc_.IsObject() && doc_.HasMember("paths") && doc_["paths"].IsObject());
  }

  // The documented methods of each path template, upper-case.
  std::map<std::string, std::set<std::string>> Documented() const {
    std::map<std::string, std::set<std::string>> out;
    for (const auto& path : doc_["paths"].GetObject()) {
      auto& methods = out[path.name.GetString()];
      for (const auto& member : path.value.GetObject()) {
        const std::string_view key(member.name.GetString(), member.name.GetStringLength());
        if (std::find(kHttpMethods.begin(), kHttpMethods.end(), key) != kHttpMethods.end()) {
          methods.insert(core::ToUpperAscii(key));
        }
      }
    }
    return out;
  }

  rapidjson::Document doc_;
};

std::vector<std::string> Split(std::string_view text, char sep) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const size_t at = text.find(sep);
    out.emplace_back(core::TrimAscii(text.substr(0, at)));
    text = at == std::string_view::npos ? std::string_view() : text.substr(at + 1);
  }
  return out;
}

// A template's {parameters} filled with values every route accepts.
std::string Concrete(const std::string& path_template) {
  std::string out;
  for (const std::string& segment : Split(path_template, '/')) {
    if (segment.empty()) {
      continue;
    }
    out += '/';
    out += segment == "{sid}" ? "HXIN1234567890IN" : segment.starts_with('{') ? "x1" : segment;
  }
  return out;
}

bool TemplateMatches(const std::string& path_template, const std::string& path) {
  const std::vector<std::string> t = Split(path_template, '/');
  const std::vector<std::string> p = Split(path, '/');
  if (t.size() != p.size()) {
    return false;
  }
  for (size_t i = 0; i < t.size(); ++i) {
    if (!(t[i].starts_with('{') && !p[i].empty()) && t[i] != p[i]) {
      return false;
    }
  }
  return true;
}

TEST_F(OpenApiDocumentTest, IsOpenApi31) {
  ASSERT_TRUE(doc_.HasMember("openapi") && doc_["openapi"].IsString());
  EXPECT_TRUE(std::string_view(doc_["openapi"].GetString()).starts_with("3.1."));
}

TEST_F(OpenApiDocumentTest, EveryDocumentedOperationIsARoute) {
  for (const auto& [path_template, methods] : Documented()) {
    EXPECT_FALSE(methods.empty()) << path_template << " documents no operation";
    const std::string path = Concrete(path_template);
    for (const std::string& method : methods) {
      const Route r = MatchRoute(http::string_to_verb(method), path);
      EXPECT_NE(r.kind, Route::kNotFound) << method << " " << path_template << " is no route";
      EXPECT_NE(r.kind, Route::kMethodNotAllowed)
          << method << " " << path_template << " is documented, but the path takes " << r.allow;
    }
  }
}

TEST_F(OpenApiDocumentTest, EveryRouteKindHasExamples) {
  for (int k = 0; k < Route::kNotFound; ++k) {
    const auto it = Examples().find(static_cast<Route::Kind>(k));
    EXPECT_TRUE(it != Examples().end() && !it->second.empty())
        << "Route::Kind " << k << " has no example path in openapi_test.cpp: add one";
  }
}

TEST_F(OpenApiDocumentTest, EveryRouteIsDocumentedWithItsMethods) {
  const auto documented = Documented();
  for (const auto& [kind, paths] : Examples()) {
    for (const std::string& path : paths) {
      // No route takes TRACE, so the answer names the methods the path takes.
      const Route probe = MatchRoute(verb::trace, path);
      ASSERT_EQ(probe.kind, Route::kMethodNotAllowed) << path;
      std::set<std::string> allowed;
      bool reaches_kind = false;
      for (const std::string& method : Split(probe.allow, ',')) {
        allowed.insert(method);
        reaches_kind = reaches_kind || MatchRoute(http::string_to_verb(method), path).kind == kind;
      }
      EXPECT_TRUE(reaches_kind) << path << " is not an example of Route::Kind " << kind;

      std::vector<std::string> templates;
      for (const auto& [path_template, methods] : documented) {
        if (TemplateMatches(path_template, path)) {
          templates.push_back(path_template);
        }
      }
      ASSERT_EQ(templates.size(), 1u) << path << " (" << probe.allow << ") is documented by "
                                      << templates.size() << " paths of openapi.json";
      EXPECT_EQ(documented.at(templates[0]), allowed)
          << templates[0] << ": the router takes " << probe.allow;
    }
  }
}

// Every code of the error table has an example in components/examples with its message and
// field, and every response that lists a code is under that code's HTTP status.
TEST_F(OpenApiDocumentTest, EveryErrorCodeIsDocumentedUnderItsStatus) {
  const rapidjson::Value* examples = rapidjson::Pointer("/components/examples").Get(doc_);
  ASSERT_TRUE(examples != nullptr && examples->IsObject());
  for (const ErrorSpec& spec : AllErrors()) {
    const std::string code(spec.code);
    const auto it = examples->FindMember(code.c_str());
    ASSERT_NE(it, examples->MemberEnd()) << code << " has no example";
    const rapidjson::Value& value = it->value["value"];
    EXPECT_EQ(std::string(value["code"].GetString()), code);
    EXPECT_EQ(std::string(value["message"].GetString()), spec.message) << code;
    if (!spec.field.empty()) {
      EXPECT_TRUE(value["error"].HasMember(std::string(spec.field).c_str())) << code;
    }
  }
  const std::string prefix = "#/components/";
  for (const auto& path : doc_["paths"].GetObject()) {
    for (const auto& op : path.value.GetObject()) {
      if (!op.value.IsObject() || !op.value.HasMember("responses")) {
        continue;
      }
      for (const auto& response : op.value["responses"].GetObject()) {
        const int status = std::stoi(response.name.GetString());
        const rapidjson::Value* r = &response.value;
        if (r->HasMember("$ref")) {
          const std::string ref = (*r)["$ref"].GetString();
          ASSERT_TRUE(ref.starts_with(prefix)) << ref;
          r = rapidjson::Pointer(("/components/" + ref.substr(prefix.size())).c_str()).Get(doc_);
          ASSERT_NE(r, nullptr) << ref;
        }
        const rapidjson::Value* errs =
            rapidjson::Pointer("/content/application~1json/examples").Get(*r);
        if (errs == nullptr || status < 400) {
          continue;
        }
        for (const auto& e : errs->GetObject()) {
          const std::string code = e.name.GetString();
          const auto spec = std::find_if(AllErrors().begin(), AllErrors().end(),
                                         [&](const ErrorSpec& s) { return s.code == code; });
          ASSERT_NE(spec, AllErrors().end()) << code << " is not in the error table";
          EXPECT_EQ(spec->http_status, status)
              << path.name.GetString() << " " << op.name.GetString() << " lists " << code;
        }
      }
    }
  }
}

}  // namespace
}  // namespace smsgw::api
