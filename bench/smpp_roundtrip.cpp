// SMPP round-trip benchmark: submit_sm → submit_sm_resp between our ESME session (src/smpp) and
// our simulator (src/smsc_sim) on 127.0.0.1, each on its own io_context thread, as two processes
// would be. Keeps the session's queue fed so the window stays full, for DURATION seconds per
// window size, and prints submit_sm round trips per second and latency percentiles (from
// Submit to its response, queueing included).
//
//   make release && build/release/bench/smsgw_bench_smpp [SECONDS] [WINDOW...]
//   default: 10 s, windows 10 and 100.
//
// Receipts are off (registered_delivery 0): this measures the submit path. With RECEIPTS=1 in
// the environment every submit asks for one and the simulator sends it after 0 ms, so the
// session also handles one deliver_sm per message.

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <thread>
#include <vector>

#include "smpp/codec/submit_builder.h"
#include "smpp/session.h"
#include "smsc_sim/simulator.h"

namespace smsgw::bench {
namespace {

using namespace std::chrono_literals;
namespace asio = smpp::asio;
using smpp::Clock;

struct Result {
  double per_second = 0;
  uint64_t completed = 0;
  uint64_t failed = 0;
  double p50_us = 0, p99_us = 0, max_us = 0;
};

// Feeds the session from its own thread: every completion submits the next message.
class Feeder {
 public:
  Feeder(smpp::Session& session, smpp::codec::SubmitSm sm, Clock::time_point end)
      : session_(session), sm_(std::move(sm)), end_(end) {}

  void Start(size_t in_flight) {
    for (size_t i = 0; i < in_flight; ++i) {
      SubmitOne();
    }
  }
  std::future<void> Done() { return done_.get_future(); }

  uint64_t completed = 0;
  uint64_t failed = 0;
  std::vector<uint32_t> latencies_us;

 private:
  void SubmitOne() {
    ++outstanding_;
    const auto started = Clock::now();
    session_.Submit(sm_, {}, [this, started](smpp::SubmitResult result) {
      const auto now = Clock::now();
      --outstanding_;
      if (result.status) {
        ++failed;
      } else {
        ++completed;
        latencies_us.push_back(static_cast<uint32_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(now - started).count()));
      }
      if (now < end_) {
        SubmitOne();
      } else if (outstanding_ == 0) {
        done_.set_value();
      }
    });
  }

  smpp::Session& session_;
  const smpp::codec::SubmitSm sm_;
  const Clock::time_point end_;
  size_t outstanding_ = 0;
  std::promise<void> done_;
};

Result Run(size_t window, std::chrono::seconds duration, bool receipts) {
  asio::io_context sim_io(1), session_io(1);
  auto sim_work = asio::make_work_guard(sim_io);
  auto session_work = asio::make_work_guard(session_io);
  smsc_sim::SimulatorConfig sim_config;
  sim_config.listen_port = 0;
  sim_config.receipt_delay = 0ms;
  smsc_sim::Simulator sim(sim_io, sim_config);
  smpp::SessionConfig config;
  config.port = sim.Start();
  config.system_id = "smsgw";
  config.password = "smsgw";
  config.window = window;
  std::atomic<uint64_t> receipts_seen{0};
  smpp::Session session(session_io, config, [&](smpp::codec::Pdu) -> asio::awaitable<uint32_t> {
    receipts_seen.fetch_add(1, std::memory_order_relaxed);
    co_return 0;
  });
  std::thread sim_thread([&] { sim_io.run(); });
  std::thread session_thread([&] { session_io.run(); });
  session.Start();
  auto bound = asio::co_spawn(session_io, session.WaitBound(10s), asio::use_future);
  if (!bound.get()) {
    std::fprintf(stderr, "smsgw_bench_smpp: could not bind to the simulator\n");
    std::exit(1);
  }

  smpp::codec::SubmitFields fields;
  fields.source = "SMSGW";
  fields.destination = "+14155550100";
  fields.registered_delivery = receipts ? 1 : 0;
  const auto sm =
      smpp::codec::BuildMessageSubmits("Your code is 123456", text::UnicodeMode::kAuto, {}, fields)
          ->front();
  const auto start = Clock::now();
  Feeder feeder(session, sm, start + duration);
  auto done = feeder.Done();
  // Twice the window queued keeps the window full while responses are being handled.
  asio::post(session_io, [&] { feeder.Start(window * 2); });
  done.wait();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();

  std::promise<void> stopped;
  session.Stop([&] { stopped.set_value(); });
  stopped.get_future().wait();
  sim.Stop();
  sim_work.reset();
  session_work.reset();
  session_thread.join();
  sim_thread.join();

  Result r;
  r.completed = feeder.completed;
  r.failed = feeder.failed;
  r.per_second = static_cast<double>(feeder.completed) / seconds;
  auto& l = feeder.latencies_us;
  if (!l.empty()) {
    std::sort(l.begin(), l.end());
    r.p50_us = l[l.size() / 2];
    r.p99_us = l[l.size() * 99 / 100];
    r.max_us = l.back();
  }
  return r;
}

}  // namespace
}  // namespace smsgw::bench

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  const std::chrono::seconds duration(argc > 1 ? std::atoi(argv[1]) : 10);
  std::vector<size_t> windows;
  for (int i = 2; i < argc; ++i) {
    windows.push_back(static_cast<size_t>(std::atoi(argv[i])));
  }
  if (windows.empty()) {
    windows = {10, 100};
  }
  const char* receipts_env = std::getenv("RECEIPTS");
  const bool receipts = receipts_env != nullptr && std::string_view(receipts_env) == "1";
  for (size_t window : windows) {
    const auto r = smsgw::bench::Run(window, duration, receipts);
    std::printf(
        "window %3zu%s: %8.0f submit_sm/s  (%llu ok, %llu failed in %lld s)  latency p50 %.0f "
        "us, p99 %.0f us, max %.0f us\n",
        window, receipts ? " +receipts" : "", r.per_second,
        static_cast<unsigned long long>(r.completed), static_cast<unsigned long long>(r.failed),
        static_cast<long long>(duration.count()), r.p50_us, r.p99_us, r.max_us);
  }
}
