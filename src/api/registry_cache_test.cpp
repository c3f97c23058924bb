// RegistryCache over a real SQLite store in a temp dir: hits need no store read, and every change
// to a template or sender, from this store object or another one on the same file (another
// process), is seen at once.

#include "api/registry_cache.h"

#include <gtest/gtest.h>

#include "fakes/temp_dir.h"
#include "store/sqlite/sqlite_store.h"

namespace smsgw::api {
namespace {

constexpr char kSid[] = "HXSG0000000001SG";
constexpr char kId[] = "101234567890";

class RegistryCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    serve_ = Open();
    cli_ = Open();
    ASSERT_TRUE(serve_ && cli_);
    cache_ = std::make_unique<RegistryCache>(*serve_, *serve_, *serve_);
    ASSERT_TRUE(cli_->CreateAccount(store::Account{kSid, "acme", {}, 0}));
  }
  std::unique_ptr<store::sqlite::SqliteStore> Open() {
    auto store = store::sqlite::SqliteStore::Open(dir_.File("smsgw.db"));
    EXPECT_TRUE(store) << store.error().message;
    return store ? std::move(*store) : nullptr;
  }
  void AddTemplate(const std::string& text) {
    store::Template t;
    t.sid = kSid;
    t.template_id = kId;
    t.text = text;
    ASSERT_TRUE(cli_->CreateTemplate(t));
  }
  // The template as the send path sees it: from the cache, resolving a miss.
  std::string TemplateText() {
    auto lookup = cache_->FindTemplate(kSid, kId);
    std::shared_ptr<const RegisteredTemplate> entry = lookup.value;
    if (!lookup.cached) {
      auto resolved = cache_->ResolveTemplateBlocking(kSid, kId);
      EXPECT_TRUE(resolved) << resolved.error().message;
      entry = resolved ? *resolved : nullptr;
    }
    return entry ? entry->record.text : "<none>";
  }

  fakes::TempDir dir_;
  std::unique_ptr<store::sqlite::SqliteStore> serve_, cli_;
  std::unique_ptr<RegistryCache> cache_;
};

TEST_F(RegistryCacheTest, MissThenHit) {
  AddTemplate("Hi {#name#}");
  EXPECT_FALSE(cache_->FindTemplate(kSid, kId).cached);
  auto resolved = cache_->ResolveTemplateBlocking(kSid, kId);
  ASSERT_TRUE(resolved);
  ASSERT_NE(*resolved, nullptr);
  EXPECT_EQ((*resolved)->text.placeholders(), std::vector<std::string>{"name"});
  auto hit = cache_->FindTemplate(kSid, kId);
  ASSERT_TRUE(hit.cached);
  EXPECT_EQ(hit.value, *resolved) << "a hit hands out the cached entry";
  // Another account's template of the same id is another key.
  EXPECT_FALSE(cache_->FindTemplate("HXSG0000000002SG", kId).cached);
}

TEST_F(RegistryCacheTest, AbsenceIsCachedToo) {
  EXPECT_EQ(TemplateText(), "<none>");
  auto again = cache_->FindTemplate(kSid, kId);
  EXPECT_TRUE(again.cached);
  EXPECT_EQ(again.value, nullptr);
}

TEST_F(RegistryCacheTest, ChangesFromAnotherProcessAreSeenAtOnce) {
  EXPECT_EQ(TemplateText(), "<none>");  // "not registered" is now cached
  AddTemplate("one");
  EXPECT_EQ(TemplateText(), "one");
  store::TemplateChange change;
  change.text = "two";
  ASSERT_TRUE(cli_->UpdateTemplate(kSid, kId, change, {}));
  EXPECT_EQ(TemplateText(), "two");
  ASSERT_TRUE(cli_->DeleteTemplate(kSid, kId));
  EXPECT_EQ(TemplateText(), "<none>");
}

TEST_F(RegistryCacheTest, SendersAreCachedAndInvalidated) {
  auto sender = [&]() -> std::string {
    auto lookup = cache_->FindSender(kSid, "ACMEIN");
    std::shared_ptr<const store::Sender> entry = lookup.value;
    if (!lookup.cached) {
      auto resolved = cache_->ResolveSenderBlocking(kSid, "ACMEIN");
      EXPECT_TRUE(resolved);
      entry = resolved ? *resolved : nullptr;
    }
    return entry ? entry->entity_id : "<none>";
  };
  EXPECT_EQ(sender(), "<none>");
  EXPECT_TRUE(cache_->FindSender(kSid, "ACMEIN").cached);
  ASSERT_TRUE(cli_->RegisterSenders(
      kSid, std::vector{store::Sender{kSid, "ACMEIN", "", "", "120000000001", {}, {}}}, {}));
  EXPECT_EQ(sender(), "120000000001");
  EXPECT_TRUE(cache_->FindSender(kSid, "ACMEIN").cached);
  ASSERT_TRUE(cli_->DeleteSender(kSid, "ACMEIN"));
  EXPECT_EQ(sender(), "<none>");
}

// A send names a profile: whether it is the account's comes from memory once seen, and a profile
// created or deleted elsewhere is seen at once.
TEST_F(RegistryCacheTest, ProfilesAreKnownPerAccountAndInvalidated) {
  const std::string id = "SG_0d4c6f5e-8a11-4c1e-9b6a-1f2e3d4c5b6a";
  auto exists = [&](const char* sid) {
    auto lookup = cache_->FindCallbackProfile(sid, id);
    if (lookup.cached) {
      return lookup.value != nullptr;
    }
    auto resolved = cache_->ResolveCallbackProfileBlocking(sid, id);
    EXPECT_TRUE(resolved);
    return resolved && *resolved != nullptr;
  };
  EXPECT_FALSE(exists(kSid));
  EXPECT_TRUE(cache_->FindCallbackProfile(kSid, id).cached);
  store::CallbackProfile p;
  p.id = id;
  p.sid = kSid;
  p.url = "https://crm.example.com/h";
  p.method = "POST";
  ASSERT_TRUE(cli_->CreateCallbackProfile(p));
  EXPECT_TRUE(exists(kSid));
  ASSERT_TRUE(cli_->CreateAccount(store::Account{"HXSG0000000002SG", "other", {}, 0}));
  EXPECT_FALSE(exists("HXSG0000000002SG")) << "another account's profile";
  ASSERT_TRUE(cli_->DeleteCallbackProfile(kSid, id));
  EXPECT_FALSE(exists(kSid));
}

TEST_F(RegistryCacheTest, AStoredTextThatNoLongerParsesIsAnInternalError) {
  AddTemplate("ok");
  store::TemplateChange change;
  change.text = "broken {#";  // the store keeps what it is given; validation is the API's
  ASSERT_TRUE(cli_->UpdateTemplate(kSid, kId, change, {}));
  auto resolved = cache_->ResolveTemplateBlocking(kSid, kId);
  ASSERT_FALSE(resolved);
  EXPECT_EQ(resolved.error().code, core::Errc::kInternal);
}

TEST(VersionedCache, AValueReadBeforeAChangeIsNotKept) {
  VersionedCache<int> cache;
  EXPECT_FALSE(cache.Find("k", 1).cached);
  cache.Put("k", std::make_shared<const int>(1), 1);
  EXPECT_TRUE(cache.Find("k", 1).cached);
  // The version moved (a change) between the read and the Put: the value may be stale.
  EXPECT_FALSE(cache.Find("k", 2).cached);
  cache.Put("k", std::make_shared<const int>(1), 1);
  EXPECT_FALSE(cache.Find("k", 2).cached);
  cache.Put("k", std::make_shared<const int>(2), 2);
  auto hit = cache.Find("k", 2);
  ASSERT_TRUE(hit.cached);
  EXPECT_EQ(*hit.value, 2);
}

}  // namespace
}  // namespace smsgw::api
