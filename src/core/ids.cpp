#include "core/ids.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <random>
#include <stdexcept>

namespace smsgw::core {
namespace {

constexpr char kHex[] = "0123456789abcdef";

std::mt19937_64& Prng() {
  thread_local std::mt19937_64 prng{[] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }()};
  return prng;
}

// Every API request hashes its key. With EVP_sha256() and EVP_Digest, OpenSSL 3 looks the
// algorithm up in its provider store and allocates a context on every call, several times the
// cost of hashing 33 bytes; the algorithm is fetched once and each thread keeps its context.
const EVP_MD* Sha256() {
  static const EVP_MD* const md = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (fetched == nullptr) {
      throw std::runtime_error("OpenSSL has no SHA-256");
    }
    return fetched;
  }();
  return md;
}

EVP_MD_CTX* Sha256Context() {
  struct Free {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
  };
  thread_local const std::unique_ptr<EVP_MD_CTX, Free> ctx(EVP_MD_CTX_new());
  if (!ctx) {
    throw std::runtime_error("OpenSSL EVP_MD_CTX_new failed");
  }
  return ctx.get();
}

void SecureRandom(unsigned char* out, int n) {
  if (RAND_bytes(out, n) != 1) {
    // No entropy means no safe keys: this is a broken machine, not bad input.
    throw std::runtime_error("OpenSSL RAND_bytes failed");
  }
}

}  // namespace

std::string NewUuid() {
  std::array<uint8_t, 16> b;
  const uint64_t millis =
      static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count());
  const uint64_t hi = Prng()();
  const uint64_t lo = Prng()();
  for (int i = 0; i < 6; ++i) {  // RFC 9562 §5.7: 48-bit big-endian Unix milliseconds first
    b[i] = static_cast<uint8_t>(millis >> (8 * (5 - i)));
  }
  b[6] = static_cast<uint8_t>(hi);
  b[7] = static_cast<uint8_t>(hi >> 8);
  for (int i = 0; i < 8; ++i) {
    b[8 + i] = static_cast<uint8_t>(lo >> (8 * i));
  }
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x70);  // version 7
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);  // variant 10
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      out.push_back('-');
    }
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0xf]);
  }
  return out;
}

std::string NewAccountSid(Region region) {
  unsigned char raw[10];
  SecureRandom(raw, sizeof raw);
  std::string sid = "HX";
  sid += ToString(region);
  for (unsigned char c : raw) {
    sid.push_back(static_cast<char>('0' + c % 10));
  }
  sid += ToString(region);
  return sid;
}

std::string NewApiKey() {
  unsigned char raw[16];
  SecureRandom(raw, sizeof raw);
  std::string key = "A";
  for (unsigned char c : raw) {
    key.push_back(kHex[c >> 4]);
    key.push_back(kHex[c & 0xf]);
  }
  return key;
}

bool LooksLikeApiKey(std::string_view key) {
  if (key.size() != 33 || key[0] != 'A') {
    return false;
  }
  for (char c : key.substr(1)) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) {
      return false;
    }
  }
  return true;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_MD_CTX* ctx = Sha256Context();
  if (EVP_DigestInit_ex2(ctx, Sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx, digest, &len) != 1) {
    throw std::runtime_error("OpenSSL SHA-256 failed");
  }
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  return out;
}

std::string NewSmppPassword() {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  // Octets at or above the largest multiple of 62 are drawn again, so every character is
  // equally likely.
  constexpr unsigned kLimit = 256 - 256 % kAlphabet.size();
  std::string password;
  while (password.size() < 8) {
    unsigned char raw[16];
    SecureRandom(raw, sizeof raw);
    for (unsigned char c : raw) {
      if (c < kLimit && password.size() < 8) {
        password.push_back(kAlphabet[c % kAlphabet.size()]);
      }
    }
  }
  return password;
}

namespace {

std::string RandomHex(size_t bytes) {
  std::string out;
  std::array<unsigned char, 32> raw{};
  SecureRandom(raw.data(), static_cast<int>(bytes));
  for (size_t i = 0; i < bytes; ++i) {
    out.push_back(kHex[raw[i] >> 4]);
    out.push_back(kHex[raw[i] & 0xf]);
  }
  return out;
}

}  // namespace

std::string NewSmppSystemId() { return "smsgw" + RandomHex(4); }

std::string NewSalt() { return RandomHex(16); }

std::string PasswordHashHex(std::string_view salt, std::string_view secret) {
  std::array<unsigned char, 32> key{};
  // Fails only on allocation failure; a zero key then matches no stored hash.
  (void)PKCS5_PBKDF2_HMAC(secret.data(), static_cast<int>(secret.size()),
                          reinterpret_cast<const unsigned char*>(salt.data()),
                          static_cast<int>(salt.size()), kPasswordHashIterations, EVP_sha256(),
                          static_cast<int>(key.size()), key.data());
  std::string out;
  out.reserve(key.size() * 2);
  for (unsigned char c : key) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xf]);
  }
  return out;
}

bool HashesEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace smsgw::core
