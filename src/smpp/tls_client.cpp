#include "smpp/tls_client.h"

#include <openssl/ssl.h>

namespace smsgw::smpp {

core::Result<std::shared_ptr<boost::asio::ssl::context>> ClientTlsContext(
    const std::string& ca_file, const std::string& cert_file, const std::string& key_file) {
  namespace ssl = boost::asio::ssl;
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                       SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  context->set_verify_mode(ssl::verify_peer);
  boost::system::error_code ec;
  if (ca_file.empty()) {
    context->set_default_verify_paths(ec);
  } else {
    context->load_verify_file(ca_file, ec);
  }
  if (ec) {
    return core::MakeError(core::Errc::kInvalidArgument,
                           "tls_ca_file " + (ca_file.empty() ? std::string("(system)") : ca_file) +
                               ": cannot use it: " + ec.message());
  }
  if (!cert_file.empty()) {
    context->use_certificate_chain_file(cert_file, ec);
    if (!ec) {
      context->use_private_key_file(key_file, ssl::context::pem, ec);
    }
    if (ec) {
      return core::MakeError(core::Errc::kInvalidArgument,
                             "tls_cert_file " + cert_file + " / tls_key_file " + key_file +
                                 ": cannot use them: " + ec.message());
    }
  }
  return context;
}

}  // namespace smsgw::smpp
