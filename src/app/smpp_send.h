#pragma once
// `smsgw smpp-send`: bind to an SMSC, submit one message split and encoded the way the gateway
// does, optionally wait for its receipts, unbind, and report everything that happened. It runs
// the same smpp::Session the gateway uses, which is the point: checking a new carrier link with
// it checks the code that will carry the traffic.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "smpp/codec/receipt.h"
#include "smpp/session_config.h"
#include "text/encoding.h"
#include "text/segmenter.h"

namespace smsgw::app {

struct SmppSendOptions {
  smpp::SessionConfig session;
  std::string from;
  std::string to;
  std::string text;
  text::UnicodeMode unicode = text::UnicodeMode::kAuto;
  text::ConcatMethod concat = text::ConcatMethod::kUdh8;
  bool flash = false;
  std::optional<std::chrono::seconds> wait_receipt;  // and ask for receipts
  std::chrono::milliseconds bind_timeout{15'000};
};

struct PartOutcome {
  std::string status;  // "ESME_ROK", "ESME_RTHROTTLED", "timeout", ...
  std::string message_id;
  bool accepted = false;
};

struct MoMessage {
  std::string from;
  std::string to;
  std::string text;
};

struct SmppSendReport {
  std::string error;     // set when nothing could be submitted (bind refused, bad text, ...)
  std::string encoding;  // "GSM7" / "UCS2"
  std::vector<PartOutcome> parts;
  std::vector<smpp::codec::DeliveryReceipt> receipts;  // in arrival order
  std::vector<MoMessage> mo;                           // MO messages that arrived while waiting
  bool all_receipts = false;                           // a receipt for every accepted part

  bool ok(bool waited) const;
  std::string ToJson() const;
  std::string ToText() const;
};

SmppSendReport RunSmppSend(const SmppSendOptions& options);

}  // namespace smsgw::app
