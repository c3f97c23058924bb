#include "delivery/connector.h"

#include <spdlog/spdlog.h>

#include "log/fields.h"
#include "smpp/codec/command_status.h"

namespace smsgw::delivery {
namespace {

namespace asio = smpp::asio;
namespace codec = smpp::codec;

smpp::BindType BindFor(config::SmscBind bind) {
  switch (bind) {
    case config::SmscBind::kTransmitter:
      return smpp::BindType::kTransmitter;
    case config::SmscBind::kReceiver:
      return smpp::BindType::kReceiver;
    case config::SmscBind::kTransceiver:
      return smpp::BindType::kTransceiver;
    case config::SmscBind::kPair:
      return smpp::BindType::kPair;
  }
  return smpp::BindType::kTransceiver;
}

text::ConcatMethod ConcatFor(config::Concatenation c) {
  switch (c) {
    case config::Concatenation::kUdh8:
      return text::ConcatMethod::kUdh8;
    case config::Concatenation::kUdh16:
      return text::ConcatMethod::kUdh16;
    case config::Concatenation::kSar:
      return text::ConcatMethod::kSar;
    case config::Concatenation::kPayload:
      return text::ConcatMethod::kMessagePayload;
  }
  return text::ConcatMethod::kUdh8;
}

codec::AddressOverride Override(int ton, int npi) {
  codec::AddressOverride o;
  if (ton >= 0) {
    o.ton = static_cast<uint8_t>(ton);
  }
  if (npi >= 0) {
    o.npi = static_cast<uint8_t>(npi);
  }
  return o;
}

WireSettings WireFor(const config::SmscConfig& smsc, bool dlt) {
  WireSettings wire;
  wire.concat = ConcatFor(smsc.concatenation);
  wire.source_override = Override(smsc.source_ton, smsc.source_npi);
  wire.dest_override = Override(smsc.dest_ton, smsc.dest_npi);
  wire.dlt = dlt;
  return wire;
}

// Completes with the receipt's outcome on the calling coroutine's executor.
asio::awaitable<core::Result<store::ReceiptOutcome>> AsyncApply(Recorder& recorder,
                                                                store::ReceiptRecord receipt) {
  using R = core::Result<store::ReceiptOutcome>;
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(R)>(
      [&recorder](auto handler, store::ReceiptRecord receipt) {
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        recorder.Receipt(std::move(receipt), [shared](R result) {
          auto ex = asio::get_associated_executor(*shared);
          asio::post(
              ex, [shared, result = std::move(result)]() mutable { (*shared)(std::move(result)); });
        });
      },
      asio::use_awaitable, std::move(receipt));
}

}  // namespace

smpp::SessionConfig SessionConfigFor(const config::SmscConfig& smsc) {
  smpp::SessionConfig s;
  s.name = smsc.name;
  s.host = smsc.host;
  s.port = smsc.port;
  s.system_id = smsc.system_id;
  s.password = smsc.password;
  s.system_type = smsc.system_type;
  s.bind = BindFor(smsc.bind);
  s.window = static_cast<size_t>(smsc.window);
  s.tps = smsc.tps;
  s.enquire_link = smsc.enquire_link;
  s.response_timeout = smsc.response_timeout;
  return s;
}

Connector::Connector(asio::io_context& io, const config::SmscConfig& config, bool dlt,
                     Recorder& recorder, MoHandler mo, std::shared_ptr<asio::ssl::context> tls,
                     std::optional<std::chrono::milliseconds> drain_timeout)
    : config_(config),
      wire_(WireFor(config, dlt)),
      ids_(IdFormatsFor(config.dlr_id_format)),
      recorder_(recorder),
      mo_(std::move(mo)),
      io_(io),
      open_(static_cast<size_t>(config.binds), false) {
  smpp::SessionConfig session = SessionConfigFor(config);
  session.tls = std::move(tls);
  if (drain_timeout) {
    session.drain_timeout = *drain_timeout;
  }
  for (int i = 0; i < config.binds; ++i) {
    sessions_.push_back(std::make_unique<smpp::Session>(
        io, session, [this](codec::Pdu pdu) { return Inbound(std::move(pdu)); }));
  }
}

Connector::~Connector() = default;

void Connector::Start() {
  asio::post(io_, [this] {
    for (size_t i = 0; i < sessions_.size(); ++i) {
      OpenHere(i);
    }
  });
}

void Connector::Open(int slot) {
  asio::post(io_, [this, slot] {
    if (slot >= 0 && static_cast<size_t>(slot) < sessions_.size()) {
      OpenHere(static_cast<size_t>(slot));
    }
  });
}

void Connector::Close(int slot, std::function<void()> closed) {
  asio::post(io_, [this, slot, closed = std::move(closed)]() mutable {
    if (slot >= 0 && static_cast<size_t>(slot) < sessions_.size()) {
      CloseHere(static_cast<size_t>(slot), std::move(closed));
    } else if (closed) {
      closed();
    }
  });
}

void Connector::OpenHere(size_t slot) {
  if (stopped_ || open_[slot]) {
    return;
  }
  open_[slot] = true;
  SMSGW_LOG_INFO({{"connector", config_.name}}, "smsc {}: bind slot {} opens", config_.name, slot);
  sessions_[slot]->Start();  // after a close still running, once it has finished
}

void Connector::CloseHere(size_t slot, std::function<void()> closed) {
  if (open_[slot]) {
    SMSGW_LOG_INFO({{"connector", config_.name}}, "smsc {}: bind slot {} closes", config_.name,
                   slot);
  }
  open_[slot] = false;
  // A session never opened, or closed already, answers at once.
  sessions_[slot]->Stop(std::move(closed));
}

void Connector::Stop(std::function<void()> done) {
  asio::post(io_, [this, done = std::move(done)]() mutable {
    stopped_ = true;
    auto remaining = std::make_shared<size_t>(sessions_.size());
    auto shared_done = std::make_shared<std::function<void()>>(std::move(done));
    if (sessions_.empty() && *shared_done) {
      (*shared_done)();
    }
    for (size_t i = 0; i < sessions_.size(); ++i) {
      CloseHere(i, [remaining, shared_done] {
        if (--*remaining == 0 && *shared_done) {
          (*shared_done)();
        }
      });
    }
  });
}

bool Connector::bound() const {
  for (const auto& s : sessions_) {
    if (s->bound()) {
      return true;
    }
  }
  return false;
}

std::vector<smpp::SessionStatsSnapshot> Connector::stats() const {
  std::vector<smpp::SessionStatsSnapshot> out;
  for (const auto& s : sessions_) {
    out.push_back(s->stats());
  }
  return out;
}

asio::awaitable<uint32_t> Connector::Inbound(codec::Pdu pdu) {
  auto receipt = ReadReceipt(pdu, config_.name, ids_.receipt, std::chrono::system_clock::now());
  if (!receipt) {
    if (!mo_) {
      co_return static_cast<uint32_t>(codec::CommandStatus::kTemporaryAppError);
    }
    co_return co_await mo_(config_.name, std::move(pdu));
  }
  if (!*receipt) {
    // Unreadable: it will never become readable, so it is refused for good rather than retried.
    SMSGW_LOG_WARN({{"connector", config_.name}}, "smsc {}: unreadable delivery receipt: {}",
                   config_.name, receipt->error().message);
    co_return static_cast<uint32_t>(codec::CommandStatus::kPermanentAppError);
  }
  auto outcome = co_await AsyncApply(recorder_, std::move(**receipt));
  if (!outcome) {
    co_return static_cast<uint32_t>(codec::CommandStatus::kTemporaryAppError);
  }
  co_return 0;
}

}  // namespace smsgw::delivery
