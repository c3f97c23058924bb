#include "webhook/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/callback_header.h"
#include "webhook/target.h"

namespace smsgw::webhook {

namespace {

using SteadyClock = std::chrono::steady_clock;

CURLcode GlobalInit() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  return result;
}

// One request, from Submit to its completion. While running it is the easy handle's PRIVATE.
struct Transfer {
  HttpRequest request;
  HttpClient::Completion done;
  std::string host_key;  // scheme://host:port
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  std::string body;
  size_t max_body = 0;
  SteadyClock::time_point started;
  const core::EgressPolicy* egress = nullptr;
  bool target_refused = false;  // the egress policy refused an address libcurl was to connect to
  char error[CURL_ERROR_SIZE] = {};

  ~Transfer() {
    if (easy != nullptr) {
      curl_easy_cleanup(easy);
    }
    curl_slist_free_all(headers);
  }
};

size_t KeepBody(char* data, size_t size, size_t n, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  const size_t length = size * n;
  const size_t room = t.max_body - std::min(t.max_body, t.body.size());
  t.body.append(data, std::min(room, length));
  return length;  // the rest is read and dropped, so the connection stays usable
}

// libcurl's socket opener, asked for the address it is about to connect to (after DNS, for every
// address it tries): refusing here is what makes the egress policy hold for names that resolve to
// a refused address, and for names whose answer changes between a check and the connect.
curl_socket_t OpenSocket(void* user, curlsocktype purpose, curl_sockaddr* address) {
  auto& t = *static_cast<Transfer*>(user);
  if (purpose == CURLSOCKTYPE_IPCXN && !t.egress->Allows(&address->addr)) {
    t.target_refused = true;
    return CURL_SOCKET_BAD;
  }
  return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

std::string ErrorText(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return "timeout";
    case CURLE_COULDNT_CONNECT:
      return "connection refused";
    default:
      return curl_easy_strerror(code);
  }
}

HttpResult Failed(std::string error) {
  HttpResult result;
  result.error = std::move(error);
  return result;
}

class CurlHttpClient final : public HttpClient {
 public:
  CurlHttpClient(const Options& options, CURLM* multi) : options_(options), multi_(multi) {
    options_.per_host_connections = std::max<size_t>(1, options_.per_host_connections);
    options_.max_connections = std::max<size_t>(1, options_.max_connections);
    // Idle connections kept for reuse: enough for every host's share.
    curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, static_cast<long>(options_.max_connections));
    thread_ = std::thread([this] { Run(); });
  }

  ~CurlHttpClient() override {
    Stop();
    for (CURL* e : idle_easy_) {
      curl_easy_cleanup(e);
    }
    curl_multi_cleanup(multi_);
  }

  void Submit(HttpRequest request, Completion done) override {
    Item item;
    item.request = std::move(request);
    item.done = std::move(done);
    {
      std::lock_guard lock(mu_);
      if (!stopping_) {
        pending_.fetch_add(1);
        inbox_.push_back(std::move(item));
        curl_multi_wakeup(multi_);
        return;
      }
    }
    item.done(Failed("stopped"));
  }

  void Post(std::function<void()> task) override {
    {
      std::lock_guard lock(mu_);
      if (!stopping_) {
        Item item;
        item.task = std::move(task);
        inbox_.push_back(std::move(item));
        curl_multi_wakeup(multi_);
        return;
      }
    }
    task();
  }

  size_t Pending() const override { return pending_.load(); }

  void Stop() override {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
      curl_multi_wakeup(multi_);
    }
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) {
      thread_.join();
    }
  }

 private:
  struct Item {
    HttpRequest request;
    Completion done;
    std::function<void()> task;  // set for Post
  };
  struct Host {
    std::deque<std::unique_ptr<Transfer>> queue;
    size_t running = 0;
    bool in_turns = false;  // listed in turns_
  };

  void Run() {
    for (;;) {
      std::deque<Item> inbox;
      bool stopping;
      {
        std::lock_guard lock(mu_);
        inbox.swap(inbox_);
        stopping = stopping_;
      }
      for (Item& item : inbox) {
        if (item.task) {
          item.task();
        } else {
          Enqueue(std::move(item));
        }
      }
      if (stopping) {
        break;
      }
      StartTransfers();
      int running = 0;
      curl_multi_perform(multi_, &running);
      if (FinishTransfers()) {
        continue;  // start the next ones of those hosts before waiting
      }
      curl_multi_poll(multi_, nullptr, 0, 1000, nullptr);
    }
    AbandonAll();
  }

  void Enqueue(Item&& item) {
    auto t = std::make_unique<Transfer>();
    t->host_key = HostKey(item.request.url);
    t->request = std::move(item.request);
    t->done = std::move(item.done);
    if (t->host_key.empty()) {
      Complete(*t, Failed("bad url"));
      return;
    }
    Host& host = hosts_[t->host_key];
    host.queue.push_back(std::move(t));
    if (!host.in_turns) {
      host.in_turns = true;
      turns_.push_back(host.queue.back()->host_key);
    }
  }

  // Hosts take turns, one transfer each per round, within both limits.
  void StartTransfers() {
    bool started = true;
    while (started && running_.size() < options_.max_connections) {
      started = false;
      for (size_t n = turns_.size(); n > 0 && running_.size() < options_.max_connections; --n) {
        std::string key = std::move(turns_.front());
        turns_.pop_front();
        Host& host = hosts_[key];
        if (host.running < options_.per_host_connections && !host.queue.empty()) {
          std::unique_ptr<Transfer> t = std::move(host.queue.front());
          host.queue.pop_front();
          Begin(host, std::move(t));
          started = true;
        }
        if (host.queue.empty()) {
          host.in_turns = false;
          if (host.running == 0) {
            hosts_.erase(key);
          }
        } else {
          turns_.push_back(std::move(key));
        }
      }
    }
  }

  void Begin(Host& host, std::unique_ptr<Transfer> t) {
    // A finished transfer's handle, reset, when there is one: a new handle costs an allocation
    // and clearing of several KB, per webhook.
    if (idle_easy_.empty()) {
      t->easy = curl_easy_init();
    } else {
      t->easy = idle_easy_.back();
      idle_easy_.pop_back();
      curl_easy_reset(t->easy);
    }
    if (t->easy == nullptr) {
      Complete(*t, Failed("out of memory"));
      return;
    }
    CURL* e = t->easy;
    const HttpRequest& r = t->request;
    t->max_body = r.max_response_body != 0 ? r.max_response_body : options_.max_response_body;
    curl_easy_setopt(e, CURLOPT_PRIVATE, t.get());
    curl_easy_setopt(e, CURLOPT_URL, r.url.c_str());
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    // No proxy from the environment: the egress policy judges the address connected to, which
    // through a proxy would be the proxy's.
    curl_easy_setopt(e, CURLOPT_PROXY, "");
    t->egress = &options_.egress;
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, &OpenSocket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, t.get());
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.request_timeout.count()));
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &KeepBody);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
    for (const auto& [name, value] : r.headers) {
      t->headers = curl_slist_append(t->headers, (name + ": " + value).c_str());
    }
    // Marks the request as smsgw's, so an smsgw API it reaches (itself through a proxy or a
    // balancer, or another node) refuses it instead of looping.
    t->headers =
        curl_slist_append(t->headers, (std::string(core::kWebhookMarkerHeader) + ": 1").c_str());
    // No "Expect: 100-continue" round trip before larger bodies.
    t->headers = curl_slist_append(t->headers, "Expect:");
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
    if (r.method == "GET") {
      curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    } else {
      if (r.method != "POST") {
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r.method.c_str());
      }
      curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
      curl_easy_setopt(e, CURLOPT_POSTFIELDS, r.body.data());
    }
    t->started = SteadyClock::now();
    if (curl_multi_add_handle(multi_, e) != CURLM_OK) {
      Complete(*t, Failed("cannot start the request"));
      return;
    }
    ++host.running;
    Transfer* raw = t.get();
    running_.emplace(raw, std::move(t));
  }

  // Completes the transfers libcurl has finished; true when there were any.
  bool FinishTransfers() {
    bool any = false;
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
      if (msg->msg != CURLMSG_DONE) {
        continue;
      }
      any = true;
      const CURLcode code = msg->data.result;
      CURL* e = msg->easy_handle;
      Transfer* raw = nullptr;
      curl_easy_getinfo(e, CURLINFO_PRIVATE, &raw);
      curl_multi_remove_handle(multi_, e);
      auto node = running_.extract(raw);
      std::unique_ptr<Transfer> t = std::move(node.mapped());
      Recycle(*t);
      Host& host = hosts_[t->host_key];
      --host.running;
      if (host.running == 0 && host.queue.empty()) {
        hosts_.erase(t->host_key);
      }

      HttpResult result;
      result.latency =
          std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - t->started);
      if (code == CURLE_OK) {
        long status = 0;
        curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
        result.status = static_cast<int>(status);
        result.body = std::move(t->body);
      } else if (t->target_refused) {
        // Nothing about the address, port or timing: the attempt log must not map a network.
        result.error = std::string(kTargetNotAllowed);
        result.latency = std::chrono::milliseconds(0);
      } else {
        result.error = ErrorText(code);
      }
      Complete(*t, std::move(result));
    }
    return any;
  }

  // Keeps the transfer's handle for the next one (its results are read before Begin reuses it:
  // the transfer is completed before this thread starts another).
  void Recycle(Transfer& t) {
    if (idle_easy_.size() < options_.max_connections) {
      idle_easy_.push_back(std::exchange(t.easy, nullptr));
    }
  }

  // Stop: everything running, queued or still in the inbox ends with "stopped".
  void AbandonAll() {
    for (auto& [raw, t] : running_) {
      curl_multi_remove_handle(multi_, t->easy);
    }
    auto running = std::move(running_);
    for (auto& [raw, t] : running) {
      Complete(*t, Failed("stopped"));
    }
    auto hosts = std::move(hosts_);
    turns_.clear();
    for (auto& [key, host] : hosts) {
      for (auto& t : host.queue) {
        Complete(*t, Failed("stopped"));
      }
    }
    std::deque<Item> inbox;
    {
      std::lock_guard lock(mu_);
      inbox.swap(inbox_);
    }
    for (Item& item : inbox) {
      if (item.task) {
        item.task();
      } else {
        pending_.fetch_sub(1);
        item.done(Failed("stopped"));
      }
    }
  }

  void Complete(Transfer& t, HttpResult result) {
    pending_.fetch_sub(1);
    Completion done = std::move(t.done);
    done(std::move(result));
  }

  Options options_;
  CURLM* const multi_;
  std::thread thread_;

  std::mutex mu_;
  std::deque<Item> inbox_;
  bool stopping_ = false;
  std::atomic<size_t> pending_{0};

  // The client's thread only.
  std::unordered_map<std::string, Host> hosts_;
  std::deque<std::string> turns_;  // hosts with queued requests, in turn order
  std::unordered_map<Transfer*, std::unique_ptr<Transfer>> running_;
  std::vector<CURL*> idle_easy_;  // handles of finished transfers, for the next ones
};

}  // namespace

std::unique_ptr<HttpClient> HttpClient::Start(const Options& options, std::string* error) {
  if (const CURLcode code = GlobalInit(); code != CURLE_OK) {
    if (error != nullptr) {
      *error = std::string("curl_global_init: ") + curl_easy_strerror(code);
    }
    return nullptr;
  }
  CURLM* multi = curl_multi_init();
  if (multi == nullptr) {
    if (error != nullptr) {
      *error = "curl_multi_init failed";
    }
    return nullptr;
  }
  return std::make_unique<CurlHttpClient>(options, multi);
}

}  // namespace smsgw::webhook
