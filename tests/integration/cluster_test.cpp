// Two `serve` nodes on one PostgreSQL store (a schema of the suite's server, CTest fixture
// `postgres`) and one carrier, `smsgw smsc-sim` as its own process, that allows the account 2
// binds and counts them from its side. 20,000 messages go in through both nodes' APIs; one node
// is killed with SIGKILL midway. Every message accepted must end Delivered with its status
// webhooks sent; the survivor takes the dead node's bind over once its lease lapses; never are
// more than 2 binds open at once. What a crash costs, duplicates at the SMSC and duplicate
// webhooks (at-least-once), is counted and printed, and bounded by what the dead node held.
// (A key revoked elsewhere refused within a second: postgres_serve_test.cpp.)

#include <atomic>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "external_smsc.h"
#include "fixture.h"
#include "postgres/test_schema.h"
#include "support/http_receiver.h"

namespace smsgw::itest {
namespace {

using testing::HttpReceiver;

constexpr int kMessages = 20'000;
constexpr int kPerRequest = 50;  // recipients per POST: each a message of its own
constexpr auto kBindLease = 3s;
constexpr auto kDrainTimeout = 240s;

// A number of its own for message `n`, never ending in the digits that choose one of the
// simulator's faults (99xx, 9980: docs/simulator.md): the last four stay below 9000.
std::string Recipient(int n) {
  const std::string low = std::to_string(1'000'000'000 + (n / 9000) * 10'000 + n % 9000);
  return "9197" + low.substr(2);
}

// When the SMSC accepted each bind, from its PDU log ("time": "2026-12-06T18:07:10.863Z").
std::vector<std::chrono::system_clock::time_point> BindTimes(const std::string& pdu_log) {
  std::vector<std::chrono::system_clock::time_point> out;
  std::ifstream in(pdu_log);
  std::string line;
  while (std::getline(in, line)) {
    const Json j = ParseJson(line);
    if (!j.ok || !j.doc.IsObject() || !Str(j.doc, "command").starts_with("bind_") ||
        !Str(j.doc, "command").ends_with("_resp") || j.doc["status"].GetUint() != 0) {
      continue;
    }
    std::tm tm{};
    int millis = 0;
    if (std::sscanf(Str(j.doc, "time").c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon,
                    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &millis) == 7) {
      tm.tm_year -= 1900;
      tm.tm_mon -= 1;
      out.push_back(std::chrono::system_clock::from_time_t(timegm(&tm)) +
                    std::chrono::milliseconds(millis));
    }
  }
  return out;
}

// The SMSC simulator's GET /stats.
Json SmscStats(uint16_t control_port) {
  HttpConnection c(control_port);
  std::string error;
  auto r = c.Request("GET", "/stats", {}, "", &error);
  return r ? ParseJson(r->body) : Json{};
}

uint64_t Uint(const Json& j, const char* key) {
  return j.ok && j.doc.IsObject() && j.doc.HasMember(key) && j.doc[key].IsUint64()
             ? j.doc[key].GetUint64()
             : 0;
}

// `smsgw cluster status --json` through `gw`'s config.
Json ClusterStatus(const Smsgw& gw) {
  const CommandResult r = gw.Cli({"cluster", "status", "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return ParseJson(r.out);
}

// The node ids holding live bind leases.
std::set<std::string> BindHolders(const Smsgw& gw) {
  std::set<std::string> out;
  const Json status = ClusterStatus(gw);
  if (status.ok && status.doc.HasMember("binds")) {
    for (const auto& b : status.doc["binds"].GetArray()) {
      if (b["live"].GetBool()) {
        const std::string owner = Str(b, "owner");
        out.insert(owner.substr(0, owner.find('/')));
      }
    }
  }
  return out;
}

class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SMSGW_TEST_SCHEMA_OR_SKIP(schema_);
    smsc_ = std::make_unique<ExternalSmsc>(a_.dir(), std::vector<std::string>{"--max-binds", "2"});
    ASSERT_NE(smsc_->port(), 0);
    receiver_ = HttpReceiver::Start();
    for (auto [gw, id] : {std::pair{&a_, "node-a"}, std::pair{&b_, "node-b"}}) {
      gw->AddSecret(schema_->uri());
      gw->set_config(gw->dir().WriteFile("smsgw.toml", Config(id)));
    }
    account_ = a_.CreateAccount("acme");  // one store: node b serves it too
    ASSERT_FALSE(HasFailure());
  }

  std::string Config(const std::string& node) const {
    return "[store]\nurl = \"" + schema_->uri() + "\"\n[node]\nid = \"" + node +
           "\"\nbind_lease = \"3s\"\n"
           "[delivery]\nclaim_lease = \"5s\"\nretry_min = \"200ms\"\nretry_max = \"1s\"\n"
           "[webhooks]\nclaim_lease = \"5s\"\nrequest_timeout = \"2s\"\n"
           "allow_targets = [\"127.0.0.1/32\"]\n" +
           SmscConfig(smsc_->port(), "binds = 2\nwindow = 50\n");
  }

  Json Stats() const { return SmscStats(smsc_->control_port()); }

  std::unique_ptr<test_postgres::TestSchema> schema_;
  Smsgw a_, b_;
  std::unique_ptr<ExternalSmsc> smsc_;
  std::unique_ptr<HttpReceiver> receiver_;
  Account account_;
};

// What the senders got back: accepted message ids and their recipients.
struct Accepted {
  std::mutex mu;
  std::map<std::string, std::string> recipient_by_id;
  int refused_by_dead_node = 0;
};

TEST_F(ClusterTest, TwoNodesShareTheWorkAndSurviveAKill9OfOne) {
  a_.Start();
  b_.Start();
  ASSERT_NE(a_.port(), 0);
  ASSERT_NE(b_.port(), 0);
  // Both nodes bound, one slot each (`cluster status`): the budget is shared, not raced for.
  const auto bound_deadline = Clock::now() + kStartTimeout;
  std::set<std::string> holders;
  while (Clock::now() < bound_deadline) {
    holders = BindHolders(b_);
    if (holders == std::set<std::string>{"node-a", "node-b"} && Uint(Stats(), "bound") == 2) {
      break;
    }
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(holders, (std::set<std::string>{"node-a", "node-b"}));
  ASSERT_EQ(Uint(Stats(), "bound"), 2u);

  const std::string callback =
      R"(,"callback":{"url":)" + Quote(receiver_->Url("/hook")) + R"(,"method":"POST"})";
  Accepted accepted;
  std::atomic<int> next_request{0};
  std::atomic<bool> a_dead{false};
  std::atomic<int> accepted_count{0};
  // Each request has recipients of its own, a retry too: a request the dead node may have
  // stored without answering must not look like a duplicate at the SMSC.
  const auto sender = [&](int thread) {
    for (;;) {
      const int request = next_request.fetch_add(1);
      if (accepted_count.load() >= kMessages) {
        return;
      }
      std::string to;
      std::vector<std::string> recipients;
      for (int i = 0; i < kPerRequest; ++i) {
        recipients.push_back(Recipient(request * kPerRequest + i));
        to += (to.empty() ? "\"+" : ",\"+") + recipients.back() + "\"";
      }
      Smsgw& node = (thread % 2 == 0 && !a_dead.load()) ? a_ : b_;
      const HttpResponse r = node.Post("/v1/" + account_.sid + "/messages",
                                       R"({"to":[)" + to + R"(],"sender":"ACMEIN","body":"m)" +
                                           std::to_string(request) + "\"" + callback + "}",
                                       account_.api_key);
      if (r.status != 200) {
        ASSERT_EQ(&node, &a_) << "node b refused a send: " << r.status << " " << r.body;
        std::lock_guard lock(accepted.mu);
        ++accepted.refused_by_dead_node;
        continue;
      }
      const std::vector<std::string> ids = MessageIds(r);
      ASSERT_EQ(ids.size(), recipients.size()) << r.body;
      std::lock_guard lock(accepted.mu);
      for (size_t i = 0; i < ids.size(); ++i) {
        accepted.recipient_by_id[ids[i]] = recipients[i];
      }
      accepted_count += static_cast<int>(ids.size());
    }
  };
  std::vector<std::thread> senders;
  for (int t = 0; t < 4; ++t) {
    senders.emplace_back(sender, t);
  }
  while (accepted_count.load() < kMessages / 2) {
    std::this_thread::sleep_for(20ms);
  }
  a_.Kill9();
  a_dead = true;
  const auto killed = std::chrono::system_clock::now();
  // What the dead node held when it died: its claims stay marked with it until they lapse.
  uint64_t dead_claims = 0;
  const Json status = ClusterStatus(b_);
  ASSERT_TRUE(status.ok && status.doc.HasMember("claims")) << status.error;
  for (const auto& c : status.doc["claims"].GetArray()) {
    if (Str(c, "owner").starts_with("node-a/")) {
      dead_claims += c["messages"].GetUint64();
    }
  }

  // The kernel closed the dead node's bind at once; the survivor opens it once the lease lapsed.
  // When, the SMSC's log tells.
  const auto takeover_deadline = Clock::now() + kBindLease + 10s;
  std::optional<std::chrono::system_clock::duration> takeover;
  while (!takeover && Clock::now() < takeover_deadline) {
    for (const auto at : BindTimes(smsc_->pdu_log())) {
      if (at > killed) {
        takeover = at - killed;
      }
    }
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(takeover) << "node b did not take the dead node's bind over";
  EXPECT_LT(*takeover, kBindLease + 2s) << "the takeover took longer than the lease and a round";

  for (auto& t : senders) {
    t.join();
  }

  // Every accepted message ends Delivered, with its Sent and Delivered webhooks (Sent too when its
  // receipt reached the other node before the submitting node recorded the submit_sm_resp).
  std::map<std::string, std::map<std::string, int>> webhooks;  // message id -> status -> count
  const auto deadline = Clock::now() + kDrainTimeout;
  size_t delivered = 0;
  for (;;) {
    webhooks.clear();
    for (const auto& request : receiver_->Requests()) {
      const Json j = ParseJson(request.body);
      if (j.ok && j.doc.IsObject()) {
        ++webhooks[Str(j.doc, "message_id")][Str(j.doc, "status")];
      }
    }
    delivered = 0;
    for (const auto& [id, recipient] : accepted.recipient_by_id) {
      const auto it = webhooks.find(id);
      delivered +=
          it != webhooks.end() && it->second.contains("Sent") && it->second.contains("Delivered")
              ? 1
              : 0;
    }
    if (delivered == accepted.recipient_by_id.size() || Clock::now() > deadline) {
      break;
    }
    std::this_thread::sleep_for(1s);
  }
  EXPECT_EQ(delivered, accepted.recipient_by_id.size())
      << "accepted messages without their Sent and Delivered webhooks";

  // Duplicates: at the SMSC (a destination submitted more than once: the dead node had sent it
  // and died before recording that), and webhooks sent more than once (at-least-once).
  const auto submits = smsc_->SubmitsByDestination();
  int smsc_duplicates = 0, never_submitted = 0;
  for (const auto& [id, recipient] : accepted.recipient_by_id) {
    const auto it = submits.find(recipient);
    if (it == submits.end()) {
      ++never_submitted;
    } else {
      smsc_duplicates += it->second - 1;
    }
  }
  int webhook_duplicates = 0;
  for (const auto& [id, by_status] : webhooks) {
    for (const auto& [s, n] : by_status) {
      webhook_duplicates += n - 1;
    }
  }
  const Json stats = Stats();
  std::cout << "[cluster] accepted " << accepted.recipient_by_id.size() << " messages ("
            << accepted.refused_by_dead_node << " requests to the killed node got no answer); "
            << "delivered " << delivered << "; the dead node's bind taken over after "
            << std::chrono::duration_cast<std::chrono::milliseconds>(*takeover).count()
            << " ms; claims the dead node held: " << dead_claims
            << "; duplicates at the SMSC: " << smsc_duplicates
            << "; duplicate webhooks: " << webhook_duplicates << "; SMSC binds: peak "
            << Uint(stats, "bound_peak") << ", refused " << Uint(stats, "binds_refused")
            << std::endl;
  EXPECT_EQ(never_submitted, 0);
  EXPECT_LE(static_cast<uint64_t>(smsc_duplicates), dead_claims)
      << "more duplicates than the dead node had in hand";
  EXPECT_LE(Uint(stats, "bound_peak"), 2u) << "more binds open at once than the carrier allows";
}

// SIGTERM: the node closes its bind and gives back its lease, its beat and its claims at once;
// the other node opens the bind without waiting for the lease to lapse.
TEST_F(ClusterTest, AGracefulStopHandsEverythingBackAtOnce) {
  a_.Start();
  b_.Start();
  const auto bound_deadline = Clock::now() + kStartTimeout;
  while (BindHolders(b_) != std::set<std::string>{"node-a", "node-b"} &&
         Clock::now() < bound_deadline) {
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(BindHolders(b_), (std::set<std::string>{"node-a", "node-b"}));
  const CommandResult text = b_.Cli({"cluster", "status"});
  EXPECT_NE(text.out.find("nodes: 2 alive, 0 gone"), std::string::npos) << text.out;
  ASSERT_EQ(a_.Stop(), 0);
  const auto stopped = std::chrono::system_clock::now();
  Json status = ClusterStatus(b_);
  ASSERT_TRUE(status.ok && status.doc.HasMember("nodes")) << status.error;
  for (const auto& n : status.doc["nodes"].GetArray()) {
    EXPECT_FALSE(Str(n, "owner").starts_with("node-a/")) << "the stopped node still beats";
  }
  for (const auto& c : status.doc["claims"].GetArray()) {
    EXPECT_FALSE(Str(c, "owner").starts_with("node-a/")) << "the stopped node holds claims";
  }
  const auto deadline = Clock::now() + kBindLease + 5s;
  while (BindHolders(b_).size() != 1 || Uint(Stats(), "bound") != 2) {
    ASSERT_LT(Clock::now(), deadline) << "node b did not open the second bind";
    std::this_thread::sleep_for(50ms);
  }
  status = ClusterStatus(b_);
  ASSERT_EQ(status.doc["binds"].Size(), 2u);
  for (const auto& b : status.doc["binds"].GetArray()) {
    EXPECT_TRUE(Str(b, "owner").starts_with("node-b/"));
  }
  const auto binds = BindTimes(smsc_->pdu_log());
  ASSERT_FALSE(binds.empty());
  EXPECT_LT(binds.back() - stopped, kBindLease) << "node b waited for the lease to lapse";
}

// Two processes given one node id: the second sees the first's beat move and refuses to start,
// rather than end the first's life as if it had crashed and take its binds and claims.
TEST_F(ClusterTest, ASecondProcessUnderALiveNodesIdRefusesToStart) {
  a_.Start();
  b_.set_config(b_.dir().WriteFile("smsgw.toml", Config("node-a")));
  const CommandResult twin = b_.Cli({"serve", "--listen", "127.0.0.1:0"});
  EXPECT_NE(twin.exit_code, 0);
  EXPECT_NE(twin.err.find("node id node-a is in use by another live process"), std::string::npos)
      << twin.err;
  EXPECT_EQ(BindHolders(a_), std::set<std::string>{"node-a"}) << "node a lost its binds";
  const Json status = ClusterStatus(a_);
  ASSERT_TRUE(status.ok && status.doc.HasMember("nodes")) << status.error;
  EXPECT_EQ(status.doc["nodes"].Size(), 1u);
  EXPECT_EQ(a_.Stop(), 0);
}

}  // namespace
}  // namespace smsgw::itest
