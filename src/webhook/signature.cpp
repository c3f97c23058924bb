#include "webhook/signature.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <charconv>
#include <memory>
#include <optional>
#include <vector>

namespace smsgw::webhook {

namespace {

// Every webhook is signed. HMAC() looks HMAC and SHA-256 up in OpenSSL 3's provider store and
// allocates a context on every call (~32k instructions for a 400-byte body, ~24k this way): the
// MAC is fetched once, and each thread keeps a context with its digest set, keyed afresh per call
// (accounts have their own secrets).
EVP_MAC_CTX* HmacSha256Context() {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  struct Free {
    void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
  };
  thread_local const std::unique_ptr<EVP_MAC_CTX, Free> ctx([]() -> EVP_MAC_CTX* {
    EVP_MAC_CTX* made = mac != nullptr ? EVP_MAC_CTX_new(mac) : nullptr;
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    if (made != nullptr && EVP_MAC_CTX_set_params(made, params) != 1) {
      EVP_MAC_CTX_free(made);
      made = nullptr;
    }
    return made;
  }());
  return ctx.get();
}

}  // namespace

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  EVP_MAC_CTX* ctx = HmacSha256Context();
  if (ctx == nullptr) {
    return "";
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  size_t mac_len = 0;
  // An empty key is a valid HMAC key; OpenSSL wants a non-null pointer for it.
  static const unsigned char kNoKey = 0;
  const auto* key_bytes =
      key.empty() ? &kNoKey : reinterpret_cast<const unsigned char*>(key.data());
  if (EVP_MAC_init(ctx, key_bytes, key.size(), nullptr) != 1 ||
      EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1 ||
      EVP_MAC_final(ctx, mac, &mac_len, sizeof(mac)) != 1) {
    return "";
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(mac_len * 2);
  for (size_t i = 0; i < mac_len; ++i) {
    hex.push_back(kHex[mac[i] >> 4]);
    hex.push_back(kHex[mac[i] & 0xF]);
  }
  return hex;
}

std::string SignatureHeaderValue(std::string_view secret, int64_t unix_seconds,
                                 std::string_view signed_part) {
  const std::string t = std::to_string(unix_seconds);
  std::string message;
  message.reserve(t.size() + 1 + signed_part.size());
  message.append(t).append(".").append(signed_part);
  return "t=" + t + ",v1=" + HmacSha256Hex(secret, message);
}

bool VerifySignature(std::string_view header, std::string_view secret, std::string_view signed_part,
                     core::TimePoint now, std::chrono::seconds tolerance) {
  std::optional<int64_t> t;
  std::string_view t_text;
  std::vector<std::string_view> signatures;
  while (!header.empty()) {
    const size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') {
      item.remove_prefix(1);
    }
    if (item.starts_with("t=")) {
      t_text = item.substr(2);
      int64_t value = 0;
      auto [end, ec] = std::from_chars(t_text.data(), t_text.data() + t_text.size(), value);
      if (ec != std::errc() || end != t_text.data() + t_text.size()) {
        return false;
      }
      t = value;
    } else if (item.starts_with("v1=")) {
      signatures.push_back(item.substr(3));
    }
  }
  if (!t || signatures.empty()) {
    return false;
  }
  const int64_t now_s =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const int64_t skew = now_s > *t ? now_s - *t : *t - now_s;
  if (skew > tolerance.count()) {
    return false;
  }
  std::string message(t_text);
  message.append(".").append(signed_part);
  const std::string expected = HmacSha256Hex(secret, message);
  bool match = false;
  for (std::string_view sig : signatures) {
    if (sig.size() == expected.size() &&
        CRYPTO_memcmp(sig.data(), expected.data(), expected.size()) == 0) {
      match = true;
    }
  }
  return match;
}

}  // namespace smsgw::webhook
