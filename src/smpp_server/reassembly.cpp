#include "smpp_server/reassembly.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <string>
#include <vector>

#include "api/async_bridge.h"
#include "core/ids.h"
#include "core/strings.h"
#include "smpp/codec/command_status.h"
#include "smpp/codec/pdu_codec.h"
#include "smpp_server/message_id_form.h"
#include "smpp_server/submit_flow.h"

namespace smsgw::smpp_server {
namespace {

namespace codec = smpp::codec;
using codec::CommandStatus;
using codec::Pdu;
using store::SmppStageOutcome;

// Sets deleted by one expiry pass at most (a backlog is worked off over the next passes).
constexpr size_t kExpireBatch = 500;

// How often the expiry looks: often enough that a set lives at most about a tenth longer than the
// timeout, rarely enough to cost nothing (the look is one read of an index).
std::chrono::milliseconds ExpiryPeriod(std::chrono::milliseconds timeout) {
  return std::clamp<std::chrono::milliseconds>(timeout / 10, std::chrono::seconds(1),
                                               std::chrono::seconds(30));
}

// A warning: every part of `set` was answered ESME_ROK, and the message will not be sent.
void LogGivenUp(const store::SmppExpiredSet& set, core::TimePoint now, std::string_view why) {
  SPDLOG_WARN(
      "smpp server: concatenated message {}:1 of \"{}\" (account {}, from {} to {}, reference "
      "{}) {} with {} of {} parts after {} s; not sent",
      set.message_id, core::PrintableAscii(set.system_id), set.sid,
      core::PrintableAscii(set.source), core::PrintableAscii(set.destination), set.reference, why,
      set.received, set.total,
      std::chrono::duration_cast<std::chrono::seconds>(now - set.first_at).count());
}

}  // namespace

Reassembler::Reassembler(store::SmppStagingStore& store, smpp::asio::thread_pool& store_pool,
                         const core::Clock& clock, ReassemblyOptions options)
    : store_(store), store_pool_(store_pool), clock_(clock), options_(options) {}

smpp::asio::awaitable<Pdu> Reassembler::AnswerPart(SubmitAccount& account, const Pdu& pdu,
                                                   const codec::SubmitSm& submit, SubmitPart part) {
  if (part.total == 1) {
    // A message in one part: its UDH (or SAR TLVs) says nothing a single submit needs.
    const std::vector<uint8_t> only[] = {std::move(part.user_data)};
    co_return co_await AnswerSingle(account, pdu,
                                    WholeSubmit(submit, only, submit.registered_delivery));
  }
  store::SmppStagedPart staged;
  staged.sid = account.sid;
  staged.system_id = account.system_id;
  staged.source = submit.source.addr;
  staged.destination = submit.dest.addr;
  staged.reference = part.reference;
  staged.total = part.total;
  staged.seqnum = part.seqnum;
  staged.data_coding = submit.data_coding;
  staged.registered_delivery = submit.registered_delivery;
  staged.user_data = std::move(part.user_data);
  staged.message_id = core::NewUuid();
  staged.received_at = clock_.Now();
  auto result = co_await api::RunBlocking(
      store_pool_, [&] { return store_.StageSmppPart(staged, options_.limits); });
  if (!result) {
    SPDLOG_ERROR("smpp server: part {} of {} from \"{}\" not staged: {}", staged.seqnum,
                 staged.total, core::PrintableAscii(account.system_id), result.error().message);
    co_return *codec::ResponseTo(pdu, CommandStatus::kSystemError);
  }
  if (result->superseded) {
    LogGivenUp(*result->superseded, staged.received_at,
               "given up: a new message came with its reference");
  }
  // Every part is answered with the id of the message it belongs to: one id per message, so
  // that query_sm, cancel_sm and the receipt all name the same thing (docs/smpp-server.md), in
  // the credential's form.
  const std::string message_id = result->message_id + ":1";
  const std::string wire_id = CustomerMessageId(message_id, account.id_format);
  switch (result->outcome) {
    case SmppStageOutcome::kStaged:
    case SmppStageOutcome::kRepeated:
      co_return AcceptedResponse(pdu, wire_id);
    case SmppStageOutcome::kTotalDiffers:
      co_return *codec::ResponseTo(pdu, part.from_sar ? CommandStatus::kInvalidOptionalParamValue
                                                      : CommandStatus::kInvalidEsmClass);
    case SmppStageOutcome::kCodingDiffers:
      co_return *codec::ResponseTo(pdu, CommandStatus::kSubmitFailed);
    case SmppStageOutcome::kTooLong:
      co_return *codec::ResponseTo(pdu, CommandStatus::kInvalidMessageLength);
    case SmppStageOutcome::kTooManySets:
      co_return *codec::ResponseTo(pdu, CommandStatus::kMessageQueueFull);
    case SmppStageOutcome::kComplete:
      break;
  }
  const codec::SubmitSm whole = WholeSubmit(submit, result->parts, result->registered_delivery);
  auto message = co_await BuildSubmitMessage(account, whole, result->message_id, 1);
  const int64_t set_id = result->set_id;
  if (!message) {
    // The whole text is refused as a single submit_sm of it would be; its parts go with it, so
    // that the customer's next try starts a new set rather than completing this one.
    auto dropped =
        co_await api::RunBlocking(store_pool_, [&] { return store_.DropSmppSet(set_id); });
    if (!dropped) {
      SPDLOG_WARN("smpp server: refused message {} of \"{}\" left staged: {}", message_id,
                  core::PrintableAscii(account.system_id), dropped.error().message);
    }
    co_return *codec::ResponseTo(pdu, message.error());
  }
  auto completed = co_await api::RunBlocking(
      store_pool_, [&] { return store_.CompleteSmppSet(set_id, *message); });
  if (!completed) {
    SPDLOG_ERROR("smpp server: message {} of \"{}\" ({} parts) not stored: {}", message_id,
                 core::PrintableAscii(account.system_id), part.total, completed.error().message);
    co_return *codec::ResponseTo(pdu, CommandStatus::kSystemError);
  }
  co_return AcceptedResponse(pdu, wire_id);
}

smpp::asio::awaitable<size_t> Reassembler::ExpireOnce() {
  const core::TimePoint now = clock_.Now();
  auto expired = co_await api::RunBlocking(
      store_pool_, [&] { return store_.ExpireSmppSets(now - options_.timeout, kExpireBatch); });
  if (!expired) {
    SPDLOG_WARN("smpp server: expiring incomplete concatenated messages failed: {}",
                expired.error().message);
    co_return 0;
  }
  for (const store::SmppExpiredSet& set : *expired) {
    LogGivenUp(set, now, "expired ([smpp_server] reassembly_timeout)");
  }
  expired_.fetch_add(expired->size(), std::memory_order_relaxed);
  co_return expired->size();
}

smpp::asio::awaitable<void> Reassembler::ExpireLoop(smpp::asio::steady_timer& timer,
                                                    const std::atomic<bool>& stopped) {
  while (!stopped) {
    if (co_await ExpireOnce() == kExpireBatch) {
      continue;  // more are due
    }
    timer.expires_after(ExpiryPeriod(options_.timeout));
    boost::system::error_code ec;
    co_await timer.async_wait(smpp::asio::redirect_error(smpp::asio::use_awaitable, ec));
  }
}

}  // namespace smsgw::smpp_server
