#pragma once
// The TLS side of an ESME session to an SMSC that wants SMPP over TLS ([[smsc]] tls = true): a
// client context, TLS 1.2+, that verifies the SMSC's certificate against `ca_file` (the system's
// trust store when empty) and, with `cert_file` and `key_file`, presents a client certificate.
// The session checks the certificate's name against the connector's host
// (PduConnection::StartTls). Built once per connector at start. Thread-safe.

#include <boost/asio/ssl.hpp>
#include <memory>
#include <string>

#include "core/result.h"

namespace smsgw::smpp {

core::Result<std::shared_ptr<boost::asio::ssl::context>> ClientTlsContext(
    const std::string& ca_file, const std::string& cert_file, const std::string& key_file);

}  // namespace smsgw::smpp
