#pragma once
// Load for the durability tests (crash_test.cpp on SQLite, postgres_serve_test.cpp on PostgreSQL):
// clients posting sends until stopped, a kill -9 in the middle of them, and the check that every
// acknowledged message is found after a restart.

#include <signal.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "fixture.h"

namespace smsgw::itest {

// kThreads clients, each on its own keep-alive connection (reconnecting when it drops), posting
// two-recipient sends until stopped. Records the message ids of every 2xx it fully received.
class Load {
 public:
  static constexpr int kThreads = 8;

  Load(uint16_t port, std::string target, std::string key)
      : port_(port), target_(std::move(target)), key_(std::move(key)) {
    for (int t = 0; t < kThreads; ++t) {
      clients_.emplace_back([this, t] { Client(t); });
    }
  }
  ~Load() { Join(); }

  void Join() {
    stop_ = true;
    for (auto& c : clients_) {
      if (c.joinable()) {
        c.join();
      }
    }
  }
  const std::vector<std::string>& acked() const { return acked_; }
  int non_2xx() const { return non_2xx_; }
  std::string first_non_2xx() const { return first_non_2xx_; }

 private:
  void Client(int t) {
    int n = 0;
    while (!stop_) {
      HttpConnection conn(port_);
      if (!conn.connected()) {
        return;  // the server is gone
      }
      while (!stop_) {
        const std::string body = R"({"sender":"ACMEIN","to":["+9198765)" +
                                 std::to_string(10000 + t * 1000 + n % 1000) +
                                 R"(","+6591234567"],"body":"load )" + std::to_string(n) + R"("})";
        ++n;
        auto r = conn.Request("POST", target_, {{"api-key", key_}}, body, nullptr, 10s);
        if (!r) {
          break;  // connection dropped: reconnect, or find the server gone
        }
        std::lock_guard lock(mu_);
        if (r->status / 100 == 2) {
          auto ids = MessageIds(*r);
          acked_.insert(acked_.end(), ids.begin(), ids.end());
        } else {
          if (non_2xx_++ == 0) {
            first_non_2xx_ = std::to_string(r->status) + " " + r->body;
          }
        }
      }
    }
  }

  const uint16_t port_;
  const std::string target_;
  const std::string key_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<std::string> acked_;
  int non_2xx_ = 0;
  std::string first_non_2xx_;
  std::vector<std::thread> clients_;
};

// Posts Load at `gw` for 2 s, kills it with SIGKILL mid-load, and returns the ids it
// acknowledged before; every request must have been answered 2xx or not at all.
inline std::vector<std::string> AckedBeforeKill9(Smsgw& gw, const std::string& path,
                                                 const std::string& api_key) {
  Load load(gw.port(), path, api_key);
  std::this_thread::sleep_for(std::chrono::seconds(2));  // the length of the load, not a sync
  gw.Kill9();
  load.Join();
  EXPECT_EQ(gw.server()->WaitForExit(std::chrono::seconds(1)).value_or(-1), 128 + SIGKILL);
  EXPECT_EQ(load.non_2xx(), 0) << load.first_non_2xx();
  std::cerr << "[ crash    ] " << load.acked().size() << " messages acknowledged before kill -9\n";
  return load.acked();
}

// Every id in `acked` has a status on `gw` (restarted by the caller).
inline void ExpectAllFound(const Smsgw& gw, const Account& account,
                           const std::vector<std::string>& acked) {
  ASSERT_GE(acked.size(), 20u) << "too little load to be a test";
  EXPECT_EQ(std::set<std::string>(acked.begin(), acked.end()).size(), acked.size())
      << "a message id was handed out twice";
  const std::map<std::string, StatusEntry> statuses = Statuses(gw, account, acked);
  size_t not_found = 0;
  std::string example;
  for (const std::string& id : acked) {
    auto it = statuses.find(id);
    if (it == statuses.end() || it->second.status == "NotFound" || it->second.status.empty()) {
      ++not_found;
      example = id;
    }
  }
  EXPECT_EQ(not_found, 0u) << "of " << acked.size() << " acknowledged messages, e.g. " << example;
}

}  // namespace smsgw::itest
