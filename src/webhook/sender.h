#pragma once
// Sender delivers the webhook outbox (store::WebhookStore): it claims due webhooks with a lease,
// resolves each one's Target (inline callback, or the account's callback profile), renders and
// signs the request, sends it through an HttpClient, and records every attempt with what follows
// (delivered, retry at a time from the retry policy, or exhausted), many attempts per
// transaction.
//
// Memory and fairness: at most `max_held` webhooks are in hand (claimed, not yet recorded), and
// at most `per_host_held` of them waiting for one host's answer (scheme, host, port). A claimed
// webhook whose host already has its share is given back (DeferWebhooks, due again
// `host_full_delay` later), so a dead or slow host cannot fill the sender and starve the others.
//
// Status webhooks come without a claim: the Sender is the store's WebhookHandoff while it runs,
// so the delivery writes hand over what they wrote (already claimed for it) once committed, and
// the claim thread sends those first. Claims pick up the rest: inbound webhooks, retries, and
// what an earlier process left.
//
// SendTest sends one test webhook (a callback profile's "send test callback") through the same
// HttpClient, egress policy, signing and authentication, outside the outbox: nothing is stored
// or retried, and it reports what happened.
//
// Threads: one claim thread, one recorder thread, and the HttpClient's thread, all owned here.
// Start, Wake, Stop, TakeWebhooks, SendTest and counters() are safe from any thread.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "metrics/histogram.h"
#include "store/callback_profile_store.h"
#include "store/webhook_store.h"
#include "webhook/http_client.h"
#include "webhook/target.h"

namespace smsgw::webhook {

class TokenCache;

class Sender : public store::WebhookHandoff {
 public:
  struct Options {
    // The claim owner (the node id); a store does not hand an owner's own expired claims back
    // to it, so it must differ between processes sharing a store.
    std::string owner = "webhook-sender";
    // How long a claimed webhook stays ours; longer than a request can take.
    std::chrono::milliseconds claim_lease{60000};
    size_t max_held = 5000;      // webhooks in hand at most
    size_t per_host_held = 500;  // of those, waiting for one host's answer at most
    size_t claim_batch = 500;    // webhooks claimed per store call at most
    // How long the claim thread waits when nothing was due (Wake() cuts it short).
    std::chrono::milliseconds idle_poll{100};
    // A webhook given back because its host has its share in hand is due again after this.
    std::chrono::milliseconds host_full_delay{1000};
    size_t record_batch = 256;  // attempts per RecordWebhookAttempts call at most
    // How long the recorder waits for more completions before it writes a smaller batch.
    std::chrono::milliseconds record_flush{5};
    // Stop() waits this long for requests in flight before giving the rest back.
    std::chrono::milliseconds stop_timeout{5000};
    HttpClient::Options http;
  };

  struct Counters {
    uint64_t sent = 0;       // requests handed to the HTTP client
    uint64_t delivered = 0;  // attempts answered 2xx
    uint64_t failed = 0;     // attempts that failed (retried later, or exhausted)
    uint64_t exhausted = 0;  // webhooks given up (policy exhausted, profile deleted, bad target)
    uint64_t deferred = 0;   // webhooks given back unsent (host at its share, or stopping)
  };

  // Starts the HTTP client and the sender's threads. kUnavailable when the HTTP client cannot be
  // set up. The stores and the clock must outlive the Sender.
  static core::Result<std::unique_ptr<Sender>> Start(store::WebhookStore& webhooks,
                                                     store::CallbackProfileStore& profiles,
                                                     const core::Clock& clock, Options options);

  ~Sender();
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;

  // Claims at once instead of waiting out the idle poll (a new webhook was written).
  void Wake();

  // store::WebhookHandoff: queued for the claim thread, which sends them before it claims more
  // (those beyond max_held, or for a host at its share, are given back like claimed ones).
  void TakeWebhooks(std::vector<store::WebhookJob> jobs) override;

  // Claims nothing more, waits up to `stop_timeout` for the requests in flight and records them,
  // then ends the rest and gives them back (due now, no attempt counted). Idempotent; the
  // destructor calls it.
  void Stop();

  // What a test webhook's request got.
  struct TestResult {
    std::string event_id;  // its X-Smsgw-Event-Id and event_id field ("test-<uuid>")
    int http_status = 0;   // 0: no answer (see error)
    // Empty when an answer came, whatever its status; else the HttpClient's error ("timeout",
    // "target not allowed", ...), "token: ..." for a bearer token that could not be had,
    // "callback header refused: ...", "stopped" when the sender is stopping.
    std::string error;
    std::chrono::milliseconds latency{0};
    bool is_signed = false;  // carried X-Smsgw-Signature (the account has a webhook secret)
  };
  // Sends one test webhook for account `sid` to `target` now: TestFields rendered as the target
  // renders a status webhook, with `X-Smsgw-Test: 1`, signed with `secret` (none when empty), with
  // the target's Basic or bearer authentication. `done` runs once, on the HTTP client's thread
  // (at once on the caller's when it is refused), no later than the client's request timeout
  // (plus, for bearer auth, the token request's). Returns false, and does not call `done`, when
  // a test of `sid` is already in flight: an account tests one target at a time.
  bool SendTest(std::string_view sid, const Target& target, std::string_view secret,
                std::function<void(TestResult)> done);

  Counters counters() const;
  // The attempts' request latency (requests made, whatever their answer).
  metrics::HistogramSnapshot latency() const { return latency_.Read(); }

 private:
  struct Done;  // one finished (or abandoned) webhook, for the recorder

  Sender(store::WebhookStore& webhooks, store::CallbackProfileStore& profiles,
         const core::Clock& clock, Options options);

  void ClaimLoop();
  // Sends `jobs` (claimed or handed over), giving back what has no room.
  struct Dispatched {
    size_t sent = 0;
    size_t deferred = 0;
  };
  Dispatched Dispatch(std::vector<store::WebhookJob>& jobs, core::TimePoint now);
  void RecordLoop();
  // Resolves, renders and submits one claimed job; the host slot is already taken.
  void Send(store::WebhookJob job, Target target, std::string host);
  void Submit(const store::WebhookJob& job, const Target& target, const std::string& host,
              HttpRequest request, std::string bearer_token);
  // A finished attempt (or an abandoned request) goes to the recorder and frees its slot.
  void Finish(Done done);

  store::WebhookStore& webhooks_;
  store::CallbackProfileStore& profiles_;
  const core::Clock& clock_;
  const Options options_;
  std::unique_ptr<HttpClient> http_;
  std::unique_ptr<TokenCache> tokens_;

  mutable std::mutex mu_;
  std::condition_variable claim_cv_;   // claim thread: wake, stop, or room again
  std::condition_variable record_cv_;  // recorder: work, or stop
  std::condition_variable idle_cv_;    // Stop(): held_ reached 0
  bool stopping_ = false;
  bool stopped_ = false;
  bool wake_ = false;
  bool abandoning_ = false;  // Stop() gave up waiting: "stopped" completions are given back
  bool recorder_stop_ = false;
  size_t held_ = 0;
  std::unordered_map<std::string, size_t> host_held_;
  std::deque<Done> done_;
  std::vector<store::WebhookJob> handed_;  // from TakeWebhooks, for the claim thread
  std::vector<std::string> abandoned_;
  std::unordered_set<std::string> testing_;  // accounts with a test webhook in flight
  int test_entries_ = 0;  // SendTest calls inside the client or token cache right now
  Counters counters_;
  metrics::Histogram latency_{metrics::kLatencyBuckets};

  std::thread claim_thread_;
  std::thread record_thread_;
};

}  // namespace smsgw::webhook
