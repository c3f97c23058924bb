#pragma once
// What one ESME session needs to know about its SMSC: where it is, how to bind, and the limits
// that carriers set per bind (window, messages per second). Plain values, and a shared TLS
// context; the [[smsc]] config section and `smsgw smpp-send` fill it in.

#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "smpp/backoff.h"
#include "smpp/codec/pdu.h"
#include "smpp/codec/pdu_codec.h"

namespace smsgw::smpp {

using namespace std::chrono_literals;

// kPair: a transmitter and a receiver bind on two connections, for SMSCs that want them apart.
enum class BindType { kTransmitter, kReceiver, kTransceiver, kPair };

struct SessionConfig {
  std::string name = "smsc";  // in logs and stats
  std::string host = "127.0.0.1";
  uint16_t port = 2775;

  // bind_* fields (SMPP 3.4 §4.1.1).
  std::string system_id;
  std::string password;
  std::string system_type;
  uint8_t interface_version = codec::kInterfaceVersion34;
  uint8_t addr_ton = 0;
  uint8_t addr_npi = 0;
  std::string address_range;
  BindType bind = BindType::kTransceiver;

  size_t window = 10;                                // submit_sm outstanding at once
  std::chrono::milliseconds response_timeout = 10s;  // per request
  std::chrono::milliseconds enquire_link = 30s;      // probe a link silent this long
  // A link that has received nothing this long is closed (0: enquire_link + response_timeout).
  std::chrono::milliseconds inactivity_limit = 0ms;
  double tps = 0;  // submit_sm per second; 0 = unlimited
  // How long ESME_RTHROTTLED / ESME_RMSGQFUL stop all submits on the session.
  std::chrono::milliseconds throttle_pause = 1s;
  BackoffPolicy reconnect{1s, 60s, 2.0};
  // After a bind refused for its credentials: a person has to fix them, so try rarely.
  std::chrono::milliseconds bind_refused_retry = 60s;
  std::chrono::milliseconds connect_timeout = 10s;
  // Graceful stop waits this long for outstanding responses before unbinding.
  std::chrono::milliseconds drain_timeout = 5s;
  codec::DecodeLimits limits{};
  // SMPP over TLS when set (smpp/tls_client.h): the handshake follows the TCP connect, within
  // connect_timeout, and the SMSC's certificate must name `host`.
  std::shared_ptr<boost::asio::ssl::context> tls;
};

}  // namespace smsgw::smpp
