#include "core/secrets.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

namespace steward {
namespace {

TEST(SecretsTest, RandomIdsAreUrlSafeAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = RandomBase32(16);
    EXPECT_EQ(id.size(), 26u);
    EXPECT_EQ(id.find_first_not_of("abcdefghijklmnopqrstuvwxyz234567"), std::string::npos);
    EXPECT_TRUE(seen.insert(id).second);
  }
  std::string code = RandomDigits(6);
  EXPECT_EQ(code.size(), 6u);
  EXPECT_EQ(code.find_first_not_of("0123456789"), std::string::npos);
}

TEST(SecretsTest, Sha256MatchesKnownVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(SecretsTest, ConstantTimeEqual) {
  EXPECT_TRUE(ConstantTimeEqual("123456", "123456"));
  EXPECT_FALSE(ConstantTimeEqual("123456", "123457"));
  EXPECT_FALSE(ConstantTimeEqual("12345", "123456"));
}

TEST(SecretsTest, KeyedHashesAreStablePerPurposeAndKey) {
  InstanceKey a = InstanceKey::Generate();
  InstanceKey b = InstanceKey::Generate();
  EXPECT_EQ(a.KeyedHash("email", "x@example.com"), a.KeyedHash("email", "x@example.com"));
  EXPECT_NE(a.KeyedHash("email", "x@example.com"), a.KeyedHash("token", "x@example.com"));
  EXPECT_NE(a.KeyedHash("email", "x@example.com"), b.KeyedHash("email", "x@example.com"));
  EXPECT_EQ(a.KeyedHash("email", "x").size(), 64u);
}

TEST(SecretsTest, SealOpensOnlyUnaltered) {
  InstanceKey a = InstanceKey::Generate();
  std::string sealed = a.Seal("{\"name\":\"Ada\"}");
  EXPECT_EQ(sealed.find("Ada"), std::string::npos);
  EXPECT_EQ(*a.Open(sealed), "{\"name\":\"Ada\"}");
  std::string tampered = sealed;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(a.Open(tampered));
  EXPECT_FALSE(InstanceKey::Generate().Open(sealed));
  EXPECT_FALSE(a.Open("!!"));
}

TEST(SecretsTest, KeyFileIsCreatedPrivateAndReloaded) {
  auto dir = std::filesystem::temp_directory_path() / ("steward-key-" + RandomBase32(6));
  std::filesystem::create_directories(dir);
  auto path = dir / "secret.key";
  EXPECT_FALSE(InstanceKey::LoadOrCreate(path, false));
  auto created = InstanceKey::LoadOrCreate(path, true);
  ASSERT_TRUE(created);
  auto perms = std::filesystem::status(path).permissions();
  EXPECT_EQ(perms & std::filesystem::perms::all, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto loaded = InstanceKey::LoadOrCreate(path, false);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(created->KeyedHash("p", "d"), loaded->KeyedHash("p", "d"));
  std::filesystem::remove_all(dir);
}

}  // namespace
TEST(KeyedHasher, GivesTheSameHashAsKeyedHash) {
  const InstanceKey key = InstanceKey::Generate();
  const KeyedHasher hasher = key.Hasher("consent-subject");
  EXPECT_EQ(hasher.Hash("email:a@example.com"), key.KeyedHash("consent-subject", "email:a@example.com"));
  EXPECT_EQ(hasher.Hash(""), key.KeyedHash("consent-subject", ""));
  EXPECT_NE(hasher.Hash("x"), key.KeyedHash("other-purpose", "x"));
}

}  // namespace steward
