#include "fakes/temp_dir.h"

#include <stdlib.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <system_error>

namespace smsgw::fakes {
namespace {

std::filesystem::path BaseDir() {
  for (const char* var : {"TEST_TMPDIR", "TMPDIR"}) {
    if (const char* dir = std::getenv(var); dir != nullptr && dir[0] != '\0') {
      return dir;
    }
  }
  return "/tmp";
}

}  // namespace

TempDir::TempDir() {
  std::string pattern = (BaseDir() / "smsgw-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    std::fprintf(stderr, "TempDir: mkdtemp(%s): %s\n", pattern.c_str(), std::strerror(errno));
    std::abort();
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::WriteFile(const std::string& name, const std::string& text) const {
  const std::string file = File(name);
  std::ofstream(file, std::ios::binary) << text;
  return file;
}

}  // namespace smsgw::fakes
