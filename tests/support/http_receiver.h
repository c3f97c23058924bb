#pragma once
// HttpReceiver is the webhook receiver of the tests: a small HTTP/1.1 server on 127.0.0.1 with a
// port of its own, run by one thread, that records every request and answers as the test says
// (status, delay, or closing without an answer). It can go down (stop listening and drop its
// connections) and come back up on the same port, so tests can play an outage.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/egress.h"

namespace smsgw::testing {

struct ReceivedRequest {
  std::string method;
  std::string target;  // as sent: path and query
  std::string path;    // before '?'
  std::string query;   // after '?', still percent-encoded; empty when none
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;
  std::chrono::steady_clock::time_point at;  // when the whole request had been read
  uint64_t connection = 0;  // which connection carried it: 1, 2, ... in the order accepted

  // The first header of that name (case-insensitive); empty when absent.
  std::string Header(std::string_view name) const;
  // The decoded value of a query parameter; empty when absent.
  std::string QueryParam(std::string_view name) const;
};

struct ReceiverAnswer {
  int status = 200;
  std::string body = "ok";
  // Extra response headers; a Content-Type here replaces the default text/plain.
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds delay{0};  // wait this long before answering
  bool close_without_answer = false;   // drop the connection instead
};

// The egress policy that lets webhook requests reach receivers on 127.0.0.1, as
// `[webhooks] allow_targets = ["127.0.0.1/32"]` does for the binary (loopback is refused by
// default).
core::EgressPolicy LoopbackReceiversAllowed();

class HttpReceiver {
 public:
  using Responder = std::function<ReceiverAnswer(const ReceivedRequest&)>;

  // Listens on 127.0.0.1 at `port`, or at a free port below the ephemeral range (so that Up()
  // can always bind it again); answers 200 "ok" until told otherwise.
  // Throws std::runtime_error when it cannot listen.
  static std::unique_ptr<HttpReceiver> Start(uint16_t port = 0);
  virtual ~HttpReceiver() = default;

  virtual uint16_t port() const = 0;
  // "http://127.0.0.1:<port><path>"
  std::string Url(std::string_view path = "/") const;

  // Decides the answer to each request from now on (called on the receiver's thread).
  virtual void SetResponder(Responder responder) = 0;

  // Every request received so far, in order (also those answered with an error).
  virtual std::vector<ReceivedRequest> Requests() const = 0;
  virtual size_t Count() const = 0;
  // Waits until at least `n` requests were received; false on timeout.
  virtual bool WaitForCount(size_t n, std::chrono::milliseconds timeout) const = 0;

  // Stops listening and closes every connection (an outage); Up() listens again on the same
  // port. Requests received so far are kept.
  virtual void Down() = 0;
  virtual void Up() = 0;
};

}  // namespace smsgw::testing
