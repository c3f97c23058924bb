#pragma once
// Server is smsgw's SMPP 3.4 server for customers ([smpp_server], docs/smpp-server.md): it
// accepts connections on the configured address, hands each to one of the io_context threads
// (round-robin; a CustomerSession stays on its thread for good), and closes the binds of a
// credential as soon as it is revoked, in this process or another (CredentialsVersion moves,
// checked every second); and it runs the expiry of incomplete concatenated submits
// (Reassembler::ExpireLoop, [smpp_server] reassembly_timeout).
//
// Threads: Start is called once, before the io_contexts run. Stop and ActiveSessions
// may be called from any thread. Destroy the Server only after the io_contexts have stopped.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "smpp/asio.h"
#include "smpp_server/bind_registry.h"
#include "smpp_server/customer_session.h"

namespace smsgw::smpp_server {

using smpp::tcp;

class Server {
 public:
  // Listens on host:port (port 0 picks a free one). Throws boost::system::system_error when the
  // address cannot be bound. Separate from the Server so that the node knows the port before it
  // builds what the sessions need (webhooks are refused to every listener of the node).
  static tcp::acceptor Listen(asio::io_context& io, const std::string& host, uint16_t port);

  // `acceptor` is Listen's, on loops.front().
  Server(std::vector<asio::io_context*> loops, tcp::acceptor acceptor,
         const config::SmppServerConfig& config, SessionStores stores,
         api::SendValidator& validator, store::GroupCommitter& committer,
         asio::thread_pool& store_pool, const core::Clock& clock);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void Start();
  // Stops accepting and closes every session; each ends once the submits it was storing are
  // committed (or failed).
  void Stop();
  size_t ActiveSessions() const;

 private:
  asio::awaitable<void> Accept();
  asio::awaitable<void> WatchRevocations();
  void Forget(uint64_t id);

  const std::vector<asio::io_context*> loops_;
  const config::SmppServerConfig config_;
  BindRegistry binds_;
  ThroughputLimits throughput_;
  asio::thread_pool hash_pool_{1};
  Reassembler reassembly_;
  SessionDeps deps_;
  tcp::acceptor acceptor_;
  asio::steady_timer revocation_timer_;
  asio::steady_timer expiry_timer_;  // Reassembler::ExpireLoop's
  std::atomic<bool> stopped_{false};
  size_t next_loop_ = 0;
  uint64_t next_id_ = 1;
  mutable std::mutex mu_;
  std::map<uint64_t, std::shared_ptr<CustomerSession>> sessions_;
};

}  // namespace smsgw::smpp_server
