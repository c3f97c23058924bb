#pragma once
// The API's TLS settings: a server context from PEM files, TLS 1.2 and 1.3 only, with the
// forward-secret AEAD ciphers of Mozilla's "intermediate" profile for TLS 1.2 (TLS 1.3 suites
// are all of that kind). Built at start and again on SIGHUP (HttpServer::SetTls swaps it in for
// new connections). Thread-safe.

#include <boost/asio/ssl.hpp>
#include <memory>
#include <string>

#include "core/result.h"

namespace smsgw::api {

// `cert_file`: the certificate chain (leaf first), `key_file`: its private key; both PEM. Fails
// with a reason naming the file when either cannot be read or they do not belong together.
core::Result<std::shared_ptr<boost::asio::ssl::context>> ServerTlsContext(
    const std::string& cert_file, const std::string& key_file);

}  // namespace smsgw::api
