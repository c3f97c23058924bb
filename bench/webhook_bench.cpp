// Webhooks per second: N status webhooks waiting in a SQLite store (written the real way: messages
// enqueued with an inline callback, claimed, and accepted by an SMSC, each acceptance writing its
// "Sent" event and outbox row), then the webhook::Sender delivers them to a receiver on 127.0.0.1
// that answers 200 at once. Prints how long the drain took and webhooks/s. See bench/README.md.
//
//   smsgw_bench_webhooks [N] [PER_HOST_CONNECTIONS]     (defaults 20000 and 8)

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "core/ids.h"
#include "core/time.h"
#include "store/sqlite/sqlite_store.h"
#include "support/http_receiver.h"
#include "webhook/sender.h"

namespace {

using namespace std::chrono_literals;
using smsgw::core::Message;

constexpr const char* kSid = "HXSG0000000001SG";

int Fail(const std::string& what) {
  std::cerr << "smsgw_bench_webhooks: " << what << "\n";
  return 1;
}

Message MakeMessage(const std::string& request_id, int n, const std::string& callback,
                    smsgw::core::TimePoint now) {
  Message m;
  m.request_id = request_id;
  m.id = request_id + ":" + std::to_string(n);
  m.sid = kSid;
  m.recipient = std::to_string(6591000000LL + n);
  m.sender = "BENCH";
  m.body = "webhook benchmark";
  m.unicode = "AUTO";
  m.created_at = now;
  m.callback = callback;
  m.status_details = "QUEUED";
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  const size_t total = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 20000;
  const size_t per_host = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 8;
  if (total == 0 || per_host == 0) {
    return Fail("usage: smsgw_bench_webhooks [N > 0] [PER_HOST_CONNECTIONS > 0]");
  }
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("smsgw-bench-webhooks-" + smsgw::core::NewUuid());
  std::filesystem::create_directories(dir);
  struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() { std::filesystem::remove_all(dir); }
  } cleanup{dir};

  auto opened = smsgw::store::sqlite::SqliteStore::Open((dir / "smsgw.db").string());
  if (!opened) {
    return Fail(opened.error().message);
  }
  smsgw::store::sqlite::SqliteStore& store = **opened;
  smsgw::core::SystemClock clock;
  if (auto created = store.CreateAccount({kSid, "bench", clock.Now(), 0}); !created) {
    return Fail(created.error().message);
  }
  auto receiver = smsgw::testing::HttpReceiver::Start();
  const std::string callback = R"({"url":")" + receiver->Url("/hook") + R"(","method":"POST"})";

  // The outbox, filled in batches of 1000 as the delivery pipeline fills it.
  const auto fill_start = std::chrono::steady_clock::now();
  for (size_t done = 0; done < total;) {
    const size_t batch = std::min<size_t>(1000, total - done);
    const std::string request_id = smsgw::core::NewUuid();
    std::vector<Message> messages;
    for (size_t i = 0; i < batch; ++i) {
      messages.push_back(MakeMessage(request_id, static_cast<int>(i + 1), callback, clock.Now()));
    }
    if (auto enqueued = store.Enqueue(messages); !enqueued) {
      return Fail(enqueued.error().message);
    }
    auto claims = store.ClaimDue("bench", clock.Now(), 60s, batch);
    if (!claims) {
      return Fail(claims.error().message);
    }
    std::vector<smsgw::store::PartAccepted> parts;
    for (const smsgw::store::Claim& c : *claims) {
      parts.push_back(
          {c.message.id, 1, 1, "bench", "id-" + c.message.id, "id-" + c.message.id, clock.Now()});
    }
    if (auto recorded = store.RecordAccepted(parts); !recorded) {
      return Fail(recorded.error().message);
    }
    done += claims->size();
  }
  const double fill_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - fill_start).count();
  auto waiting = store.CountWebhooks();
  if (!waiting || waiting->pending != total) {
    return Fail("the outbox does not hold " + std::to_string(total) + " webhooks");
  }

  smsgw::webhook::Sender::Options options;
  options.owner = "bench";
  options.http.per_host_connections = per_host;
  options.http.egress = smsgw::core::EgressPolicy({*smsgw::core::ParseIpNetwork("127.0.0.1/32")},
                                                  {}, {});  // the receiver is on loopback
  options.per_host_held = options.max_held;
  const auto start = std::chrono::steady_clock::now();
  auto sender = smsgw::webhook::Sender::Start(store, store, clock, options);
  if (!sender) {
    return Fail(sender.error().message);
  }
  // Polls the sender's in-memory counter (a store count reads the whole outbox and would compete
  // with the sender for the CPU), then waits for the store to have recorded every delivery.
  const auto deadline = start + 10min;
  while ((*sender)->counters().delivered < total && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(2ms);
  }
  uint64_t delivered = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    auto counts = store.CountWebhooks();
    if (!counts) {
      return Fail(counts.error().message);
    }
    delivered = counts->delivered;
    if (delivered == total) {
      break;
    }
    std::this_thread::sleep_for(5ms);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const smsgw::webhook::Sender::Counters c = (*sender)->counters();
  (*sender)->Stop();
  std::printf("outbox filled: %zu webhooks in %.2f s\n", total, fill_s);
  std::printf(
      "delivered %llu of %zu in %.2f s: %.0f webhooks/s (per-host connections %zu; requests %llu, "
      "failed %llu, deferred %llu; receiver saw %zu)\n",
      static_cast<unsigned long long>(delivered), total, seconds,
      static_cast<double>(delivered) / seconds, per_host, static_cast<unsigned long long>(c.sent),
      static_cast<unsigned long long>(c.failed), static_cast<unsigned long long>(c.deferred),
      receiver->Count());
  return delivered == total ? 0 : 1;
}
