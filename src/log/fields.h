#pragma once
// Structured fields of a log line: SMSGW_LOG_WARN({{"connector", name}}, "...", args...) logs as
// SPDLOG_WARN does (the source file gives the component) and hands the JSON format
// (app/logging.h) the fields as keys of their own, beside time, level, component and message.
// The fields are set only for the one synchronous call (spdlog formats on the calling thread), so
// coroutines taking turns on a thread cannot mix up each other's fields. Keys are fixed names
// (connector, sid, message_id, request_id); values are escaped like the message. Any thread.

#include <spdlog/spdlog.h>

#include <initializer_list>
#include <span>
#include <string_view>
#include <utility>

namespace smsgw::log {

struct Field {
  std::string_view key;
  std::string_view value;
};
using Fields = std::initializer_list<Field>;

// The fields of the line being written on this thread; empty outside an SMSGW_LOG_* call.
std::span<const Field> CurrentFields();

// Sets this thread's fields for its lifetime (and restores the ones before). `fields` must
// outlive it: a braced list passed here directly would not (its array ends with the statement).
class ScopedFields {
 public:
  explicit ScopedFields(std::span<const Field> fields);
  ~ScopedFields();
  ScopedFields(const ScopedFields&) = delete;
  ScopedFields& operator=(const ScopedFields&) = delete;

 private:
  std::span<const Field> previous_;
};

template <class... Args>
void Write(spdlog::source_loc where, spdlog::level::level_enum level, Fields fields,
           spdlog::format_string_t<Args...> format, Args&&... args) {
  spdlog::logger* logger = spdlog::default_logger_raw();
  if (!logger->should_log(level)) {
    return;
  }
  // `fields`' array lives until the end of the caller's full expression: the whole call.
  const ScopedFields scope(std::span<const Field>(fields.begin(), fields.size()));
  logger->log(where, level, format, std::forward<Args>(args)...);
}

}  // namespace smsgw::log

// SMSGW_LOG_<LEVEL>(fields, format, args...): variadic, so that the braces of the fields may hold
// commas.
#define SMSGW_LOG_AT(level, ...) \
  ::smsgw::log::Write(spdlog::source_loc{__FILE__, __LINE__, SPDLOG_FUNCTION}, level, __VA_ARGS__)
#define SMSGW_LOG_DEBUG(...) SMSGW_LOG_AT(spdlog::level::debug, __VA_ARGS__)
#define SMSGW_LOG_INFO(...) SMSGW_LOG_AT(spdlog::level::info, __VA_ARGS__)
#define SMSGW_LOG_WARN(...) SMSGW_LOG_AT(spdlog::level::warn, __VA_ARGS__)
#define SMSGW_LOG_ERROR(...) SMSGW_LOG_AT(spdlog::level::err, __VA_ARGS__)
