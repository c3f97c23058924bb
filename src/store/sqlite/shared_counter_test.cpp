#include "store/sqlite/shared_counter.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "fakes/temp_dir.h"

namespace smsgw::store::sqlite {
namespace {

TEST(SharedCounter, CreatesAnEightByteFile) {
  fakes::TempDir dir;
  const std::string path = dir.File("counter");
  auto counter = SharedCounter::Open(path);
  ASSERT_TRUE(counter) << counter.error().message;
  EXPECT_EQ(std::filesystem::file_size(path), 8u);
  // Seeded from the clock, so that a recreated file does not repeat small values.
  EXPECT_GT(counter->Load(), 1'000'000'000u);
}

TEST(SharedCounter, IncrementsAreSeenThroughEveryMapping) {
  fakes::TempDir dir;
  auto a = SharedCounter::Open(dir.File("counter"));
  auto b = SharedCounter::Open(dir.File("counter"));
  ASSERT_TRUE(a && b);
  const uint64_t start = a->Load();
  EXPECT_EQ(b->Load(), start);
  a->Increment();
  EXPECT_EQ(b->Load(), start + 1);
  b->Increment();
  b->Increment();
  EXPECT_EQ(a->Load(), start + 3);
}

TEST(SharedCounter, IncrementsFromAnotherProcessAreSeen) {
  fakes::TempDir dir;
  auto counter = SharedCounter::Open(dir.File("counter"));
  ASSERT_TRUE(counter);
  const uint64_t start = counter->Load();
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // A separate process with its own mapping of the same file.
    auto own = SharedCounter::Open(dir.File("counter"));
    if (own) {
      for (int i = 0; i < 5; ++i) {
        own->Increment();
      }
    }
    ::_exit(own ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(counter->Load(), start + 5);
}

TEST(SharedCounter, ValueOutlivesTheMappings) {
  fakes::TempDir dir;
  uint64_t value = 0;
  {
    auto counter = SharedCounter::Open(dir.File("counter"));
    ASSERT_TRUE(counter);
    counter->Increment();
    value = counter->Load();
  }
  auto reopened = SharedCounter::Open(dir.File("counter"));
  ASSERT_TRUE(reopened);
  EXPECT_EQ(reopened->Load(), value);
}

TEST(SharedCounter, ExtendsAnEmptyFileLeftByAnotherOpener) {
  fakes::TempDir dir;
  const std::string path = dir.File("counter");
  {
    std::FILE* f = std::fopen(path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fclose(f);
  }
  auto counter = SharedCounter::Open(path);
  ASSERT_TRUE(counter) << counter.error().message;
  EXPECT_EQ(std::filesystem::file_size(path), 8u);
  EXPECT_EQ(counter->Load(), 0u);  // not the creator: it must not reseed
  counter->Increment();
  EXPECT_EQ(counter->Load(), 1u);
}

TEST(SharedCounter, UnusablePathIsUnavailable) {
  fakes::TempDir dir;
  auto in_missing_dir = SharedCounter::Open(dir.File("no/such/dir/counter"));
  ASSERT_FALSE(in_missing_dir);
  EXPECT_EQ(in_missing_dir.error().code, core::Errc::kUnavailable);
  auto a_directory = SharedCounter::Open(dir.path().string());
  ASSERT_FALSE(a_directory);
  EXPECT_EQ(a_directory.error().code, core::Errc::kUnavailable);
}

}  // namespace
}  // namespace smsgw::store::sqlite
