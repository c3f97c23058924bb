#include "webhook/basic_auth.h"

#include <openssl/evp.h>

namespace smsgw::webhook {

std::string BasicAuthorization(std::string_view user, std::string_view password) {
  std::string credentials;
  credentials.reserve(user.size() + 1 + password.size());
  credentials.append(user).append(":").append(password);
  std::string out(4 * ((credentials.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(credentials.data()),
                                static_cast<int>(credentials.size()));
  out.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return "Basic " + out;
}

}  // namespace smsgw::webhook
