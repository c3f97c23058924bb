#pragma once
// HttpClient sends HTTP/1.1 requests (Asio and Beast) on a thread of its own: connections kept
// alive and reused per host (one the server closed while idle is replaced, the request sent once
// more), TLS 1.2+ verified against the system's trust store with the URL's host name, redirects
// not followed, a connect timeout (name lookup, connect, TLS handshake) and a total timeout per
// request. Credentials written in a URL (user:password@) are sent as Basic auth unless the request
// has its own Authorization header; a fragment is not sent. Requests to one host (scheme, host and
// port) run at most `per_host_connections` at a time and wait in that host's queue otherwise, so a
// slow or dead host holds only its own queue; hosts take turns. The caller bounds memory: Pending()
// counts what is queued or running.
//
// Submit is safe from any thread; each completion runs on the client's thread, once, also for
// requests still queued when the client stops (with error "stopped"). A request submitted after
// Stop completes at once on the caller's thread with "stopped". Completions may Submit again but
// must not Stop or destroy the client.
//
// Errors are short words where the cause is common: "timeout" (connect or whole request),
// "connection refused", "cannot resolve host", "connection closed before an answer", "bad url"
// (not http(s), or a space or control byte in it), "bad header" (a name that is not a token, a
// control byte in a value, or one of Host, Content-Length, Transfer-Encoding, Connection, which
// the client sets), "stopped", "target not allowed" (the egress policy refused an address the
// name resolved to and no allowed one answered; reported without address, port or latency);
// otherwise "TLS handshake failed: ...", "bad answer: ...", "answer cut short: ..." with the
// cause.
//
// Every connection is checked against Options::egress on each address it is about to connect
// to, after DNS (core/egress.h); proxies from the environment are not used. Every request carries
// core::kWebhookMarkerHeader.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/egress.h"

namespace smsgw::webhook {

inline constexpr std::string_view kTargetNotAllowed = "target not allowed";

struct HttpRequest {
  std::string method;  // "GET", "POST", "PUT"
  std::string url;     // http or https, query string included
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // sent for POST and PUT
  // The most of the answer's body kept for this request; 0 means Options::max_response_body.
  size_t max_response_body = 0;
};

struct HttpResult {
  int status = 0;     // the HTTP status; 0 when no answer came
  std::string error;  // empty when an answer came (whatever its status); else what failed
  std::string body;   // the answer's body, at most `max_response_body` bytes kept
  std::chrono::milliseconds latency{0};  // from leaving the host's queue to the end
};

class HttpClient {
 public:
  struct Options {
    std::chrono::milliseconds connect_timeout{5000};
    std::chrono::milliseconds request_timeout{10000};  // whole request, connect included
    size_t per_host_connections = 8;
    size_t max_connections = 256;     // over all hosts
    size_t max_response_body = 4096;  // the rest of an answer is read and dropped
    bool verify_tls = true;           // off only for tests against a self-signed receiver
    // PEM certificates of the CAs that receivers' certificates must chain to; empty: the
    // system's trust store.
    std::string ca_file;
    core::EgressPolicy egress;  // which addresses may be connected to
  };
  using Completion = std::function<void(HttpResult)>;

  // Starts the client's thread. Fails (nullptr, with the reason in `error`) only when the TLS
  // context cannot be set up (`ca_file` unreadable or not PEM certificates).
  static std::unique_ptr<HttpClient> Start(const Options& options, std::string* error);
  virtual ~HttpClient() = default;

  virtual void Submit(HttpRequest request, Completion done) = 0;
  // Runs `task` on the client's thread (at once on the caller's after Stop), in order with the
  // completions, so that users of the client can keep their callbacks on one thread. The base
  // version runs it at once, which is what a fake client in a test wants.
  virtual void Post(std::function<void()> task) { task(); }
  // Requests queued or running.
  virtual size_t Pending() const = 0;
  // Ends every request (completions run with error "stopped") and joins the thread. Idempotent;
  // the destructor calls it.
  virtual void Stop() = 0;
};

}  // namespace smsgw::webhook
