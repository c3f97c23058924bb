#pragma once
// Certificates the tests make for themselves (OpenSSL): a self-signed EC P-256 certificate for
// 127.0.0.1 and localhost, valid from an hour ago for a day, to serve HTTPS or SMPP over TLS on
// loopback and to trust as the only CA. Nothing is read from the system's trust store.

#include <string>
#include <string_view>

namespace smsgw::testing {

struct TestCertificate {
  std::string cert_pem;  // the certificate, PEM
  std::string key_pem;   // its private key, PEM (PKCS#8)
};

// Throws std::runtime_error when OpenSSL fails (it does not in practice).
TestCertificate MakeSelfSignedCertificate(std::string_view common_name);

}  // namespace smsgw::testing
