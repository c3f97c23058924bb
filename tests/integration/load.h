#pragma once
// Load for the durability tests (crash_test.cpp on SQLite, postgres_serve_test.cpp on PostgreSQL):
// clients posting sends until stopped, and the check that every acknowledged message is found
// after a restart.

#include <algorithm>
#include <atomic>
#include <iostream>
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

// Every id in `acked` has a status on `gw` (restarted by the caller), asked 50 at a time.
inline void ExpectAllFound(const Smsgw& gw, const Account& account,
                           const std::vector<std::string>& acked) {
  ASSERT_GE(acked.size(), 20u) << "too little load to be a test";
  EXPECT_EQ(std::set<std::string>(acked.begin(), acked.end()).size(), acked.size())
      << "a message id was handed out twice";
  size_t not_found = 0;
  std::string example;
  for (size_t i = 0; i < acked.size(); i += 50) {
    std::string ids;
    for (size_t j = i; j < std::min(acked.size(), i + 50); ++j) {
      ids += (ids.empty() ? "" : ",") + acked[j];
    }
    HttpResponse r =
        gw.Request("GET", "/v1/" + account.sid + "/messages/status?message_ids=" + UrlEncode(ids),
                   "", account.api_key);
    ASSERT_EQ(r.status, 200) << r.body;
    Json json = BodyJson(r);
    ASSERT_TRUE(json.ok && json.doc["data"].IsArray()) << r.body;
    ASSERT_EQ(json.doc["data"].Size(), std::min<size_t>(50, acked.size() - i)) << r.body;
    for (const auto& item : json.doc["data"].GetArray()) {
      if (Str(item, "status") == "NotFound" || Str(item, "status").empty()) {
        ++not_found;
        example = Str(item, "campaign_id");
      }
    }
  }
  EXPECT_EQ(not_found, 0u) << "of " << acked.size() << " acknowledged messages, e.g. " << example;
}

}  // namespace smsgw::itest
