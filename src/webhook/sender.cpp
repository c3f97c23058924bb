#include "webhook/sender.h"

#include <spdlog/spdlog.h>

#include <optional>
#include <random>
#include <span>
#include <utility>

#include "core/callback_header.h"
#include "core/ids.h"
#include "core/thread_name.h"
#include "webhook/basic_auth.h"
#include "webhook/payload.h"
#include "webhook/retry.h"
#include "webhook/signature.h"
#include "webhook/token_cache.h"

namespace smsgw::webhook {
namespace {

constexpr std::string_view kProfileDeleted = "callback profile deleted";

// A uniform number in [0, 1) for retry jitter; per thread, so no lock is needed.
double Jitter() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

bool HasHeader(const std::vector<std::pair<std::string, std::string>>& headers,
               std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() &&
        std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return true;
    }
  }
  return false;
}

TokenKey KeyOf(const store::CallbackAuth& auth) {
  TokenKey key;
  key.token_url = auth.token_url;
  key.client_id = auth.client_id;
  key.client_secret = auth.client_secret;
  return key;
}

int64_t UnixSeconds(core::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// What an attempt that ended with `result` means for the webhook.
store::WebhookAttempt AttemptFor(const store::WebhookJob& job, const Target& target,
                                 core::TimePoint at, const HttpResult& result,
                                 core::TimePoint now) {
  store::WebhookAttempt attempt;
  attempt.event_id = job.event_id;
  attempt.at = at;
  attempt.latency = result.latency;
  attempt.http_status = result.status;
  if (result.error.empty() && result.status >= 200 && result.status < 300) {
    return attempt;  // delivered
  }
  attempt.error = !result.error.empty() ? result.error : "HTTP " + std::to_string(result.status);
  attempt.retry_at = NextAttemptAt(target.retry, job.tries + 1, job.run_started_at, now, Jitter());
  return attempt;
}

// An attempt that ends the webhook without a request (its target is gone or unusable).
store::WebhookAttempt Exhausted(const store::WebhookJob& job, core::TimePoint now,
                                std::string error) {
  store::WebhookAttempt attempt;
  attempt.event_id = job.event_id;
  attempt.at = now;
  attempt.error = std::move(error);
  return attempt;
}

// The request of a webhook with `fields` to `target`: rendered, with its event id, its signature
// (when the account has a secret) and Basic auth; a bearer token is added by the caller.
HttpRequest BuildRequest(const Fields& fields, const Target& target, const std::string& event_id,
                         std::string_view secret, core::TimePoint now) {
  const RenderedRequest rendered = Render(fields, target);
  HttpRequest request;
  request.method = target.method;
  request.url = rendered.url;
  request.body = rendered.body;
  request.headers = target.headers;
  if (!rendered.content_type.empty() && !HasHeader(request.headers, "Content-Type")) {
    request.headers.emplace_back("Content-Type", rendered.content_type);
  }
  request.headers.emplace_back("X-Smsgw-Event-Id", event_id);
  if (!secret.empty()) {
    request.headers.emplace_back(
        std::string(kSignatureHeader),
        SignatureHeaderValue(secret, UnixSeconds(now), rendered.signed_part));
  }
  if (target.auth.kind == store::CallbackAuth::Kind::kBasic) {
    request.headers.emplace_back("Authorization",
                                 BasicAuthorization(target.auth.user, target.auth.password));
  }
  return request;
}

// The first static header of `target` that core::CallbackHeaderProblem refuses.
std::optional<std::string> HeadersProblem(const Target& target) {
  for (const auto& [name, value] : target.headers) {
    if (auto problem = core::CallbackHeaderProblem(name, value)) {
      return problem;
    }
  }
  return std::nullopt;
}

}  // namespace

struct Sender::Done {
  std::string event_id;
  std::string host;                              // the slot it held; empty when it held none
  std::optional<store::WebhookAttempt> attempt;  // nullopt: abandoned at Stop(), give it back
};

core::Result<std::unique_ptr<Sender>> Sender::Start(store::WebhookStore& webhooks,
                                                    store::CallbackProfileStore& profiles,
                                                    const core::Clock& clock, Options options) {
  std::string error;
  std::unique_ptr<HttpClient> http = HttpClient::Start(options.http, &error);
  if (http == nullptr) {
    return core::MakeError(core::Errc::kUnavailable, "webhook HTTP client: " + error);
  }
  std::unique_ptr<Sender> sender(new Sender(webhooks, profiles, clock, std::move(options)));
  sender->http_ = std::move(http);
  sender->tokens_ = std::make_unique<TokenCache>(*sender->http_, clock);
  sender->record_thread_ = std::thread([s = sender.get()] {
    core::NameThisThread("webhook-record");
    s->RecordLoop();
  });
  sender->claim_thread_ = std::thread([s = sender.get()] {
    core::NameThisThread("webhook-claim");
    s->ClaimLoop();
  });
  webhooks.SetWebhookHandoff(sender.get(), sender->options_.owner, sender->options_.claim_lease);
  return sender;
}

Sender::Sender(store::WebhookStore& webhooks, store::CallbackProfileStore& profiles,
               const core::Clock& clock, Options options)
    : webhooks_(webhooks), profiles_(profiles), clock_(clock), options_(std::move(options)) {}

Sender::~Sender() { Stop(); }

void Sender::Wake() {
  std::lock_guard lock(mu_);
  wake_ = true;
  claim_cv_.notify_all();
}

Sender::Counters Sender::counters() const {
  std::lock_guard lock(mu_);
  return counters_;
}

void Sender::TakeWebhooks(std::vector<store::WebhookJob> jobs) {
  std::lock_guard lock(mu_);
  if (handed_.empty()) {
    handed_ = std::move(jobs);
  } else {
    std::move(jobs.begin(), jobs.end(), std::back_inserter(handed_));
  }
  claim_cv_.notify_all();
}

void Sender::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopped_) {
      return;
    }
    stopped_ = true;
  }
  webhooks_.ClearWebhookHandoff(this);  // nothing is handed over after this
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    claim_cv_.notify_all();
  }
  if (claim_thread_.joinable()) {
    claim_thread_.join();
  }
  {
    // Handed over and not sent yet: given back below with the rest.
    std::lock_guard lock(mu_);
    for (const store::WebhookJob& job : handed_) {
      abandoned_.push_back(job.event_id);
    }
    handed_.clear();
  }
  {
    std::unique_lock lock(mu_);
    idle_cv_.wait_for(lock, options_.stop_timeout, [&] { return held_ == 0; });
    abandoning_ = true;
  }
  // Every request still queued or running completes now with "stopped" (Finish gives it back).
  if (http_ != nullptr) {
    http_->Stop();
  }
  {
    // A SendTest that got in before stopped_ may still be handing its request over.
    std::unique_lock lock(mu_);
    idle_cv_.wait(lock, [&] { return test_entries_ == 0; });
  }
  tokens_.reset();
  {
    std::lock_guard lock(mu_);
    recorder_stop_ = true;
    record_cv_.notify_all();
  }
  if (record_thread_.joinable()) {
    record_thread_.join();
  }
  std::vector<std::string> abandoned;
  {
    std::lock_guard lock(mu_);
    abandoned.swap(abandoned_);
    counters_.deferred += abandoned.size();
  }
  if (!abandoned.empty()) {
    if (auto r = webhooks_.DeferWebhooks(abandoned, clock_.Now()); !r) {
      SPDLOG_WARN("webhook: giving back {} webhooks at stop failed: {}", abandoned.size(),
                  r.error().message);
    }
  }
}

void Sender::ClaimLoop() {
  while (true) {
    std::vector<store::WebhookJob> jobs;
    size_t limit = 0;
    {
      std::unique_lock lock(mu_);
      claim_cv_.wait(lock,
                     [&] { return stopping_ || !handed_.empty() || held_ < options_.max_held; });
      if (stopping_) {
        return;
      }
      jobs.swap(handed_);  // already claimed: they go first
      const size_t in_hand = held_ + jobs.size();
      limit = in_hand < options_.max_held
                  ? std::min(options_.claim_batch, options_.max_held - in_hand)
                  : 0;
      wake_ = false;
    }
    const core::TimePoint now = clock_.Now();
    size_t claimed = 0;
    if (limit > 0) {
      auto more = webhooks_.ClaimWebhooks(options_.owner, now, options_.claim_lease, limit);
      if (!more) {
        SPDLOG_WARN("webhook: claiming failed: {}", more.error().message);
      } else {
        claimed = more->size();
        std::move(more->begin(), more->end(), std::back_inserter(jobs));
      }
    }
    const Dispatched d = Dispatch(jobs, now);
    // Wait when nothing more is due, and also when a whole batch went back to hosts that are
    // full: claiming and deferring a dead host's backlog back to back would keep the store's
    // writer busy for nothing. Handed-over webhooks end the wait at once.
    if (claimed < limit || (d.sent == 0 && d.deferred > 0)) {
      std::unique_lock lock(mu_);
      claim_cv_.wait_for(lock, options_.idle_poll,
                         [&] { return stopping_ || wake_ || !handed_.empty(); });
    }
  }
}

Sender::Dispatched Sender::Dispatch(std::vector<store::WebhookJob>& jobs, core::TimePoint now) {
  // Profiles are read once per batch: a batch often holds many webhooks of one profile. Inline
  // callbacks are parsed once per batch too: an account's sends usually carry the same one.
  std::unordered_map<std::string, core::Result<store::CallbackProfile>> profiles;
  std::unordered_map<std::string, core::Result<Target>> inline_targets;
  std::vector<std::string> deferred;
  size_t sent = 0;
  for (store::WebhookJob& job : jobs) {
    core::Result<Target> target = core::MakeError(core::Errc::kNotFound, "no callback");
    if (!job.callback.empty()) {
      auto it = inline_targets.find(job.callback);
      if (it == inline_targets.end()) {
        it = inline_targets.emplace(job.callback, TargetFromCallback(job.callback)).first;
      }
      target = it->second;
    } else if (!job.callback_profile_id.empty()) {
      const std::string key = job.sid + '\n' + job.callback_profile_id;
      auto it = profiles.find(key);
      if (it == profiles.end()) {
        it = profiles.emplace(key, profiles_.GetCallbackProfile(job.sid, job.callback_profile_id))
                 .first;
      }
      if (it->second) {
        target = TargetFromProfile(*it->second);
      } else if (it->second.error().code == core::Errc::kNotFound) {
        target = core::MakeError(core::Errc::kNotFound, std::string(kProfileDeleted));
      } else {
        // The store could not answer: try again later, no attempt counted.
        deferred.push_back(job.event_id);
        continue;
      }
    }
    std::string host = target ? HostKey(target->url) : "";
    if (!target || host.empty()) {
      std::string error = !target ? target.error().message : "callback url is not http(s)";
      if (!job.callback.empty() && !target) {
        error = "invalid callback: " + error;
      }
      Finish(Done{job.event_id, "", Exhausted(job, now, std::move(error))});
      continue;
    }
    // Stored before the API applied the header rule, or written behind its back: never sent.
    if (auto problem = HeadersProblem(*target)) {
      Finish(Done{job.event_id, "", Exhausted(job, now, "callback header refused: " + *problem)});
      continue;
    }
    {
      std::lock_guard lock(mu_);
      if (held_ >= options_.max_held) {  // handed over beyond what may be in hand
        deferred.push_back(job.event_id);
        continue;
      }
      size_t& on_host = host_held_[host];
      if (on_host >= options_.per_host_held) {
        deferred.push_back(job.event_id);
        continue;
      }
      ++on_host;
      ++held_;
    }
    ++sent;
    Send(std::move(job), std::move(*target), std::move(host));
  }
  if (!deferred.empty()) {
    if (auto r = webhooks_.DeferWebhooks(deferred, now + options_.host_full_delay); !r) {
      SPDLOG_WARN("webhook: giving back {} webhooks failed: {}", deferred.size(),
                  r.error().message);
    }
    std::lock_guard lock(mu_);
    counters_.deferred += deferred.size();
  }
  return {sent, deferred.size()};
}

void Sender::Send(store::WebhookJob job, Target target, std::string host) {
  HttpRequest request =
      BuildRequest(JobFields(job), target, job.event_id, job.secret, clock_.Now());
  switch (target.auth.kind) {
    case store::CallbackAuth::Kind::kNone:
    case store::CallbackAuth::Kind::kBasic:
      break;
    case store::CallbackAuth::Kind::kBearerToken: {
      const TokenKey key = KeyOf(target.auth);
      tokens_->Get(key, [this, job = std::move(job), target = std::move(target),
                         host = std::move(host), request = std::move(request)](
                            std::expected<std::string, std::string> token) mutable {
        if (!token) {
          const core::TimePoint now = clock_.Now();
          HttpResult failed;
          failed.error = "token: " + token.error();
          bool abandon = false;
          {
            std::lock_guard lock(mu_);
            abandon = abandoning_;
          }
          if (abandon) {
            Finish(Done{job.event_id, host, std::nullopt});
            return;
          }
          Finish(Done{job.event_id, host, AttemptFor(job, target, now, failed, now)});
          return;
        }
        Submit(job, target, host, std::move(request), std::move(*token));
      });
      return;
    }
  }
  Submit(job, target, host, std::move(request), "");
}

void Sender::Submit(const store::WebhookJob& job, const Target& target, const std::string& host,
                    HttpRequest request, std::string bearer_token) {
  if (!bearer_token.empty()) {
    request.headers.emplace_back("Authorization", "Bearer " + bearer_token);
  }
  const core::TimePoint at = clock_.Now();
  {
    std::lock_guard lock(mu_);
    ++counters_.sent;
  }
  http_->Submit(std::move(request), [this, job, target, host, at,
                                     bearer_token = std::move(bearer_token)](HttpResult result) {
    bool abandon = false;
    {
      std::lock_guard lock(mu_);
      abandon = abandoning_ && result.status == 0;
    }
    if (abandon) {
      Finish(Done{job.event_id, host, std::nullopt});
      return;
    }
    if (result.status == 401 && !bearer_token.empty() && tokens_ != nullptr) {
      tokens_->Invalidate(KeyOf(target.auth), bearer_token);
    }
    Finish(Done{job.event_id, host, AttemptFor(job, target, at, result, clock_.Now())});
  });
}

bool Sender::SendTest(std::string_view sid, const Target& target, std::string_view secret,
                      std::function<void(TestResult)> done) {
  TestResult result;
  result.event_id = "test-" + core::NewUuid();
  bool stopped = false;
  {
    std::lock_guard lock(mu_);
    stopped = stopped_;
    if (!stopped) {
      if (!testing_.emplace(sid).second) {
        return false;
      }
      ++test_entries_;  // Stop() keeps the token cache until we are out of it
    }
  }
  if (stopped) {
    result.error = "stopped";
    done(std::move(result));
    return true;
  }
  // Every way out: the account may test again, and `done` gets the result.
  auto finish = [this, account = std::string(sid), done = std::move(done)](TestResult r) {
    {
      std::lock_guard lock(mu_);
      testing_.erase(account);
    }
    done(std::move(r));
  };
  auto leave = [this] {
    std::lock_guard lock(mu_);
    --test_entries_;
    idle_cv_.notify_all();
  };
  if (auto problem = HeadersProblem(target)) {
    result.error = "callback header refused: " + *problem;
    finish(std::move(result));
    leave();
    return true;
  }
  HttpRequest request = BuildRequest(TestFields(result.event_id, clock_.Now()), target,
                                     result.event_id, secret, clock_.Now());
  request.headers.emplace_back("X-Smsgw-Test", "1");
  result.is_signed = !secret.empty();
  // Sends `request` (with a bearer token when one is given) and reports its answer.
  auto submit = [this, finish, result, auth = target.auth](HttpRequest request,
                                                           const std::string& token) mutable {
    if (!token.empty()) {
      request.headers.emplace_back("Authorization", "Bearer " + token);
    }
    http_->Submit(std::move(request),
                  [this, finish, result, auth, token](HttpResult answer) mutable {
                    // As for a real webhook: a refused token is not used again.
                    if (answer.status == 401 && !token.empty() && tokens_ != nullptr) {
                      tokens_->Invalidate(KeyOf(auth), token);
                    }
                    result.http_status = answer.status;
                    result.error = std::move(answer.error);
                    result.latency = answer.latency;
                    finish(std::move(result));
                  });
  };
  if (target.auth.kind == store::CallbackAuth::Kind::kBearerToken) {
    tokens_->Get(KeyOf(target.auth), [submit, finish, result, request = std::move(request)](
                                         std::expected<std::string, std::string> token) mutable {
      if (!token) {
        result.error = "token: " + token.error();
        finish(std::move(result));
        return;
      }
      submit(std::move(request), *token);
    });
  } else {
    submit(std::move(request), "");
  }
  leave();
  return true;
}

void Sender::Finish(Done done) {
  std::lock_guard lock(mu_);
  // The host's share is what it has not answered yet: a webhook waiting for its attempt to be
  // recorded waits on our store, not on the host, and still counts in held_ until then.
  if (!done.host.empty()) {
    auto it = host_held_.find(done.host);
    if (it != host_held_.end() && --it->second == 0) {
      host_held_.erase(it);
    }
  }
  if (!done.attempt) {
    abandoned_.push_back(std::move(done.event_id));
    if (!done.host.empty()) {
      --held_;
      claim_cv_.notify_all();
      idle_cv_.notify_all();
    }
    return;
  }
  done_.push_back(std::move(done));
  if (done_.size() == 1 || done_.size() >= options_.record_batch) {
    record_cv_.notify_all();
  }
}

void Sender::RecordLoop() {
  std::vector<Done> batch;
  std::vector<store::WebhookAttempt> attempts;
  while (true) {
    {
      std::unique_lock lock(mu_);
      record_cv_.wait(lock, [&] { return recorder_stop_ || !done_.empty(); });
      if (done_.empty()) {
        return;  // stopping, and nothing left
      }
      // Give the batch a moment to fill: one transaction for many completions.
      const auto flush_at = std::chrono::steady_clock::now() + options_.record_flush;
      record_cv_.wait_until(
          lock, flush_at, [&] { return recorder_stop_ || done_.size() >= options_.record_batch; });
      while (!done_.empty() && batch.size() < options_.record_batch) {
        batch.push_back(std::move(done_.front()));
        done_.pop_front();
      }
    }
    attempts.clear();
    for (const Done& d : batch) {
      attempts.push_back(*d.attempt);
    }
    for (int tries = 0;; ++tries) {
      auto r = webhooks_.RecordWebhookAttempts(attempts);
      if (r) {
        break;
      }
      bool give_up = false;
      {
        std::unique_lock lock(mu_);
        give_up = recorder_stop_ && tries >= 3;
        if (!give_up) {
          record_cv_.wait_for(lock, std::chrono::milliseconds(100));
        }
      }
      if (give_up) {
        // The rows stay claimed until their lease ends; a restart hands them out again.
        SPDLOG_ERROR("webhook: recording {} attempts failed, dropped: {}", attempts.size(),
                     r.error().message);
        break;
      }
      SPDLOG_WARN("webhook: recording {} attempts failed, retrying: {}", attempts.size(),
                  r.error().message);
    }
    {
      std::lock_guard lock(mu_);
      for (const Done& d : batch) {
        const store::WebhookAttempt& a = *d.attempt;
        if (!d.host.empty()) {
          latency_.Observe(std::chrono::duration<double>(a.latency).count());
        }
        if (a.error.empty()) {
          ++counters_.delivered;
        } else {
          if (!d.host.empty()) {
            ++counters_.failed;  // a request was made (or its token fetch failed)
          }
          if (!a.retry_at) {
            ++counters_.exhausted;
          }
        }
        if (!d.host.empty()) {
          --held_;
        }
      }
      claim_cv_.notify_all();
      idle_cv_.notify_all();
    }
    batch.clear();
  }
}

}  // namespace smsgw::webhook
