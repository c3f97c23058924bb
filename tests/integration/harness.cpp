#include "harness.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

extern char** environ;

namespace smsgw::itest {
namespace {

int ExitCodeOf(int status) {
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  if (WIFSIGNALED(status)) {
    return 128 + WTERMSIG(status);
  }
  return -1;
}

int MillisUntil(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<int>(std::clamp<int64_t>(left.count(), 0, 1 << 30));
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

}  // namespace

std::string BinaryPath() {
  if (const char* env = std::getenv("SMSGW_BINARY"); env != nullptr && *env != '\0') {
    return env;
  }
  return SMSGW_BINARY_PATH;
}

// --- TempDir

// --- Process

std::unique_ptr<Process> Process::Spawn(const std::vector<std::string>& argv) {
  int out[2];
  int err[2];
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe2: " << std::strerror(errno);
    return nullptr;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  // Nothing else of this process reaches the child: a socket the test listens on (a webhook
  // receiver) inherited by smsgw would keep listening after the test closed it.
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  std::vector<char*> args;
  for (const std::string& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  std::unique_ptr<Process> p(new Process());
  const int rc = posix_spawn(&p->pid_, argv[0].c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  close(err[1]);
  if (rc != 0) {
    close(out[0]);
    close(err[0]);
    ADD_FAILURE() << "posix_spawn " << argv[0] << ": " << std::strerror(rc);
    return nullptr;
  }
  Process* raw = p.get();
  p->out_reader_ = std::thread([raw, fd = out[0]] { raw->ReadLoop(fd, &raw->out_); });
  p->err_reader_ = std::thread([raw, fd = err[0]] { raw->ReadLoop(fd, &raw->err_); });
  return p;
}

void Process::ReadLoop(int fd, std::string* sink) {
  char buf[4096];
  for (;;) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;
    }
    std::lock_guard lock(mu_);
    sink->append(buf, static_cast<size_t>(n));
    cv_.notify_all();
  }
  close(fd);
  std::lock_guard lock(mu_);
  if (sink == &out_) {
    out_closed_ = true;
  }
  --open_streams_;
  cv_.notify_all();
}

Process::~Process() {
  if (Running()) {
    Stop();
  }
  if (out_reader_.joinable()) {
    out_reader_.join();
  }
  if (err_reader_.joinable()) {
    err_reader_.join();
  }
}

std::optional<std::vector<std::string>> Process::WaitForLine(const std::regex& pattern,
                                                             Clock::duration timeout) {
  const auto deadline = Clock::now() + timeout;
  std::unique_lock lock(mu_);
  size_t scanned = 0;  // out_ before this offset holds only complete, non-matching lines
  for (;;) {
    size_t end;
    while ((end = out_.find('\n', scanned)) != std::string::npos) {
      const std::string line = out_.substr(scanned, end - scanned);
      scanned = end + 1;
      std::smatch match;
      if (std::regex_search(line, match, pattern)) {
        std::vector<std::string> groups;
        for (const auto& group : match) {
          groups.push_back(group.str());
        }
        return groups;
      }
    }
    if (out_closed_) {
      return std::nullopt;
    }
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout) {
      return std::nullopt;
    }
  }
}

std::string Process::Stdout() const {
  std::lock_guard lock(mu_);
  return out_;
}

std::string Process::Stderr() const {
  std::lock_guard lock(mu_);
  return err_;
}

void Process::Signal(int signal) {
  if (Running() && pid_ > 0) {
    kill(pid_, signal);
  }
}

std::optional<int> Process::WaitForExit(Clock::duration timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Running()) {
    int status = 0;
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exit_code_ = ExitCodeOf(status);
      break;
    }
    if (r < 0 && errno != EINTR) {
      exit_code_ = -1;
      break;
    }
    if (Clock::now() >= deadline) {
      return std::nullopt;
    }
    // The child closing its output usually means it is exiting: wake on that, else re-check
    // every few milliseconds.
    std::unique_lock lock(mu_);
    if (open_streams_ == 0) {
      cv_.wait_for(lock, 5ms);  // nothing more to wake us: plain re-check interval
    } else {
      cv_.wait_for(lock, 5ms, [this] { return open_streams_ == 0; });
    }
  }
  return exit_code_;
}

void Process::WaitForOutputEnd(Clock::duration timeout) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [this] { return open_streams_ == 0; });
}

int Process::Stop(Clock::duration timeout) {
  if (!Running()) {
    return *exit_code_;
  }
  Signal(SIGTERM);
  if (auto code = WaitForExit(timeout)) {
    return *code;
  }
  ADD_FAILURE() << "pid " << pid_ << " ignored SIGTERM for "
                << std::chrono::duration_cast<std::chrono::seconds>(timeout).count()
                << " s; sending SIGKILL";
  Signal(SIGKILL);
  return WaitForExit(kStopTimeout).value_or(-1);
}

CommandResult RunCommand(const std::vector<std::string>& argv, Clock::duration timeout) {
  CommandResult result;
  std::unique_ptr<Process> p = Process::Spawn(argv);
  if (!p) {
    return result;
  }
  if (auto code = p->WaitForExit(timeout)) {
    result.exit_code = *code;
  } else {
    ADD_FAILURE() << argv[0] << " " << (argv.size() > 1 ? argv[1] : "")
                  << " did not finish in time";
    p->Signal(SIGKILL);
    p->WaitForExit(kStopTimeout);
  }
  p->WaitForOutputEnd(10s);
  result.out = p->Stdout();
  result.err = p->Stderr();
  return result;
}

// --- HTTP

std::string HttpResponse::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

HttpConnection::HttpConnection(uint16_t port) : port_(port) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    return;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd_);
    fd_ = -1;
    return;
  }
  const int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

HttpConnection::~HttpConnection() {
  if (fd_ >= 0) {
    close(fd_);
  }
}

bool HttpConnection::SendRaw(std::string_view bytes) {
  const auto deadline = Clock::now() + kHttpTimeout;
  while (!bytes.empty() && fd_ >= 0) {
    pollfd p{fd_, POLLOUT, 0};
    if (poll(&p, 1, MillisUntil(deadline)) <= 0) {
      return false;
    }
    const ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) {
        continue;
      }
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return fd_ >= 0;
}

bool HttpConnection::Fill(Clock::time_point deadline, std::string* error) {
  for (;;) {
    pollfd p{fd_, POLLIN, 0};
    const int r = poll(&p, 1, MillisUntil(deadline));
    if (r < 0 && errno == EINTR) {
      continue;
    }
    if (r == 0) {
      if (error != nullptr) {
        *error = "timeout";
      }
      return false;
    }
    if (r < 0) {
      if (error != nullptr) {
        *error = std::string("poll: ") + std::strerror(errno);
      }
      return false;
    }
    char buf[65536];
    const ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      if (error != nullptr) {
        *error =
            n == 0 ? "connection closed by server" : std::string("recv: ") + std::strerror(errno);
      }
      return false;
    }
    buffer_.append(buf, static_cast<size_t>(n));
    return true;
  }
}

std::optional<HttpResponse> HttpConnection::ReadResponse(Clock::time_point deadline,
                                                         std::string* error) {
  if (fd_ < 0) {
    if (error != nullptr) {
      *error = "not connected";
    }
    return std::nullopt;
  }
  for (;;) {
    size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill(deadline, error)) {
        if (error != nullptr && !buffer_.empty()) {
          *error += " (after a partial response: " + buffer_.substr(0, 200) + ")";
        }
        return std::nullopt;
      }
    }
    HttpResponse response;
    const std::string head = buffer_.substr(0, header_end);
    buffer_.erase(0, header_end + 4);
    size_t line_end = head.find("\r\n");
    const std::string status_line = head.substr(0, line_end);
    if (!status_line.starts_with("HTTP/1.") || status_line.size() < 12) {
      if (error != nullptr) {
        *error = "bad status line: " + status_line;
      }
      return std::nullopt;
    }
    response.status = std::atoi(status_line.c_str() + 9);
    while (line_end != std::string::npos) {
      const size_t start = line_end + 2;
      line_end = head.find("\r\n", start);
      const std::string line =
          head.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
      const size_t colon = line.find(':');
      if (colon != std::string::npos) {
        response.headers[Lower(Trim(line.substr(0, colon)))] = Trim(line.substr(colon + 1));
      }
    }
    if (response.status >= 100 && response.status < 200) {
      continue;  // 100 Continue: the real response follows
    }
    if (Lower(response.Header("transfer-encoding")).find("chunked") != std::string::npos) {
      for (;;) {
        size_t eol;
        while ((eol = buffer_.find("\r\n")) == std::string::npos) {
          if (!Fill(deadline, error)) {
            return std::nullopt;
          }
        }
        const size_t size = std::strtoul(buffer_.c_str(), nullptr, 16);
        buffer_.erase(0, eol + 2);
        while (buffer_.size() < size + 2) {
          if (!Fill(deadline, error)) {
            return std::nullopt;
          }
        }
        response.body.append(buffer_, 0, size);
        buffer_.erase(0, size + 2);
        if (size == 0) {
          break;  // (trailers are not used by smsgw)
        }
      }
    } else if (const std::string length = response.Header("content-length"); !length.empty()) {
      const size_t size = std::strtoul(length.c_str(), nullptr, 10);
      while (buffer_.size() < size) {
        if (!Fill(deadline, error)) {
          return std::nullopt;
        }
      }
      response.body = buffer_.substr(0, size);
      buffer_.erase(0, size);
    } else if (response.status != 204 && response.status != 304) {
      std::string ignored;
      while (Fill(deadline, &ignored)) {
      }
      response.body = std::move(buffer_);
      buffer_.clear();
    }
    return response;
  }
}

std::optional<HttpResponse> HttpConnection::Request(
    const std::string& method, const std::string& target,
    const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body,
    std::string* error, Clock::duration timeout) {
  std::string request =
      method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) + "\r\n";
  for (const auto& [name, value] : headers) {
    request += name + ": " + value + "\r\n";
  }
  if (!body.empty() || method == "POST" || method == "PUT") {
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n";
  request += body;
  if (!SendRaw(request)) {
    // The server may have answered early (e.g. 413) and closed: still try to read that answer.
    std::string ignored;
    if (auto early = ReadResponse(Clock::now() + 2s, &ignored)) {
      return early;
    }
    if (error != nullptr) {
      *error = "send failed: " + std::string(std::strerror(errno));
    }
    return std::nullopt;
  }
  return ReadResponse(Clock::now() + timeout, error);
}

bool HttpConnection::WaitForClose(Clock::time_point deadline) {
  std::string error;
  while (Fill(deadline, &error)) {
    buffer_.clear();
  }
  return error != "timeout";
}

// --- JSON and text helpers

Json ParseJson(const std::string& text) {
  Json json;
  json.doc.Parse(text.c_str(), text.size());
  json.ok = !json.doc.HasParseError();
  if (!json.ok) {
    json.error = "not JSON (error " + std::to_string(json.doc.GetParseError()) + " at offset " +
                 std::to_string(json.doc.GetErrorOffset()) + "): " + text.substr(0, 300);
  }
  return json;
}

std::string ToJson(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string Str(const rapidjson::Value& v, const char* name) {
  if (!v.IsObject()) {
    return "";
  }
  auto it = v.FindMember(name);
  if (it == v.MemberEnd() || !it->value.IsString()) {
    return "";
  }
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::string Quote(std::string_view s) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string UrlEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string IsoTimeFromNow(std::chrono::seconds ahead) {
  const std::time_t t =
      std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + ahead);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
  return buf;
}

// --- Smsgw

CommandResult Smsgw::Cli(std::vector<std::string> args) const {
  std::vector<std::string> argv = {BinaryPath()};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("--data");
  argv.push_back(data());
  if (!config_.empty()) {
    argv.push_back("--config");
    argv.push_back(config_);
  }
  return RunCommand(argv);
}

Account Smsgw::CreateAccount(const std::string& name) const {
  CommandResult r = Cli({"account", "create", "--name", name, "--json"});
  Account account;
  if (r.exit_code != 0) {
    ADD_FAILURE() << "account create exited " << r.exit_code << "\nstdout: " << r.out
                  << "\nstderr: " << r.err;
    return account;
  }
  Json json = ParseJson(r.out);
  if (!json.ok || !json.doc.IsObject()) {
    ADD_FAILURE() << "account create --json printed " << json.error << r.out;
    return account;
  }
  account.sid = Str(json.doc, "sid");
  account.api_key = Str(json.doc, "api_key");
  secrets_.push_back(account.api_key);
  EXPECT_TRUE(account.sid.starts_with("HX")) << r.out;
  EXPECT_TRUE(account.api_key.starts_with("A")) << r.out;
  return account;
}

std::string Smsgw::CreateKey(const std::string& sid) const {
  CommandResult r = Cli({"key", "create", "--sid", sid, "--json"});
  if (r.exit_code != 0) {
    ADD_FAILURE() << "key create exited " << r.exit_code << "\nstdout: " << r.out
                  << "\nstderr: " << r.err;
    return "";
  }
  Json json = ParseJson(r.out);
  if (!json.ok) {
    ADD_FAILURE() << "key create --json printed " << json.error;
    return "";
  }
  EXPECT_EQ(Str(json.doc, "sid"), sid);
  secrets_.push_back(Str(json.doc, "api_key"));
  return secrets_.back();
}

void Smsgw::Start(const std::vector<std::string>& extra) {
  if (server_) {
    server_->Stop();
    CheckOutputForSecrets();
  }
  output_checked_ = false;
  port_ = 0;
  admin_port_ = 0;
  std::vector<std::string> argv = launcher_;
  argv.insert(argv.end(), {BinaryPath(), "serve", "--listen", "127.0.0.1:0", "--admin-listen",
                           "127.0.0.1:0", "--data", data()});
  if (!config_.empty()) {
    argv.push_back("--config");
    argv.push_back(config_);
  }
  argv.insert(argv.end(), extra.begin(), extra.end());
  server_ = Process::Spawn(argv);
  if (!server_) {
    return;
  }
  static const std::regex kListening(R"(smsgw listening on https?://127\.0\.0\.1:(\d+))");
  auto line = server_->WaitForLine(kListening, kStartTimeout);
  if (!line) {
    server_->Stop();
    ADD_FAILURE() << "serve did not print its listening line\nstdout: " << server_->Stdout()
                  << "\nstderr: " << server_->Stderr();
    return;
  }
  port_ = static_cast<uint16_t>(std::stoi((*line)[1]));
  EXPECT_NE(port_, 0) << "serve printed port 0 instead of the bound port";
  static const std::regex kAdmin(R"(admin on http://127\.0\.0\.1:(\d+))");
  if (auto admin = server_->WaitForLine(kAdmin, kStartTimeout)) {
    admin_port_ = static_cast<uint16_t>(std::stoi((*admin)[1]));
  }
}

HttpResponse Smsgw::AdminGet(const std::string& path, const std::string& token) const {
  HttpConnection conn(admin_port_);
  std::vector<std::pair<std::string, std::string>> headers;
  if (!token.empty()) {
    headers.emplace_back("Authorization", "Bearer " + token);
  }
  std::string error;
  auto r = conn.Request("GET", path, headers, "", &error);
  if (!r) {
    HttpResponse failed;
    failed.body = "admin request failed: " + error;
    return failed;
  }
  return *r;
}

Smsgw::~Smsgw() {
  if (server_) {
    server_->Stop();
    CheckOutputForSecrets();
  }
}

void Smsgw::CheckOutputForSecrets() {
  if (!server_ || output_checked_) {
    return;
  }
  output_checked_ = true;
  std::string out;
  std::istringstream lines(server_->Stdout());
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("  API key: ") && line.find("curl -X POST") == std::string::npos) {
      out += line + "\n";
    }
  }
  out += server_->Stderr();
  for (const std::string& secret : secrets_) {
    if (!secret.empty() && out.find(secret) != std::string::npos) {
      ADD_FAILURE() << "serve wrote a secret (" << secret.size() << " characters, starting "
                    << secret.substr(0, 4) << "...):\n"
                    << out;
    }
  }
}

int Smsgw::Stop() {
  if (!server_) {
    return -1;
  }
  const int code = server_->Stop();
  CheckOutputForSecrets();
  return code;
}

void Smsgw::Kill9() {
  if (server_) {
    server_->Signal(SIGKILL);
    server_->WaitForExit(kStopTimeout);
    CheckOutputForSecrets();
  }
}

HttpResponse Smsgw::Request(const std::string& method, const std::string& target,
                            const std::string& body, const std::string& key,
                            std::vector<std::pair<std::string, std::string>> headers) const {
  HttpResponse response;
  HttpConnection conn(port_);
  if (!conn.connected()) {
    response.body = "cannot connect to 127.0.0.1:" + std::to_string(port_);
    return response;
  }
  if (!key.empty()) {
    headers.emplace_back("api-key", key);
  }
  std::string error;
  if (auto r = conn.Request(method, target, headers, body, &error)) {
    return *r;
  }
  response.body = method + " " + target + ": " + error;
  return response;
}

}  // namespace smsgw::itest
