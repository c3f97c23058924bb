// HTTPS on the API (issue 13): TLS 1.2+ with the certificate the test makes, verified by an
// independent client (libcurl); plain HTTP and TLS 1.1 refused; SIGHUP reloads a renewed
// certificate for new connections; a bad certificate or key stops the start with a reason.

#include <curl/curl.h>
#include <signal.h>

#include <memory>
#include <string>

#include "fixture.h"
#include "support/test_certs.h"

namespace smsgw::itest {
namespace {

struct CurlResult {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
  std::string error;
};

size_t Append(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// One request with a fresh libcurl handle (no connection reuse), trusting only `ca_file`.
CurlResult Curl(const std::string& url, const std::string& ca_file, const std::string& key,
                const std::string& body, long max_tls = 0) {
  CurlResult r;
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  char error[CURL_ERROR_SIZE] = {};
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, ("api-key: " + key).c_str());
  headers = curl_slist_append(headers, "Content-Type: application/json");
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_CAINFO, ca_file.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_CAPATH, nullptr);
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, &Append);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, 20L);
  curl_easy_setopt(curl.get(), CURLOPT_NOPROXY, "*");
  if (max_tls != 0) {
    curl_easy_setopt(curl.get(), CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1 | max_tls);
  }
  r.code = curl_easy_perform(curl.get());
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &r.status);
  r.error = error;
  curl_slist_free_all(headers);
  return r;
}

constexpr const char* kBody = R"({"to":"+919876543210","sender":"ACMEIN","body":"Hi"})";

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const testing::TestCertificate first = testing::MakeSelfSignedCertificate("smsgw-first");
    ca_ = gw_.dir().WriteFile("ca-first.pem", first.cert_pem);
    cert_ = gw_.dir().WriteFile("cert.pem", first.cert_pem);
    key_ = gw_.dir().WriteFile("key.pem", first.key_pem);
    account_ = gw_.CreateAccount("acme");
    gw_.set_config(gw_.dir().WriteFile("smsgw.toml", std::string(kOfflineSmscConfig) +
                                                         "[server]\ntls_cert = " + Quote(cert_) +
                                                         "\ntls_key = " + Quote(key_) + "\n"));
    gw_.Start();
    ASSERT_NE(gw_.port(), 0);
    url_ = "https://127.0.0.1:" + std::to_string(gw_.port()) + "/v1/" + account_.sid + "/messages";
  }

  Smsgw gw_;
  Account account_;
  std::string ca_, cert_, key_, url_;
};

TEST_F(TlsTest, TheApiIsHttpsOnly) {
  EXPECT_NE(gw_.server()->Stdout().find("smsgw listening on https://127.0.0.1:"),
            std::string::npos);
  const CurlResult ok = Curl(url_, ca_, account_.api_key, kBody);
  ASSERT_EQ(ok.code, CURLE_OK) << ok.error;
  EXPECT_EQ(ok.status, 200) << ok.body;
  // TLS 1.1 and older are refused in the handshake.
  const CurlResult old = Curl(url_, ca_, account_.api_key, kBody, CURL_SSLVERSION_MAX_TLSv1_1);
  EXPECT_NE(old.code, CURLE_OK) << "a TLS 1.1 handshake succeeded";
  // Plain HTTP on the HTTPS port gets no HTTP answer.
  HttpConnection plain(gw_.port());
  ASSERT_TRUE(plain.connected());
  std::string error;
  auto r = plain.Request("POST", "/v1/" + account_.sid + "/messages",
                         {{"api-key", account_.api_key}}, kBody, &error, 10s);
  EXPECT_FALSE(r.has_value() && r->status == 200) << "plain HTTP was served";
}

TEST_F(TlsTest, SighupReloadsARenewedCertificate) {
  ASSERT_EQ(Curl(url_, ca_, account_.api_key, kBody).status, 200);
  const testing::TestCertificate second = testing::MakeSelfSignedCertificate("smsgw-second");
  const std::string second_ca = gw_.dir().WriteFile("ca-second.pem", second.cert_pem);
  gw_.dir().WriteFile("cert.pem", second.cert_pem);
  gw_.dir().WriteFile("key.pem", second.key_pem);
  gw_.server()->Signal(SIGHUP);
  const auto deadline = Clock::now() + 20s;
  while (gw_.server()->Stderr().find("TLS certificate reloaded") == std::string::npos &&
         Clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_NE(gw_.server()->Stderr().find("TLS certificate reloaded"), std::string::npos)
      << gw_.server()->Stderr();
  const CurlResult renewed = Curl(url_, second_ca, account_.api_key, kBody);
  ASSERT_EQ(renewed.code, CURLE_OK) << renewed.error;
  EXPECT_EQ(renewed.status, 200);
  EXPECT_NE(Curl(url_, ca_, account_.api_key, kBody).code, CURLE_OK)
      << "the old certificate is still served";
  // A broken file on SIGHUP keeps the certificate that works.
  gw_.dir().WriteFile("key.pem", "not a key");
  gw_.server()->Signal(SIGHUP);
  while (gw_.server()->Stderr().find("TLS not reloaded") == std::string::npos &&
         Clock::now() < deadline + 20s) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_NE(gw_.server()->Stderr().find("TLS not reloaded"), std::string::npos);
  EXPECT_EQ(Curl(url_, second_ca, account_.api_key, kBody).status, 200);
}

TEST(TlsStart, ABadCertificateOrKeyStopsTheStartWithAReason) {
  Smsgw gw;
  gw.CreateAccount("acme");
  const testing::TestCertificate a = testing::MakeSelfSignedCertificate("a");
  const testing::TestCertificate b = testing::MakeSelfSignedCertificate("b");
  const std::string cert = gw.dir().WriteFile("a.pem", a.cert_pem);
  const std::string other_key = gw.dir().WriteFile("b.key", b.key_pem);
  for (const auto& [c, k, reason] :
       {std::tuple{cert, other_key, std::string("key values mismatch")},
        std::tuple{gw.dir().File("missing.pem"), other_key, std::string("cannot use it")}}) {
    const std::string config = gw.dir().WriteFile(
        "smsgw.toml", std::string(kOfflineSmscConfig) + "[server]\ntls_cert = " + Quote(c) +
                          "\ntls_key = " + Quote(k) + "\n");
    CommandResult run =
        RunCommand({BinaryPath(), "serve", "--listen", "127.0.0.1:0", "--admin-listen",
                    "127.0.0.1:0", "--data", gw.data(), "--config", config},
                   30s);
    EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
    EXPECT_NE(run.err.find(reason), std::string::npos) << run.err;
  }
}

}  // namespace
}  // namespace smsgw::itest
