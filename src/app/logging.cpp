#include "app/logging.h"

#include <fcntl.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <mutex>

#include "log/fields.h"

namespace smsgw::app {

// Appends formatted lines to a file descriptor; Reopen swaps the descriptor under the sink's lock.
class ReopenableFileSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  static core::Result<std::shared_ptr<ReopenableFileSink>> Open(const std::string& path) {
    auto sink = std::shared_ptr<ReopenableFileSink>(new ReopenableFileSink(path));
    if (auto opened = sink->OpenFd(); !opened) {
      return std::unexpected(opened.error());
    } else {
      sink->fd_ = *opened;
    }
    return sink;
  }
  ~ReopenableFileSink() override {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }

  core::Result<void> Reopen() {
    auto opened = OpenFd();
    if (!opened) {
      return std::unexpected(opened.error());
    }
    std::lock_guard lock(mutex_);
    ::close(fd_);
    fd_ = *opened;
    return {};
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);
    const char* data = line.data();
    size_t left = line.size();
    while (left > 0) {
      const ssize_t n = ::write(fd_, data, left);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n <= 0) {
        return;  // a full disk loses log lines, never the gateway
      }
      data += n;
      left -= static_cast<size_t>(n);
    }
  }
  void flush_() override {}

 private:
  explicit ReopenableFileSink(std::string path) : path_(std::move(path)) {}

  core::Result<int> OpenFd() const {
    const int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0) {
      return core::MakeError(core::Errc::kUnavailable,
                             "[log] file " + path_ + ": cannot open: " + std::strerror(errno));
    }
    return fd;
  }

  const std::string path_;
  int fd_ = -1;
};

namespace {

void Append(spdlog::memory_buf_t& out, std::string_view text) {
  out.append(text.data(), text.data() + text.size());
}

// The length of the UTF-8 sequence at `s[i]`, or 0 when it is not one (overlong forms,
// surrogates and values past U+10FFFF included).
size_t Utf8Length(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  size_t n = 0;
  uint32_t cp = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) {
    return 0;
  }
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      return 0;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  const bool overlong = (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
  if (overlong || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
    return 0;
  }
  return n;
}

void AppendJsonString(spdlog::memory_buf_t& out, std::string_view s) {
  out.push_back('"');
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
      ++i;
    } else if (c < 0x20 || c == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
      Append(out, escaped);
      ++i;
    } else if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
    } else if (const size_t n = Utf8Length(s, i)) {
      Append(out, s.substr(i, n));
      i += n;
    } else {
      Append(out, "\\ufffd");
      ++i;
    }
  }
  out.push_back('"');
}

std::string_view LevelName(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
      return "trace";
    case spdlog::level::debug:
      return "debug";
    case spdlog::level::info:
      return "info";
    case spdlog::level::warn:
      return "warn";
    case spdlog::level::err:
      return "error";
    case spdlog::level::critical:
      return "critical";
    default:
      return "off";
  }
}

class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto since = msg.time.time_since_epoch();
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since);
    const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since - seconds);
    const std::time_t t = seconds.count();
    std::tm tm{};
    gmtime_r(&t, &tm);
    char time[96];  // the widest ints fit: GCC checks
    std::snprintf(time, sizeof time, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(millis.count()));
    Append(dest, R"({"time":")");
    Append(dest, time);
    Append(dest, R"(","level":")");
    Append(dest, LevelName(msg.level));
    Append(dest, R"(","component":)");
    AppendJsonString(dest, ComponentOf(msg.source.filename != nullptr ? msg.source.filename : ""));
    for (const log::Field& field : log::CurrentFields()) {
      dest.push_back(',');
      AppendJsonString(dest, field.key);
      dest.push_back(':');
      AppendJsonString(dest, field.value);
    }
    Append(dest, R"(,"message":)");
    AppendJsonString(dest, std::string_view(msg.payload.data(), msg.payload.size()));
    Append(dest, "}\n");
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

}  // namespace

std::string_view ComponentOf(std::string_view file) {
  size_t start = std::string_view::npos;
  if (file.starts_with("src/")) {
    start = 4;
  } else if (const size_t at = file.rfind("/src/"); at != std::string_view::npos) {
    start = at + 5;
  }
  if (start == std::string_view::npos) {
    return "smsgw";
  }
  const size_t end = file.find('/', start);
  return end == std::string_view::npos ? "smsgw" : file.substr(start, end - start);
}

std::unique_ptr<spdlog::formatter> MakeJsonFormatter() { return std::make_unique<JsonFormatter>(); }

core::Result<LogOutput> LogOutput::Configure(const config::LogConfig& config) {
  LogOutput out;
  spdlog::sink_ptr sink;
  if (!config.file.empty()) {
    auto file = ReopenableFileSink::Open(config.file);
    if (!file) {
      return std::unexpected(file.error());
    }
    out.file_ = config.file;
    out.sink_ = *file;
    sink = *file;
  } else if (config.format == config::LogConfig::Format::kJson) {
    sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();  // no colour codes in JSON
  } else {
    sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  }
  if (config.format == config::LogConfig::Format::kJson) {
    sink->set_formatter(MakeJsonFormatter());
  }
  auto logger = std::make_shared<spdlog::logger>("smsgw", std::move(sink));
  logger->set_level(static_cast<spdlog::level::level_enum>(config.level));
  spdlog::set_default_logger(std::move(logger));
  return out;
}

core::Result<void> LogOutput::Reopen() {
  if (!sink_) {
    return {};
  }
  return sink_->Reopen();
}

}  // namespace smsgw::app
