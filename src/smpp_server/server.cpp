#include "smpp_server/server.h"

#include <spdlog/spdlog.h>

#include "api/async_bridge.h"
#include "smpp/log_escaped.h"

namespace smsgw::smpp_server {
namespace {

// How often the credentials' version counter is compared (a memory read: no I/O).
constexpr auto kRevocationCheck = std::chrono::seconds(1);

}  // namespace

tcp::acceptor Server::Listen(asio::io_context& io, const std::string& host, uint16_t port) {
  tcp::resolver resolver(io);
  const tcp::endpoint endpoint =
      resolver.resolve(host, std::to_string(port), tcp::resolver::passive)->endpoint();
  tcp::acceptor acceptor(io);
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(asio::socket_base::max_listen_connections);
  return acceptor;
}

Server::Server(std::vector<asio::io_context*> loops, tcp::acceptor acceptor,
               const config::SmppServerConfig& config, SessionStores stores,
               api::SendValidator& validator, store::GroupCommitter& committer,
               asio::thread_pool& store_pool, const core::Clock& clock)
    : loops_(std::move(loops)),
      config_(config),
      binds_(config.max_binds_per_account),
      reassembly_(stores.staging, store_pool, clock,
                  ReassemblyOptions{
                      config.reassembly_timeout,
                      {static_cast<size_t>(config.reassembly_max_sets), kMaxReassembledOctets}}),
      deps_{config_,    stores, validator, committer,   store_pool,
            hash_pool_, clock,  binds_,    throughput_, reassembly_},
      acceptor_(std::move(acceptor)),
      revocation_timer_(*loops_.front()),
      expiry_timer_(*loops_.front()) {}

Server::~Server() = default;

void Server::Start() {
  asio::co_spawn(*loops_.front(), Accept(), smpp::LogEscapedAs("smpp server accept loop"));
  asio::co_spawn(*loops_.front(), WatchRevocations(),
                 smpp::LogEscapedAs("smpp server revocation watch"));
  asio::co_spawn(*loops_.front(), reassembly_.ExpireLoop(expiry_timer_, stopped_),
                 smpp::LogEscapedAs("smpp server reassembly expiry"));
}

void Server::Stop() {
  stopped_ = true;
  asio::post(*loops_.front(), [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    revocation_timer_.cancel();
    expiry_timer_.cancel();
  });
  std::lock_guard lock(mu_);
  for (auto& [id, session] : sessions_) {
    session->CloseFromAnyThread();
  }
}

size_t Server::ActiveSessions() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

asio::awaitable<void> Server::Accept() {
  while (!stopped_) {
    asio::io_context& loop = *loops_[next_loop_++ % loops_.size()];
    boost::system::error_code ec;
    tcp::socket socket =
        co_await acceptor_.async_accept(loop, asio::redirect_error(asio::use_awaitable, ec));
    if (stopped_ || ec == asio::error::operation_aborted) {
      co_return;
    }
    if (ec) {
      // EMFILE and friends: keep serving the sessions we have, try again shortly.
      SPDLOG_WARN("smpp server: accept failed: {}", ec.message());
      asio::steady_timer pause(*loops_.front(), std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    if (ActiveSessions() >= static_cast<size_t>(config_.max_connections)) {
      SPDLOG_WARN(
          "smpp server: connection refused: {} connections open ([smpp_server] "
          "max_connections)",
          config_.max_connections);
      socket.close(ec);
      continue;
    }
    const uint64_t id = next_id_++;
    auto session = std::make_shared<CustomerSession>(
        id, std::make_shared<smpp::PduConnection>(std::move(socket)), deps_);
    {
      std::lock_guard lock(mu_);
      sessions_.emplace(id, session);
    }
    asio::co_spawn(loop, session->Serve(), [this, id](std::exception_ptr e) {
      smpp::LogEscaped(e, "smpp server session");
      Forget(id);
    });
  }
}

void Server::Forget(uint64_t id) {
  binds_.Remove(id);
  std::lock_guard lock(mu_);
  sessions_.erase(id);
}

asio::awaitable<void> Server::WatchRevocations() {
  uint64_t seen = deps_.stores.credentials.CredentialsVersion();
  while (!stopped_) {
    revocation_timer_.expires_after(kRevocationCheck);
    boost::system::error_code ec;
    co_await revocation_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (stopped_ || deps_.stores.credentials.CredentialsVersion() == seen) {
      continue;
    }
    seen = deps_.stores.credentials.CredentialsVersion();
    const std::vector<std::string> bound = binds_.SystemIds();
    auto revoked = co_await api::RunBlocking(deps_.store_pool, [&] {
      std::vector<std::string> out;
      for (const std::string& system_id : bound) {
        auto found = deps_.stores.credentials.FindSmppCredential(system_id);
        if (found && !*found) {  // a store error closes nothing: checked again on the next change
          out.push_back(system_id);
        }
      }
      return out;
    });
    for (const std::string& system_id : revoked) {
      const size_t closed = binds_.CloseBindsOf(system_id);
      SPDLOG_INFO("smpp server: credential \"{}\" revoked: {} bind(s) closed", system_id, closed);
    }
  }
}

}  // namespace smsgw::smpp_server
