// Throughput of SqliteStore: Enqueue in batches of various sizes (each batch one transaction and
// one fsync, as GroupCommitter issues them), GroupCommitter itself under N client threads that
// each submit a one-message request and wait for it, as API handlers do, and the store's side of
// a whole delivery (Enqueue, ClaimDue, RecordAccepted, ApplyReceipts) in batches.
// The database lives in $TMPDIR (or /tmp): point that at the disk you want to measure.
//
//   build/release/src/store/sqlite/smsgw_store_sqlite_bench --benchmark_min_time=2

#include <benchmark/benchmark.h>

#include <algorithm>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "core/delivery_status.h"
#include "core/ids.h"
#include "fakes/collecting_handoff.h"
#include "fakes/temp_dir.h"
#include "store/group_committer.h"
#include "store/sqlite/sqlite_store.h"

namespace smsgw::store::sqlite {
namespace {

// A typical accepted message: an OTP with a template, a UUID-based id and a short body.
core::Message TypicalMessage(const std::string& request_id, int n) {
  core::Message m;
  m.request_id = request_id;
  m.id = request_id + ":" + std::to_string(n);
  m.sid = "HXIN0123456789IN";
  m.recipient = "919876543210";
  m.sender = "ACMEIN";
  m.body = "Your one-time password is 482913. It expires in 10 minutes. Do not share it.";
  m.type = core::RouteType::kOtp;
  m.unicode = "AUTO";
  m.created_at = std::chrono::system_clock::now();
  m.template_id = "1107160000000000001";
  m.callback_profile_id = "IN_0d4c6f5e-8a11-4c1e-9b6a-1f2e3d4c5b6a";
  m.status_details = "QUEUED";
  return m;
}

void BM_EnqueueBatch(benchmark::State& state) {
  const int batch_size = static_cast<int>(state.range(0));
  fakes::TempDir dir;
  auto store = SqliteStore::Open(dir.File("bench.db"));
  if (!store) {
    state.SkipWithError(store.error().message.c_str());
    return;
  }
  std::vector<core::Message> batch;
  for (auto _ : state) {
    state.PauseTiming();
    batch.clear();
    // Random UUIDs, as the API mints them: inserts land all over the primary-key index.
    const std::string request_id = core::NewUuid();
    for (int i = 1; i <= batch_size; ++i) {
      batch.push_back(TypicalMessage(request_id, i));
    }
    state.ResumeTiming();
    if (auto enqueued = (*store)->Enqueue(batch); !enqueued) {
      state.SkipWithError(enqueued.error().message.c_str());
      return;
    }
  }
  state.SetItemsProcessed(state.iterations() * batch_size);
}
BENCHMARK(BM_EnqueueBatch)->Arg(1)->Arg(16)->Arg(64)->Arg(256)->UseRealTime();

// Each iteration: `clients` threads each submit kRequestsPerClient one-message requests, one at a
// time, waiting for each completion.
void BM_GroupCommitter(benchmark::State& state) {
  constexpr int kRequestsPerClient = 200;
  const int clients = static_cast<int>(state.range(0));
  fakes::TempDir dir;
  auto store = SqliteStore::Open(dir.File("bench.db"));
  if (!store) {
    state.SkipWithError(store.error().message.c_str());
    return;
  }
  GroupCommitter committer(**store);
  for (auto _ : state) {
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
      threads.emplace_back([&, c] {
        for (int r = 0; r < kRequestsPerClient; ++r) {
          const std::string request_id = core::NewUuid();
          std::vector<core::Message> messages;
          messages.push_back(TypicalMessage(request_id, 1));
          std::promise<bool> done;
          committer.Submit(std::move(messages), [&done](core::Result<void> result) {
            done.set_value(result.has_value());
          });
          if (!done.get_future().get()) {
            std::abort();  // a benchmark that drops messages measures nothing
          }
        }
      });
    }
    for (std::thread& thread : threads) {
      thread.join();
    }
  }
  state.SetItemsProcessed(state.iterations() * clients * kRequestsPerClient);
}
BENCHMARK(BM_GroupCommitter)
    ->Arg(1)
    ->Arg(16)
    ->Arg(64)
    ->Arg(256)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// Each iteration takes `batch` messages through the store's whole delivery cycle, one call (one
// transaction, one fsync) per step as the dispatcher and recorder batch them: Enqueue, ClaimDue,
// RecordAccepted (one part each) and ApplyReceipts (DELIVRD). Items are messages delivered; the
// store starts with a backlog of delivered messages so that indexes have realistic depth. The
// *_us counters split the wall time per message by step (each includes its commit's fsync).
// The second argument: 1 when the messages name a callback profile (each status event then also
// writes a webhook outbox row, handed over claimed as in serve, and each webhook's successful
// attempt is recorded after the step that wrote it: webhook_us), 0 when they have no callback
// target at all. The CPU time Google Benchmark reports is the store's own work per message:
// every write runs on the calling thread.
void BM_DeliveryCycle(benchmark::State& state) {
  const int batch_size = static_cast<int>(state.range(0));
  const bool with_callback = state.range(1) != 0;
  fakes::TempDir dir;
  auto store = SqliteStore::Open(dir.File("bench.db"));
  if (!store) {
    state.SkipWithError(store.error().message.c_str());
    return;
  }
  SqliteStore& s = **store;
  fakes::CollectingHandoff handoff;
  s.SetWebhookHandoff(&handoff, "bench", std::chrono::seconds(60));
  uint64_t next_smsc_id = 1;
  std::chrono::steady_clock::duration step_time[5] = {};
  std::chrono::steady_clock::time_point last;
  auto lap = [&](int step) {
    const auto now = std::chrono::steady_clock::now();
    if (step >= 0) {
      step_time[step] += now - last;
    }
    last = now;
  };
  // What the sender records once the handed-over webhooks were answered 200.
  auto record_webhooks = [&]() -> core::Result<void> {
    if (handoff.taken.empty()) {
      return {};
    }
    std::vector<WebhookAttempt> attempts;
    attempts.reserve(handoff.taken.size());
    for (const WebhookJob& job : handoff.taken) {
      attempts.push_back(WebhookAttempt{job.event_id, std::chrono::system_clock::now(),
                                        std::chrono::milliseconds(1), 200, "", std::nullopt});
    }
    handoff.taken.clear();
    lap(-1);
    auto recorded = s.RecordWebhookAttempts(attempts);
    lap(4);
    return recorded;
  };
  auto cycle = [&]() -> core::Result<void> {
    std::vector<core::Message> batch;
    const std::string request_id = core::NewUuid();
    for (int i = 1; i <= batch_size; ++i) {
      batch.push_back(TypicalMessage(request_id, i));
      if (!with_callback) {
        batch.back().callback_profile_id.clear();
      }
    }
    lap(-1);
    if (auto enqueued = s.Enqueue(batch); !enqueued) {
      return enqueued;
    }
    lap(0);
    const core::TimePoint now = std::chrono::system_clock::now();
    auto claims = s.ClaimDue("bench", now, std::chrono::seconds(60), batch_size);
    if (!claims) {
      return std::unexpected(claims.error());
    }
    lap(1);
    std::vector<PartAccepted> parts;
    std::vector<ReceiptRecord> receipts;
    for (const Claim& claim : *claims) {
      const std::string smsc_id = std::to_string(next_smsc_id++);
      parts.push_back(PartAccepted{claim.message.id, 1, 1, "sim", smsc_id, smsc_id, now});
      receipts.push_back(
          ReceiptRecord{"sim", smsc_id, core::PartState::kDelivered, "DELIVRD", "000", now});
    }
    lap(-1);
    if (auto recorded = s.RecordAccepted(parts); !recorded) {
      return recorded;
    }
    lap(2);
    if (auto recorded = record_webhooks(); !recorded) {
      return recorded;
    }
    lap(-1);
    auto applied = s.ApplyReceipts(receipts);
    if (!applied) {
      return std::unexpected(applied.error());
    }
    lap(3);
    if (auto recorded = record_webhooks(); !recorded) {
      return recorded;
    }
    if (claims->size() != static_cast<size_t>(batch_size)) {
      return core::MakeError(core::Errc::kInternal, "claimed fewer messages than enqueued");
    }
    return {};
  };
  for (int i = 0; i < 20'000 / batch_size; ++i) {
    if (auto done = cycle(); !done) {
      state.SkipWithError(done.error().message.c_str());
      return;
    }
  }
  std::fill(std::begin(step_time), std::end(step_time), std::chrono::steady_clock::duration());
  for (auto _ : state) {
    if (auto done = cycle(); !done) {
      state.SkipWithError(done.error().message.c_str());
      return;
    }
  }
  const auto items = static_cast<double>(state.iterations() * batch_size);
  state.SetItemsProcessed(state.iterations() * batch_size);
  const char* names[5] = {"enqueue_us", "claim_us", "accept_us", "receipt_us", "webhook_us"};
  for (int i = 0; i < 5; ++i) {
    state.counters[names[i]] =
        std::chrono::duration<double, std::micro>(step_time[i]).count() / items;
  }
}
BENCHMARK(BM_DeliveryCycle)->ArgsProduct({{64, 256, 1024}, {0, 1}})->UseRealTime();

}  // namespace
}  // namespace smsgw::store::sqlite

BENCHMARK_MAIN();
