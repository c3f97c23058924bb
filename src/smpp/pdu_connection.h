#pragma once
// One SMPP TCP connection as a stream of PDUs, for both sides: the ESME session (session.h)
// and the SMSC side (the simulator, later customers' binds). Read() frames and decodes what
// arrives; a PDU that does not decode is answered as SMPP 3.4 §2.8 says (codec::ErrorResponse)
// and skipped, and a broken framing closes the connection. Send() queues a PDU; one writer
// coroutine drains the queue, so PDUs sent back to back go out in one write.
//
// Deadlines are the owner's: it watches last_read() and write_pending_since() from its own
// timer and calls Close() on a silent or stuck link (one timer per session, not per operation).
//
// Threads: a PduConnection lives on one single-threaded io_context; every member is called from
// that context's thread (no strand needed, see docs/DESIGN.md "Threads and I/O").

#include <boost/asio/ssl.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "core/ip_network.h"
#include "smpp/asio.h"
#include "smpp/codec/pdu.h"
#include "smpp/codec/pdu_codec.h"

namespace smsgw::smpp {

class PduConnection : public std::enable_shared_from_this<PduConnection> {
 public:
  PduConnection(tcp::socket socket, codec::DecodeLimits limits = {});
  ~PduConnection();
  PduConnection(const PduConnection&) = delete;
  PduConnection& operator=(const PduConnection&) = delete;

  // Connects to host:port (name resolution included). Errors as Asio reports them.
  static asio::awaitable<std::shared_ptr<PduConnection>> Connect(asio::any_io_executor executor,
                                                                 std::string host, uint16_t port,
                                                                 std::error_code& error,
                                                                 codec::DecodeLimits limits = {});

  // Turns the connection into TLS before anything else is read or written (SMPP over TLS):
  // the client handshake, with SNI and the certificate checked against `server_name` (a name
  // or an IP address). The owner's deadline applies (Close() aborts it). An empty error: done.
  asio::awaitable<std::error_code> StartTls(asio::ssl::context& context,
                                            const std::string& server_name);

  // The next PDU that decodes. nullopt when the connection is closed or broken; error() then
  // says why (asio::error::eof for an orderly close by the peer).
  asio::awaitable<std::optional<codec::Pdu>> Read();

  // Queues `pdu` for writing; never blocks. Ignored once the connection is closed.
  void Send(const codec::Pdu& pdu);

  // Closes once everything queued so far is written (an unbind_resp, a nack), or at once when
  // nothing is queued.
  void CloseAfterFlush(std::error_code why = std::make_error_code(std::errc::operation_canceled));

  // Closes the socket; a pending Read() returns nullopt. Idempotent.
  void Close(std::error_code why = std::make_error_code(std::errc::operation_canceled));

  bool is_open() const { return open_; }
  std::error_code error() const { return error_; }
  asio::any_io_executor executor() { return socket_.get_executor(); }
  std::string remote() const { return remote_; }  // "127.0.0.1:2775"
  // The peer's address (IPv4 held IPv4-mapped); nullopt when the socket could not tell.
  const std::optional<core::IpAddress>& remote_address() const { return remote_address_; }

  Clock::time_point last_read() const { return last_read_; }
  // When the oldest unwritten byte was queued; nullopt when nothing waits to be written.
  std::optional<Clock::time_point> write_pending_since() const { return write_pending_since_; }
  // PDUs that did not decode and were answered or dropped.
  uint64_t undecodable() const { return undecodable_; }

 private:
  // `self` keeps the connection alive while the loop runs.
  asio::awaitable<void> WriteLoop(std::shared_ptr<PduConnection> self);

  tcp::socket socket_;                                  // the lowest layer: what Close() closes
  std::optional<asio::ssl::stream<tcp::socket&>> tls_;  // set by StartTls
  const codec::DecodeLimits limits_;
  std::string remote_;
  std::optional<core::IpAddress> remote_address_;
  bool open_ = true;
  std::error_code error_;
  std::vector<uint8_t> in_;   // received, not yet consumed
  size_t in_start_ = 0;       // first unconsumed byte of in_
  std::vector<uint8_t> out_;  // queued for the writer
  bool writing_ = false;
  bool close_after_write_ = false;  // framing lost: flush the nack, then close
  std::optional<Clock::time_point> write_pending_since_;
  Clock::time_point last_read_ = Clock::now();
  uint64_t undecodable_ = 0;
};

}  // namespace smsgw::smpp
