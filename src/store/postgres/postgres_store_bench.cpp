// Throughput of PostgresStore's Enqueue: in batches of various sizes (each batch one transaction,
// one INSERT over unnest() and one commit, as GroupCommitter issues them), and GroupCommitter
// itself under N client threads that each submit a one-message request and wait for it, as API
// handlers do. Run by hand against a server whose durability you mean to measure, e.g. the
// tests' cluster with fsync on:
//
//   sh tests/postgres/server.sh start /tmp/smsgw-pg-bench durable
//   export SMSGW_TEST_POSTGRES='postgresql:///smsgw?host=/tmp/smsgw-pg-bench&user=smsgw'
//   build/bench/src/store/postgres/smsgw_store_postgres_bench --benchmark_min_time=2
//   sh tests/postgres/server.sh stop /tmp/smsgw-pg-bench
//
// Each benchmark runs in a schema of its own (tests/postgres/test_schema.h), dropped afterwards.

#include <benchmark/benchmark.h>

#include <future>
#include <string>
#include <thread>
#include <vector>

#include "core/ids.h"
#include "postgres/test_schema.h"
#include "store/group_committer.h"
#include "store/postgres/postgres_store.h"

namespace smsgw::store::postgres {
namespace {

// A typical accepted message, as in the SQLite bench: an OTP with a template and a UUID-based id.
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

// A store in a new schema, or the reason there is none (reported through SkipWithError).
struct BenchStore {
  std::unique_ptr<test_postgres::TestSchema> schema;
  std::unique_ptr<PostgresStore> store;
  std::string error;
};

BenchStore OpenBenchStore(size_t pool_size) {
  BenchStore out;
  auto server = test_postgres::TestSchema::ServerUri();
  if (!server) {
    out.error = "set SMSGW_TEST_POSTGRES to the server's URI";
    return out;
  }
  auto schema = test_postgres::TestSchema::Create(*server);
  if (!schema) {
    out.error = schema.error().message;
    return out;
  }
  out.schema = std::move(*schema);
  PostgresStore::Options options;
  options.conninfo = out.schema->uri();
  options.pool_size = pool_size;
  auto store = PostgresStore::Open(options);
  if (!store) {
    out.error = store.error().message;
    return out;
  }
  out.store = std::move(*store);
  return out;
}

void BM_EnqueueBatch(benchmark::State& state) {
  const int batch_size = static_cast<int>(state.range(0));
  BenchStore bench = OpenBenchStore(2);
  if (bench.store == nullptr) {
    state.SkipWithError(bench.error.c_str());
    return;
  }
  std::vector<core::Message> batch;
  for (auto _ : state) {
    state.PauseTiming();
    batch.clear();
    const std::string request_id = core::NewUuid();
    for (int i = 1; i <= batch_size; ++i) {
      batch.push_back(TypicalMessage(request_id, i));
    }
    state.ResumeTiming();
    if (auto enqueued = bench.store->messages().Enqueue(batch); !enqueued) {
      state.SkipWithError(enqueued.error().message.c_str());
      return;
    }
  }
  state.SetItemsProcessed(state.iterations() * batch_size);
}
BENCHMARK(BM_EnqueueBatch)->Arg(1)->Arg(16)->Arg(64)->Arg(256)->Arg(1024)->UseRealTime();

// Each iteration: `clients` threads each submit kRequestsPerClient one-message requests, one at a
// time, waiting for each completion.
void BM_GroupCommitter(benchmark::State& state) {
  constexpr int kRequestsPerClient = 200;
  const int clients = static_cast<int>(state.range(0));
  BenchStore bench = OpenBenchStore(2);
  if (bench.store == nullptr) {
    state.SkipWithError(bench.error.c_str());
    return;
  }
  GroupCommitter committer(bench.store->messages());
  for (auto _ : state) {
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
      threads.emplace_back([&] {
        for (int r = 0; r < kRequestsPerClient; ++r) {
          std::vector<core::Message> messages;
          messages.push_back(TypicalMessage(core::NewUuid(), 1));
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

}  // namespace
}  // namespace smsgw::store::postgres

BENCHMARK_MAIN();
