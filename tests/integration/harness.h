#pragma once
// Test harness for the integration tests: runs the real `smsgw` binary as child processes (CLI
// commands and `serve`), talks HTTP/1.1 to it over real sockets on 127.0.0.1, and parses its JSON.
// Every child is stopped by PID (SIGTERM, then SIGKILL after a deadline) when its owner goes
// away. Nothing here sleeps to synchronise: it waits for output lines, socket events or process
// exit, each with a deadline. Used from the test thread; HttpConnection objects may be used from
// other threads, one per thread.

#include <rapidjson/document.h>
#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "fakes/temp_dir.h"

namespace smsgw::itest {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// Deadlines are generous: the binary runs under ASan and shares two cores with other builds.
inline constexpr auto kStartTimeout = 60s;
inline constexpr auto kCommandTimeout = 60s;
inline constexpr auto kStopTimeout = 20s;
inline constexpr auto kHttpTimeout = 20s;

// The smsgw binary: $SMSGW_BINARY if set, else the path CMake compiled in.
std::string BinaryPath();

using fakes::TempDir;

// How a finished process ended: its exit code, or 128 + signal number if a signal killed it.
// -1 if it did not finish before the deadline (it was then killed).
struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// A running child process with stdout and stderr captured by reader threads.
class Process {
 public:
  // Starts `argv[0]` with `argv`; fails the current test (and returns nullptr) if it cannot.
  static std::unique_ptr<Process> Spawn(const std::vector<std::string>& argv);
  ~Process();  // Stop()s the process if it is still running.
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }

  // Waits until some complete stdout line matches `pattern` (searched, not full-matched) and
  // returns the match's groups ([0] = whole match); nullopt on deadline or if stdout closed
  // without such a line.
  std::optional<std::vector<std::string>> WaitForLine(const std::regex& pattern,
                                                      Clock::duration timeout);

  std::string Stdout() const;
  std::string Stderr() const;

  // Sends `signal` to the process (if it has not been reaped).
  void Signal(int signal);
  // Waits for the process to end; returns its exit code (as CommandResult::exit_code), or
  // nullopt on deadline.
  std::optional<int> WaitForExit(Clock::duration timeout);
  // SIGTERM, wait up to `timeout`, then SIGKILL; returns the exit code.
  int Stop(Clock::duration timeout = kStopTimeout);
  bool Running() const { return !exit_code_.has_value(); }
  // After exit: waits until the child's stdout and stderr are fully read.
  void WaitForOutputEnd(Clock::duration timeout);

 private:
  Process() = default;
  void ReadLoop(int fd, std::string* sink);

  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::string out_;
  std::string err_;
  bool out_closed_ = false;
  int open_streams_ = 2;
  std::thread out_reader_;
  std::thread err_reader_;
};

// Runs `argv` to completion (or kills it at the deadline) and returns its output.
CommandResult RunCommand(const std::vector<std::string>& argv,
                         Clock::duration timeout = kCommandTimeout);

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string Header(const std::string& lower_name) const;
};

// One client connection to 127.0.0.1:port; blocking with deadlines, keep-alive capable.
class HttpConnection {
 public:
  explicit HttpConnection(uint16_t port);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  // Writes all of `bytes`; false if the peer closed or reset the connection.
  bool SendRaw(std::string_view bytes);
  // Sends one request (Host and Content-Length added) and reads the response; nullopt (with
  // `error` set) if the connection failed or the deadline passed.
  std::optional<HttpResponse> Request(
      const std::string& method, const std::string& target,
      const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body,
      std::string* error = nullptr, Clock::duration timeout = kHttpTimeout);
  std::optional<HttpResponse> ReadResponse(Clock::time_point deadline, std::string* error);
  // True if the peer closes the connection (EOF or reset) before `deadline`; any bytes the peer
  // sends first are discarded.
  bool WaitForClose(Clock::time_point deadline);

 private:
  // Reads more bytes into buffer_; false on EOF, error or deadline.
  bool Fill(Clock::time_point deadline, std::string* error);

  uint16_t port_;
  int fd_ = -1;
  std::string buffer_;
};

// A parsed JSON document; `ok` is false (and `error` says why) when the text is not JSON.
struct Json {
  rapidjson::Document doc;
  bool ok = false;
  std::string error;
};
Json ParseJson(const std::string& text);
// Serialises any JSON value compactly, for messages and loose checks.
std::string ToJson(const rapidjson::Value& value);
// The string member `name` of object `v`, or "" if missing or not a string.
std::string Str(const rapidjson::Value& v, const char* name);

// JSON string literal for `s` (quotes included).
std::string Quote(std::string_view s);
// Percent-encodes everything except unreserved characters.
std::string UrlEncode(std::string_view s);
// Now + `ahead`, formatted as Kaleyra's `time` field in UTC: 2026-11-26T10:42:23+00:00.
std::string IsoTimeFromNow(std::chrono::seconds ahead);

struct Account {
  std::string sid;
  std::string api_key;
};

// An smsgw data directory plus helpers for the CLI and a running `serve`.
// Every secret the test gave serve (API keys made through Cli, and whatever AddSecret names) is
// checked against everything serve wrote, stdout and stderr, whenever a serve process ends: no
// log line may carry one (docs/security.md). The first-start announcement of a new account's key
// on stdout is the one place a key is printed, by design, and is not a log line.
class Smsgw {
 public:
  Smsgw() = default;
  ~Smsgw();
  Smsgw(const Smsgw&) = delete;
  Smsgw& operator=(const Smsgw&) = delete;
  const TempDir& dir() const { return dir_; }
  std::string data() const { return dir_.str(); }

  // `smsgw <args...> --data DIR` (plus --config when set_config() was called).
  CommandResult Cli(std::vector<std::string> args) const;
  // `account create --name NAME --json`; fails the test on error.
  Account CreateAccount(const std::string& name) const;
  // `key create --sid SID --json`; returns the new key, "" on failure (test failed).
  std::string CreateKey(const std::string& sid) const;

  void set_config(std::string path) { config_ = std::move(path); }
  // A string serve must never write (a password, a token, a message body).
  void AddSecret(std::string secret) { secrets_.push_back(std::move(secret)); }
  // Words run before the binary by Start (e.g. {"/usr/bin/prlimit", "--nofile=1024:1024", "--"}):
  // a launcher that execs it, so the PID stays the server's.
  void set_launcher(std::vector<std::string> words) { launcher_ = std::move(words); }

  // Starts `serve --listen 127.0.0.1:0 --data DIR [--config FILE] extra...` and waits for the
  // "listening" line. On failure the test has failed and port() is 0.
  void Start(const std::vector<std::string>& extra = {});
  Process* server() { return server_.get(); }
  uint16_t port() const { return port_; }
  // The admin listener's port (serve runs with --admin-listen 127.0.0.1:0); 0 if none printed.
  uint16_t admin_port() const { return admin_port_; }
  // GET `path` on the admin listener, with `Authorization: Bearer <token>` when given.
  HttpResponse AdminGet(const std::string& path, const std::string& token = "") const;
  // SIGTERM + wait; returns the exit code.
  int Stop();
  void Kill9();

  // One request on a fresh connection. `key` empty = no api-key header.
  HttpResponse Request(const std::string& method, const std::string& target,
                       const std::string& body, const std::string& key,
                       std::vector<std::pair<std::string, std::string>> headers = {}) const;
  HttpResponse Post(const std::string& target, const std::string& body,
                    const std::string& key) const {
    return Request("POST", target, body, key, {{"Content-Type", "application/json"}});
  }

 private:
  TempDir dir_;
  std::string config_;
  std::vector<std::string> launcher_;
  // Fails the test if the ended serve's output holds a secret (once per process).
  void CheckOutputForSecrets();

  std::unique_ptr<Process> server_;
  bool output_checked_ = false;
  mutable std::vector<std::string> secrets_;  // the const CreateAccount/CreateKey add keys
  uint16_t port_ = 0;
  uint16_t admin_port_ = 0;
};

}  // namespace smsgw::itest
