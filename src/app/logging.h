#pragma once
// serve's logs as [log] says (docs/configuration.md): text lines or JSON lines (time, level,
// component, structured fields, message), a minimum level, and stderr or a file that SIGHUP reopens
// (logrotate moves the file, SIGHUP makes serve write to a new one). The component is the source
// folder of the line (`delivery`, `smpp`, `api`, ...): every log call is an SPDLOG_* macro, which
// carries its file. Set up once at start, before other threads; Reopen from any thread.

#include <memory>
#include <string>
#include <string_view>

#include "config/config.h"
#include "core/result.h"

namespace spdlog {
class formatter;
}

namespace smsgw::app {

class ReopenableFileSink;

class LogOutput {
 public:
  // Makes the default logger write as `config` says. Errors: the file cannot be opened.
  static core::Result<LogOutput> Configure(const config::LogConfig& config);

  // With a file: opens it again by name (a new file if it was moved) and writes there from now
  // on; the old one stays in use if that fails. Without: nothing to do.
  core::Result<void> Reopen();
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::shared_ptr<ReopenableFileSink> sink_;
};

// The folder under src/ of a source file path ("../../src/delivery/recorder.cpp" -> "delivery");
// "smsgw" when it has none.
std::string_view ComponentOf(std::string_view source_file);

// One JSON object a line: {"time":"2026-12-05T18:00:00.123Z","level":"info","component":"api",
// then the line's fields (log/fields.h: "connector", "sid", ...), then "message":"..."}. Bytes
// that are not UTF-8 become U+FFFD, control characters \u escapes.
std::unique_ptr<spdlog::formatter> MakeJsonFormatter();

}  // namespace smsgw::app
