#include "core/ids.h"

#include <gtest/gtest.h>

#include <cctype>
#include <regex>
#include <set>
#include <thread>

namespace smsgw::core {
namespace {

TEST(Ids, UuidIsVersion7AndUnique) {
  const std::regex shape("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = NewUuid();
    EXPECT_TRUE(std::regex_match(id, shape)) << id;
    EXPECT_TRUE(seen.insert(id).second);
  }
}

TEST(Ids, UuidsSortByCreationTime) {
  const std::string first = NewUuid();
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  const std::string second = NewUuid();
  EXPECT_LT(first, second);
}

TEST(Ids, SidAndKeyHaveKaleyraShape) {
  EXPECT_TRUE(std::regex_match(NewAccountSid(Region::kIn), std::regex("HXIN[0-9]{10}IN")));
  const std::string key = NewApiKey();
  EXPECT_TRUE(std::regex_match(key, std::regex("A[0-9a-f]{32}")));
  EXPECT_TRUE(LooksLikeApiKey(key));
  EXPECT_FALSE(LooksLikeApiKey("B" + key.substr(1)));
  EXPECT_FALSE(LooksLikeApiKey(key.substr(1)));
  EXPECT_NE(NewApiKey(), key);
}

TEST(Ids, SmppCredentialsHaveTheirShapes) {
  std::set<std::string> passwords;
  for (int i = 0; i < 200; ++i) {
    const std::string password = NewSmppPassword();
    ASSERT_EQ(password.size(), 8u);
    for (char c : password) {
      EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << password;
    }
    passwords.insert(password);
  }
  EXPECT_EQ(passwords.size(), 200u);
  const std::string system_id = NewSmppSystemId();
  EXPECT_EQ(system_id.size(), 13u);  // within SMPP's 15 characters
  EXPECT_TRUE(system_id.starts_with("smsgw"));
  EXPECT_EQ(NewSalt().size(), 32u);
  EXPECT_NE(NewSalt(), NewSalt());
}

TEST(Ids, PasswordHashDependsOnSaltAndSecret) {
  const std::string hash = PasswordHashHex("salt", "secret12");
  // PBKDF2-HMAC-SHA256, 10,000 iterations, from Python's hashlib.pbkdf2_hmac.
  EXPECT_EQ(hash, "81a77693947918b6c56e9df83c88e7d7dafbe6b0f9c33a984f2f04f664242a71");
  EXPECT_NE(hash, PasswordHashHex("salt2", "secret12"));
  EXPECT_NE(hash, PasswordHashHex("salt", "secret13"));
  EXPECT_TRUE(HashesEqual(hash, PasswordHashHex("salt", "secret12")));
  EXPECT_FALSE(HashesEqual(hash, PasswordHashHex("salt", "secret13")));
  EXPECT_FALSE(HashesEqual(hash, hash.substr(1)));
}

TEST(Ids, Sha256KnownVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace smsgw::core
