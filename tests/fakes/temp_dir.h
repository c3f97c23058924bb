#pragma once
// TempDir is a fresh, empty directory for one test (under $TEST_TMPDIR, $TMPDIR or /tmp), removed
// with everything in it when the object is destroyed. Aborts the test binary if it cannot be
// created: a test without its directory has nothing to run against. Thread-compatible.

#include <filesystem>
#include <string>

namespace smsgw::fakes {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }
  // `name` inside the directory, as a string (the form store factories take).
  std::string File(const std::string& name) const { return (path_ / name).string(); }
  // Writes `text` to `name` inside the directory and returns the file's path.
  std::string WriteFile(const std::string& name, const std::string& text) const;

 private:
  std::filesystem::path path_;
};

}  // namespace smsgw::fakes
