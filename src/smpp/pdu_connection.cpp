#include "smpp/pdu_connection.h"

#include <algorithm>

#include "smpp/codec/command_status.h"
#include "smpp/codec/framing.h"
#include "smpp/log_escaped.h"

namespace smsgw::smpp {
namespace {

constexpr size_t kReadChunk = 16 * 1024;

std::string Describe(const tcp::socket& socket) {
  boost::system::error_code ec;
  const tcp::endpoint peer = socket.remote_endpoint(ec);
  return ec ? std::string("?") : peer.address().to_string() + ":" + std::to_string(peer.port());
}

std::optional<core::IpAddress> AddressOf(const tcp::socket& socket) {
  boost::system::error_code ec;
  const tcp::endpoint peer = socket.remote_endpoint(ec);
  return ec ? std::nullopt : core::IpAddressOf(peer.data());
}

}  // namespace

PduConnection::PduConnection(tcp::socket socket, codec::DecodeLimits limits)
    : socket_(std::move(socket)),
      limits_(limits),
      remote_(Describe(socket_)),
      remote_address_(AddressOf(socket_)) {
  boost::system::error_code ignored;
  socket_.set_option(tcp::no_delay(true), ignored);
}

PduConnection::~PduConnection() = default;

asio::awaitable<std::shared_ptr<PduConnection>> PduConnection::Connect(
    asio::any_io_executor executor, std::string host, uint16_t port, std::error_code& error,
    codec::DecodeLimits limits) {
  boost::system::error_code ec;
  tcp::resolver resolver(executor);
  auto endpoints = co_await resolver.async_resolve(host, std::to_string(port),
                                                   asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    error = ec;
    co_return nullptr;
  }
  tcp::socket socket(executor);
  co_await asio::async_connect(socket, endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    error = ec;
    co_return nullptr;
  }
  error = {};
  co_return std::make_shared<PduConnection>(std::move(socket), limits);
}

asio::awaitable<std::error_code> PduConnection::StartTls(asio::ssl::context& context,
                                                         const std::string& server_name) {
  tls_.emplace(socket_, context);
  boost::system::error_code address_ec;
  asio::ip::make_address(server_name, address_ec);
  if (address_ec) {
    // SNI carries names only (RFC 6066 §3).
    SSL_set_tlsext_host_name(tls_->native_handle(), server_name.c_str());
  }
  tls_->set_verify_mode(asio::ssl::verify_peer);
  tls_->set_verify_callback(asio::ssl::host_name_verification(server_name));
  boost::system::error_code ec;
  co_await tls_->async_handshake(asio::ssl::stream_base::client,
                                 asio::redirect_error(asio::use_awaitable, ec));
  co_return std::error_code(ec);
}

asio::awaitable<std::optional<codec::Pdu>> PduConnection::Read() {
  while (open_) {
    const std::span<const uint8_t> pending(in_.data() + in_start_, in_.size() - in_start_);
    auto frame = codec::FrameLength(pending, limits_);
    if (!frame) {
      // The stream has lost its framing: answer what can be answered, then hang up.
      ++undecodable_;
      if (auto answer = codec::ErrorResponse(pending, frame.error())) {
        Send(*answer);
      }
      CloseAfterFlush(frame.error().code);
      co_return std::nullopt;
    }
    if (*frame) {
      const std::span<const uint8_t> bytes = pending.first(**frame);
      in_start_ += bytes.size();
      auto pdu = codec::Decode(bytes, limits_);
      if (pdu) {
        co_return std::move(*pdu);
      }
      ++undecodable_;
      if (auto answer = codec::ErrorResponse(bytes, pdu.error())) {
        Send(*answer);
      }
      if (pdu.error().code == codec::CommandStatus::kInvalidCommandLength) {
        CloseAfterFlush(pdu.error().code);
        co_return std::nullopt;
      }
      continue;
    }
    // Need more bytes: drop what was consumed, then read.
    if (in_start_ == in_.size()) {
      in_.clear();
      in_start_ = 0;
    } else if (in_start_ >= kReadChunk) {
      in_.erase(in_.begin(), in_.begin() + static_cast<std::ptrdiff_t>(in_start_));
      in_start_ = 0;
    }
    const size_t used = in_.size();
    in_.resize(used + kReadChunk);
    boost::system::error_code ec;
    const auto into = asio::buffer(in_.data() + used, kReadChunk);
    const size_t n =
        tls_
            ? co_await tls_->async_read_some(into, asio::redirect_error(asio::use_awaitable, ec))
            : co_await socket_.async_read_some(into, asio::redirect_error(asio::use_awaitable, ec));
    in_.resize(used + n);
    if (ec) {
      Close(ec);
      co_return std::nullopt;
    }
    last_read_ = Clock::now();
  }
  co_return std::nullopt;
}

void PduConnection::Send(const codec::Pdu& pdu) {
  if (!open_) {
    return;
  }
  if (!write_pending_since_) {
    write_pending_since_ = Clock::now();
  }
  codec::EncodeTo(pdu, out_);
  if (!writing_) {
    writing_ = true;
    // The owner reference is taken now, not when the coroutine first runs: by then the last
    // other owner may have let go.
    asio::co_spawn(socket_.get_executor(), WriteLoop(shared_from_this()),
                   LogEscapedAs("smpp write loop"));
  }
}

asio::awaitable<void> PduConnection::WriteLoop(std::shared_ptr<PduConnection> /*self*/) {
  std::vector<uint8_t> batch;
  while (open_ && !out_.empty()) {
    batch.swap(out_);
    boost::system::error_code ec;
    if (tls_) {
      co_await asio::async_write(*tls_, asio::buffer(batch),
                                 asio::redirect_error(asio::use_awaitable, ec));
    } else {
      co_await asio::async_write(socket_, asio::buffer(batch),
                                 asio::redirect_error(asio::use_awaitable, ec));
    }
    batch.clear();
    if (ec) {
      Close(ec);
      break;
    }
    write_pending_since_ = out_.empty() ? std::nullopt : std::optional(Clock::now());
  }
  writing_ = false;
  if (close_after_write_) {
    Close();
  }
}

void PduConnection::CloseAfterFlush(std::error_code why) {
  if (!error_) {
    error_ = why;
  }
  if (writing_) {
    close_after_write_ = true;
  } else {
    Close(why);
  }
}

void PduConnection::Close(std::error_code why) {
  if (!open_) {
    return;
  }
  open_ = false;
  if (!error_) {
    error_ = why;
  }
  out_.clear();
  write_pending_since_.reset();
  boost::system::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

}  // namespace smsgw::smpp
