// Every relative link in the project's Markdown files resolves: `[text](path)` and reference
// definitions (`[label]: path`), outside code blocks and code spans, with the anchor dropped.
// Links with a scheme (https:, mailto:) and bare anchors (#section) are not checked.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const fs::path kRoot = SMSGW_SOURCE_DIR;

// The project's own Markdown: not build trees, npm packages or the VCS.
std::vector<fs::path> MarkdownFiles() {
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(kRoot); it != fs::recursive_directory_iterator();
       ++it) {
    const std::string name = it->path().filename().string();
    if (it->is_directory() &&
        (name == "node_modules" || name == ".git" || name.starts_with("build"))) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && it->path().extension() == ".md") {
      files.push_back(it->path());
    }
  }
  return files;
}

// The text outside fenced code blocks, with code spans blanked, line by line.
std::vector<std::string> ProseLines(const fs::path& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  bool fenced = false;
  for (std::string line; std::getline(in, line);) {
    if (line.find("```") != std::string::npos && line.find_first_not_of(' ') == line.find("```")) {
      fenced = !fenced;
      lines.emplace_back();
      continue;
    }
    if (fenced) {
      lines.emplace_back();
      continue;
    }
    static const std::regex code_span("`[^`]*`");
    lines.push_back(std::regex_replace(line, code_span, ""));
  }
  return lines;
}

std::vector<std::string> LinkTargets(const std::string& line) {
  static const std::regex inline_link(R"(\]\(([^)\s]+)(\s+"[^"]*")?\))");
  static const std::regex reference(R"(^\s*\[[^\]]+\]:\s*(\S+))");
  std::vector<std::string> targets;
  for (std::sregex_iterator it(line.begin(), line.end(), inline_link), end; it != end; ++it) {
    targets.push_back((*it)[1]);
  }
  std::smatch m;
  if (std::regex_search(line, m, reference)) {
    targets.push_back(m[1]);
  }
  return targets;
}

bool IsRelative(const std::string& target) {
  static const std::regex scheme("^[A-Za-z][A-Za-z0-9+.-]*:");
  return !target.empty() && target[0] != '#' && !std::regex_search(target, scheme);
}

TEST(MarkdownLinksTest, EveryRelativeLinkResolves) {
  const std::vector<fs::path> files = MarkdownFiles();
  ASSERT_GT(files.size(), 10u) << "no Markdown found under " << kRoot;
  size_t checked = 0;
  for (const fs::path& file : files) {
    const std::vector<std::string> lines = ProseLines(file);
    for (size_t n = 0; n < lines.size(); ++n) {
      for (std::string target : LinkTargets(lines[n])) {
        if (!IsRelative(target)) {
          continue;
        }
        target = target.substr(0, target.find_first_of("#?"));
        const fs::path resolved =
            target.starts_with('/') ? kRoot / target.substr(1) : file.parent_path() / target;
        ++checked;
        EXPECT_TRUE(fs::exists(resolved))
            << fs::relative(file, kRoot).string() << ":" << n + 1 << ": " << target;
      }
    }
  }
  EXPECT_GT(checked, 20u) << "the link pattern found almost nothing: is it still right?";
}

// The checker itself: a link to nowhere is found, code is not read as links.
TEST(MarkdownLinksTest, FindsLinksButNotCode) {
  EXPECT_EQ(LinkTargets("see [a](docs/a.md) and [b](b.md#x \"t\")"),
            (std::vector<std::string>{"docs/a.md", "b.md#x"}));
  EXPECT_EQ(LinkTargets("[ref]: ../x.md"), (std::vector<std::string>{"../x.md"}));
  EXPECT_FALSE(IsRelative("https://example.com"));
  EXPECT_FALSE(IsRelative("#section"));
  EXPECT_FALSE(IsRelative("mailto:a@b"));
  EXPECT_TRUE(IsRelative("docs/x.md"));
}

}  // namespace
