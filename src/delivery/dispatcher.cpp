#include "delivery/dispatcher.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>

#include "core/delivery_status.h"
#include "core/thread_name.h"
#include "smpp/codec/command_status.h"
#include "smpp/codec/message_id.h"
#include "smpp/session_error.h"

namespace smsgw::delivery {
namespace {

namespace asio = smpp::asio;
namespace codec = smpp::codec;

constexpr int kPriorities = 3;  // core::ClaimPriority values
// One claim transaction takes at most this many messages, and a new one is made (while the
// last was full) once this many slots are free: batches keep the claim cost per message low.
constexpr size_t kMaxClaimBatch = 1000;
constexpr size_t kMinClaimBatch = 100;

// Enough in hand to keep every session's window full between claims, few enough that claimed
// messages never wait in our memory anywhere near their lease.
size_t DeriveMaxHeld(const std::vector<Connector*>& connectors, std::chrono::seconds lease) {
  size_t slots = 0;
  double tps = 0;
  bool all_limited = !connectors.empty();
  for (const Connector* c : connectors) {
    slots += static_cast<size_t>(c->config().binds * c->config().window) * 4;
    if (c->config().tps > 0) {
      tps += c->config().tps * c->config().binds;
    } else {
      all_limited = false;
    }
  }
  size_t held = std::clamp<size_t>(slots, 1000, 5000);
  if (all_limited) {
    // Whatever is in hand must be sent well within the lease.
    held = std::min(held, std::max<size_t>(1, static_cast<size_t>(tps * lease.count() / 4)));
  }
  return held;
}

double Jitter() {
  thread_local std::minstd_rand rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

}  // namespace

// A message being sent: its parts, and where it goes.
struct Dispatcher::InFlight {
  store::Claim claim;
  Lane* lane = nullptr;
  size_t session = 0;
  std::vector<codec::SubmitSm> parts;
  size_t next = 0;  // index into parts
};

// One connector's queue of routed messages, by priority, and its sessions' load.
struct Dispatcher::Lane {
  Connector* connector;
  std::deque<store::Claim> waiting[kPriorities];
  std::vector<size_t> outstanding;  // messages handed to each session and not finished
  // How many each session may have outstanding now (slow start): 1 at first and after a submit
  // lost its link, one more for every part the SMSC accepts, up to two windows. A message that
  // takes the link down (a poison message, or an SMSC that just recovered and falls over again)
  // then goes alone after the reconnect instead of with a full window of others, which would all
  // be retried with it.
  std::vector<size_t> opened;
  size_t next_session = 0;
};

Dispatcher::Dispatcher(asio::io_context& io, store::DeliveryStore& store, Recorder& recorder,
                       std::vector<Connector*> connectors, Router router, const core::Clock& clock,
                       DispatcherOptions options)
    : io_(io),
      store_(store),
      recorder_(recorder),
      router_(std::move(router)),
      clock_(clock),
      options_(std::move(options)),
      max_held_(options_.max_held ? options_.max_held
                                  : DeriveMaxHeld(connectors, options_.claim_lease)) {
  for (Connector* c : connectors) {
    auto lane = std::make_unique<Lane>();
    lane->connector = c;
    lane->outstanding.assign(c->session_count(), 0);
    lane->opened.assign(c->session_count(), 1);
    lanes_.push_back(std::move(lane));
  }
}

Dispatcher::~Dispatcher() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (claimer_.joinable()) {
    claimer_.join();
  }
}

void Dispatcher::Start() {
  claimer_ = std::thread([this] {
    core::NameThisThread("delivery-claim");
    ClaimLoop();
  });
}

bool Dispatcher::AnyBound() const {
  return std::any_of(lanes_.begin(), lanes_.end(),
                     [](const auto& lane) { return lane->connector->bound(); });
}

void Dispatcher::ClaimLoop() {
  // At start the sessions are still connecting: claiming now would hand the whole first batch
  // back as NO-BIND retries. Wait (briefly) for a first bind.
  const auto grace_end = std::chrono::steady_clock::now() + options_.bind_grace;
  while (std::chrono::steady_clock::now() < grace_end && !AnyBound()) {
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, std::chrono::milliseconds(10), [this] { return stopping_; })) {
      return;
    }
  }
  bool last_full = false;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      // After a full batch, claim again as soon as a batch's worth of slots is free; after a
      // short one (the store has nothing more due), look again after the poll interval.
      const auto ready = [this, last_full] {
        const size_t held = held_.load();
        return stopping_ || (last_full && held + kMinClaimBatch <= max_held_);
      };
      if (!ready()) {
        cv_.wait_for(lock, options_.poll, ready);
      }
      if (stopping_) {
        return;
      }
    }
    const size_t held = held_.load();
    if (held >= max_held_) {
      last_full = false;
      continue;
    }
    // With no connector bound, whatever was claimed would only be handed back as a NO-BIND retry
    // and claimed again later: a queue that nobody can send would be rewritten over and over, at
    // a cost growing with its size. It waits in the store until a connector binds.
    if (!AnyBound()) {
      last_full = false;
      continue;
    }
    const size_t limit = std::min(max_held_ - held, kMaxClaimBatch);
    auto claims = store_.ClaimDue(options_.owner, clock_.Now(), options_.claim_lease, limit);
    if (!claims) {
      SPDLOG_WARN("delivery: cannot claim messages: {}", claims.error().message);
      last_full = false;
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stopping_; });
      continue;
    }
    last_full = claims->size() == limit;
    if (claims->empty()) {
      continue;
    }
    held_ += claims->size();
    claimed_ += claims->size();
    asio::post(io_, [this, claims = std::move(*claims)]() mutable { OnClaims(std::move(claims)); });
  }
}

void Dispatcher::OnClaims(std::vector<store::Claim> claims) {
  std::vector<Lane*> touched;
  for (store::Claim& claim : claims) {
    if (stopped_) {
      Release(Temporary(claim, "STOPPING"));
      continue;
    }
    Route(std::move(claim));
  }
  for (auto& lane : lanes_) {
    Pump(*lane);
  }
}

void Dispatcher::Route(store::Claim claim) {
  const core::Message& m = claim.message;
  if (clock_.Now() >= ValidUntil(m, options_.validity)) {
    ++expired_;
    Release(Permanent(claim, "EXPIRED"));
    return;
  }
  if (claim.opted_out && !(options_.opt_out_exempts_otp && m.type == core::RouteType::kOtp)) {
    ++opted_out_;
    Release(Permanent(claim, "OPTOUT"));
    return;
  }
  Lane* chosen = nullptr;
  bool any_candidate = false;
  if (!claim.connector.empty()) {
    // Parts already went through this connector: the rest must follow them there (same
    // concatenation method and reference).
    for (auto& lane : lanes_) {
      if (lane->connector->name() == claim.connector) {
        any_candidate = true;
        if (lane->connector->bound()) {
          chosen = lane.get();
        }
      }
    }
  }
  if (!any_candidate) {
    for (size_t index : router_.Candidates(m.recipient, m.type)) {
      any_candidate = true;
      if (lanes_[index]->connector->bound()) {
        chosen = lanes_[index].get();
        break;
      }
    }
  }
  if (!any_candidate) {
    ++no_route_;
    Release(Permanent(claim, "NO-ROUTE"));
    return;
  }
  if (!chosen) {
    Release(Temporary(claim, "NO-BIND"));
    return;
  }
  const int priority = std::clamp(core::ClaimPriority(m.type), 0, kPriorities - 1);
  chosen->waiting[priority].push_back(std::move(claim));
}

void Dispatcher::Pump(Lane& lane) {
  Connector& c = *lane.connector;
  const size_t cap = static_cast<size_t>(c.config().window) * 2;
  const size_t sessions = lane.outstanding.size();
  for (;;) {
    std::deque<store::Claim>* queue = nullptr;
    for (auto& q : lane.waiting) {
      if (!q.empty()) {
        queue = &q;
        break;
      }
    }
    if (!queue) {
      return;
    }
    // The least loaded bound session, starting the scan round robin.
    size_t best = sessions;
    for (size_t k = 0; k < sessions; ++k) {
      const size_t i = (lane.next_session + k) % sessions;
      if (c.session(i).bound() && lane.outstanding[i] < std::min(cap, lane.opened[i]) &&
          (best == sessions || lane.outstanding[i] < lane.outstanding[best])) {
        best = i;
      }
    }
    if (best == sessions) {
      if (!c.bound()) {
        // The link went down after routing: hand everything back for a retry (another
        // connector may take it then).
        for (auto& q : lane.waiting) {
          while (!q.empty()) {
            Release(Temporary(q.front(), "NO-BIND"));
            q.pop_front();
          }
        }
      }
      return;
    }
    lane.next_session = (best + 1) % sessions;
    auto f = std::make_shared<InFlight>();
    f->claim = std::move(queue->front());
    queue->pop_front();
    const core::Message& m = f->claim.message;
    const auto left = std::chrono::duration_cast<std::chrono::seconds>(
        ValidUntil(m, options_.validity) - clock_.Now());
    auto parts = PlanSubmits(m, c.wire(), left);
    if (!parts) {
      Release(Permanent(f->claim, "UNENCODABLE: " + parts.error().message));
      continue;
    }
    f->parts = std::move(*parts);
    f->lane = &lane;
    f->session = best;
    ++lane.outstanding[best];
    ++in_sessions_;
    SubmitNext(f);
  }
}

void Dispatcher::SubmitNext(const std::shared_ptr<InFlight>& f) {
  const auto& done = f->claim.parts_done;
  while (f->next < f->parts.size() &&
         std::find(done.begin(), done.end(), static_cast<int>(f->next + 1)) != done.end()) {
    ++f->next;
  }
  if (f->next == f->parts.size()) {
    Finish(f.get(), std::nullopt);
    return;
  }
  if (stopped_) {
    // The parts sent so far are recorded; the rest go after the restart.
    const auto now = clock_.Now();
    Finish(f.get(), store::SubmitFailure{f->claim.message.id, now, "STOPPING", now});
    return;
  }
  // A copy: a part refused for a throttle is sent again by the session, and a retry after a
  // failure rebuilds the parts anyway.
  f->lane->connector->session(f->session)
      .Submit(f->parts[f->next], {},
              [this, f](smpp::SubmitResult result) { OnResult(f, std::move(result)); });
}

void Dispatcher::OnResult(const std::shared_ptr<InFlight>& f, smpp::SubmitResult result) {
  const store::Claim& claim = f->claim;
  if (!result.status) {
    Connector& c = *f->lane->connector;
    store::PartAccepted part;
    part.message_id = claim.message.id;
    part.part = static_cast<int>(f->next + 1);
    part.total_parts = static_cast<int>(f->parts.size());
    part.connector = c.name();
    part.smsc_id = codec::NormalizeMessageId(result.message_id, c.id_formats().resp);
    part.smsc_id_raw = std::move(result.message_id);
    part.at = clock_.Now();
    recorder_.Accepted(std::move(part));
    ++parts_submitted_;
    size_t& opened = f->lane->opened[f->session];
    opened = std::min(opened + 1, static_cast<size_t>(c.config().window) * 2);
    ++f->next;
    SubmitNext(f);
    return;
  }
  if (result.status == smpp::SessionError::kLinkDown ||
      result.status == smpp::SessionError::kNotBound) {
    f->lane->opened[f->session] = 1;  // the next bind starts slow
  }
  if (smpp::IsRetriable(result.status)) {
    Finish(f.get(), Temporary(claim, smpp::StatusName(result.status)));
  } else {
    Finish(f.get(), Permanent(claim, smpp::StatusName(result.status)));
  }
}

void Dispatcher::Finish(InFlight* f, std::optional<store::SubmitFailure> failure) {
  --f->lane->outstanding[f->session];
  --in_sessions_;
  Release(std::move(failure));
  Pump(*f->lane);
  MaybeStopped();
}

void Dispatcher::Release(std::optional<store::SubmitFailure> failure) {
  if (failure) {
    if (failure->retry_at) {
      ++retries_;
    } else {
      ++not_sent_;
    }
    recorder_.Failed(std::move(*failure));
  }
  if (held_.fetch_sub(1) + kMinClaimBatch - 1 <= max_held_) {
    cv_.notify_one();
  }
}

store::SubmitFailure Dispatcher::Temporary(const store::Claim& claim, std::string reason) {
  const auto now = clock_.Now();
  const auto delay = RetryDelay(claim.attempts, options_.retry_min, options_.retry_max, Jitter());
  return {claim.message.id, now + delay, std::move(reason), now};
}

store::SubmitFailure Dispatcher::Permanent(const store::Claim& claim, std::string reason) {
  return {claim.message.id, std::nullopt, std::move(reason), clock_.Now()};
}

void Dispatcher::Stop(std::function<void()> done) {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (claimer_.joinable()) {
    claimer_.join();
  }
  asio::post(io_, [this, done = std::move(done)]() mutable {
    stopped_ = true;
    on_stopped_ = std::move(done);
    const auto now = clock_.Now();
    for (auto& lane : lanes_) {
      for (auto& q : lane->waiting) {
        while (!q.empty()) {
          // Due again at once: the next start (or another node) sends it.
          Release(store::SubmitFailure{q.front().message.id, now, "STOPPING", now});
          q.pop_front();
        }
      }
    }
    MaybeStopped();
  });
}

void Dispatcher::MaybeStopped() {
  if (stopped_ && in_sessions_ == 0 && on_stopped_) {
    auto done = std::move(on_stopped_);
    on_stopped_ = nullptr;
    done();
  }
}

DispatcherStats Dispatcher::stats() const {
  return {claimed_.load(),  parts_submitted_.load(), retries_.load(),   not_sent_.load(),
          no_route_.load(), expired_.load(),         opted_out_.load(), held_.load()};
}

}  // namespace smsgw::delivery
