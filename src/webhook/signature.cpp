#include "webhook/signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>
#include <optional>
#include <vector>

namespace smsgw::webhook {

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  // HMAC() is the one-shot form OpenSSL 3 keeps undeprecated.
  const unsigned char* ok =
      HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &mac_len);
  if (ok == nullptr) {
    return "";
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(mac_len * 2);
  for (unsigned int i = 0; i < mac_len; ++i) {
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
