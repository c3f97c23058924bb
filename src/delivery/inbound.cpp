#include "delivery/inbound.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include "core/thread_name.h"
#include "delivery/mo_part.h"
#include "delivery/mo_text.h"
#include "log/fields.h"
#include "smpp/codec/command_status.h"

namespace smsgw::delivery {
namespace {

namespace asio = smpp::asio;
namespace codec = smpp::codec;

constexpr std::chrono::milliseconds kMaxSweepInterval = std::chrono::seconds(30);

std::chrono::milliseconds SweepIntervalFor(const InboundOptions& options) {
  if (options.sweep_interval > std::chrono::milliseconds::zero()) {
    return options.sweep_interval;
  }
  return std::clamp(options.reassembly_timeout / 10, std::chrono::milliseconds(1),
                    kMaxSweepInterval);
}

}  // namespace

InboundHandler::InboundHandler(store::InboundStore& store, const core::Clock& clock,
                               InboundOptions options)
    : store_(store),
      clock_(clock),
      timeout_(options.reassembly_timeout),
      sweep_interval_(SweepIntervalFor(options)),
      assemble_(AssembleMoText),
      opt_out_(std::move(options.opt_out)),
      writer_([this] {
        core::NameThisThread("inbound-write");
        Run();
      }) {}

InboundHandler::~InboundHandler() { Stop(); }

MoHandler InboundHandler::AsMoHandler() {
  return [this](std::string_view connector, codec::Pdu pdu) {
    return Handle(connector, std::move(pdu));
  };
}

asio::awaitable<uint32_t> InboundHandler::Handle(std::string_view connector, codec::Pdu pdu) {
  const std::string name(connector);
  auto part = ReadMoPart(pdu, name, clock_.Now());
  if (!part) {
    ++n_unreadable_;
    SMSGW_LOG_WARN({{"connector", name}}, "smsc {}: refused an MO that cannot be read (seq {}): {}",
                   name, pdu.sequence_number, part.error().message);
    co_return static_cast<uint32_t>(codec::CommandStatus::kPermanentAppError);
  }
  auto added = co_await AsyncAdd(std::move(*part));
  if (!added) {
    SMSGW_LOG_WARN({{"connector", name}},
                   "smsc {}: MO part not stored, the SMSC will send it again: {}", name,
                   added.error().message);
    co_return static_cast<uint32_t>(codec::CommandStatus::kTemporaryAppError);
  }
  co_return 0;
}

asio::awaitable<core::Result<store::InboundPartResult>> InboundHandler::AsyncAdd(
    store::InboundPart part) {
  using R = core::Result<store::InboundPartResult>;
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(R)>(
      [this](auto handler, store::InboundPart part) {
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        Submit(std::move(part), [shared](R result) {
          auto ex = asio::get_associated_executor(*shared);
          asio::post(
              ex, [shared, result = std::move(result)]() mutable { (*shared)(std::move(result)); });
        });
      },
      asio::use_awaitable, std::move(part));
}

void InboundHandler::Submit(store::InboundPart part, Done done) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      queue_.push_back({std::move(part), std::move(done)});
      cv_.notify_one();
      return;
    }
  }
  done(core::MakeError(core::Errc::kUnavailable, "stopping"));
}

void InboundHandler::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  if (writer_.joinable()) {
    writer_.join();
  }
}

InboundStats InboundHandler::stats() const {
  return {n_parts_.load(),   n_messages_.load(),   n_incomplete_.load(),
          n_repeats_.load(), n_unreadable_.load(), n_store_errors_.load()};
}

void InboundHandler::Run() {
  // At once: parts left waiting by an earlier run may be overdue already.
  auto next_sweep = std::chrono::steady_clock::now();
  for (;;) {
    std::deque<Pending> batch;
    bool stopping = false;
    {
      std::unique_lock lock(mu_);
      cv_.wait_until(lock, next_sweep, [this] { return stopping_ || !queue_.empty(); });
      batch.swap(queue_);
      stopping = stopping_;
    }
    for (Pending& pending : batch) {
      Write(pending);
    }
    if (stopping) {
      return;  // Submit queues nothing once stopping_ is set: the batch was the last
    }
    if (std::chrono::steady_clock::now() >= next_sweep) {
      Sweep();
      next_sweep = std::chrono::steady_clock::now() + sweep_interval_;
    }
  }
}

void InboundHandler::Write(Pending& pending) {
  const core::TimePoint repeats_since = clock_.Now() - timeout_;
  core::Result<store::InboundPartResult> added =
      store_.AddInboundPart(pending.part, repeats_since, assemble_, OptOutWords());
  if (!added) {
    ++n_store_errors_;
  } else if (added->outcome == store::InboundPartOutcome::kRepeated) {
    ++n_repeats_;
    SMSGW_LOG_DEBUG({{"connector", pending.part.connector}},
                    "smsc {}: MO part {} from {} received again", pending.part.connector,
                    pending.part.concat ? pending.part.concat->seqnum : 1, pending.part.source);
  } else {
    ++n_parts_;
    if (added->outcome == store::InboundPartOutcome::kStored) {
      ++n_messages_;
      SMSGW_LOG_DEBUG({{"connector", pending.part.connector}, {"message_id", added->message_id}},
                      "smsc {}: MO {} from {} to {} stored", pending.part.connector,
                      added->message_id, pending.part.source, pending.part.destination);
    }
  }
  pending.done(std::move(added));
}

void InboundHandler::Sweep() {
  const core::TimePoint now = clock_.Now();
  core::Result<size_t> stored =
      store_.ExpireInboundParts(now - timeout_, now, assemble_, OptOutWords());
  if (!stored) {
    ++n_store_errors_;
    SPDLOG_WARN("inbound: storing MO messages with missing parts failed, tried again in {} ms: {}",
                sweep_interval_.count(), stored.error().message);
    return;
  }
  if (*stored > 0) {
    n_incomplete_ += *stored;
    SPDLOG_INFO("inbound: {} MO messages stored with parts missing after {} ms", *stored,
                timeout_.count());
  }
}

}  // namespace smsgw::delivery
