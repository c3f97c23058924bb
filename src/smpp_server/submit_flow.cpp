#include "smpp_server/submit_flow.h"

#include <spdlog/spdlog.h>

#include <optional>
#include <variant>
#include <vector>

#include "api/async_bridge.h"
#include "core/ids.h"
#include "core/strings.h"
#include "smpp/codec/command_status.h"
#include "smpp/codec/pdu_codec.h"
#include "smpp_server/concat_part.h"
#include "smpp_server/message_id_form.h"
#include "smpp_server/reassembly.h"
#include "smpp_server/submit_fields.h"

namespace smsgw::smpp_server {
namespace {

namespace codec = smpp::codec;
using codec::CommandStatus;
using codec::Pdu;

}  // namespace

smpp::asio::awaitable<std::expected<core::Message, CommandStatus>> BuildSubmitMessage(
    SubmitAccount& account, const codec::SubmitSm& submit, const std::string& request_id,
    size_t position) {
  rapidjson::Document fields;
  auto extras = SubmitFields(submit, account.clock.Now(), fields);
  if (!extras) {
    co_return std::unexpected(extras.error());
  }
  if (!account.type.empty()) {
    // The credential's type, checked as the API checks `type` (the region's types; DLT: the
    // template's approved one).
    fields.AddMember("type", rapidjson::Value(account.type.c_str(), fields.GetAllocator()),
                     fields.GetAllocator());
  }
  auto validated = co_await account.validator.Validate(account.sid, account.settings, fields);
  if (!validated) {
    co_return std::unexpected(StatusFor(validated.error()));
  }
  if (validated->request.recipients.size() != 1 || !validated->request.rejected.empty()) {
    // destination_addr is one address; the API's comma-separated list is not SMPP's.
    co_return std::unexpected(CommandStatus::kInvalidDestAddress);
  }
  if (auto accepted = Accept(*extras, validated->now, validated->request); !accepted) {
    co_return std::unexpected(accepted.error());
  }
  std::vector<core::Message> built =
      api::BuildMessages(validated->request, account.sid, request_id, validated->now);
  built.front().id = request_id + ":" + std::to_string(position);
  // The origin its receipts need (core::WantsSmppReceipt decides which statuses get one).
  built.front().smpp_system_id = account.system_id;
  built.front().registered_delivery = submit.registered_delivery;
  // validity_period: not submitted by then, the message expires (delivery::ValidUntil).
  built.front().expires_at = extras->valid_until;
  co_return std::move(built.front());
}

namespace {

smpp::asio::awaitable<bool> Commit(SubmitAccount& account, std::vector<core::Message> messages) {
  auto committed = co_await api::AsyncEnqueue(account.committer, std::move(messages));
  if (!committed) {
    SPDLOG_ERROR("smpp server: submit of \"{}\" not stored: {}",
                 core::PrintableAscii(account.system_id), committed.error().message);
  }
  co_return committed.has_value();
}

smpp::asio::awaitable<Pdu> AnswerMulti(SubmitAccount& account, const Pdu& pdu) {
  const auto& multi = std::get<codec::SubmitMulti>(pdu.body);
  const std::string request_id = core::NewUuid();
  std::vector<core::Message> messages;
  codec::SubmitMultiResp resp;
  std::optional<CommandStatus> first_refusal;
  for (size_t i = 0; i < multi.dests.size(); ++i) {
    const codec::MultiDest& dest = multi.dests[i];
    std::expected<core::Message, CommandStatus> message =
        std::unexpected(CommandStatus::kCannotSubmitToDistList);
    codec::Address refused = dest.address;
    if (dest.dest_flag == codec::kDestFlagDistributionList) {
      refused = {codec::kTonUnknown, codec::kNpiUnknown, dest.dl_name};  // smsgw has no lists
    } else {
      message =
          co_await BuildSubmitMessage(account, AsSubmitSm(multi, dest.address), request_id, i + 1);
    }
    if (message) {
      messages.push_back(std::move(*message));
    } else {
      first_refusal = first_refusal.value_or(message.error());
      resp.unsuccess.push_back({refused, static_cast<uint32_t>(message.error())});
    }
  }
  if (messages.empty()) {
    co_return *codec::ResponseTo(pdu, *first_refusal);
  }
  resp.message_id = CustomerMessageId(messages.front().id, account.id_format);
  if (!co_await Commit(account, std::move(messages))) {
    co_return *codec::ResponseTo(pdu, CommandStatus::kSystemError);
  }
  Pdu response = *codec::ResponseTo(pdu);
  response.body = std::move(resp);
  co_return response;
}

}  // namespace

size_t MessagesAskedFor(const Pdu& pdu) {
  if (const auto* multi = std::get_if<codec::SubmitMulti>(&pdu.body)) {
    return multi->dests.size();
  }
  return 1;
}

smpp::asio::awaitable<Pdu> AnswerSubmit(SubmitAccount account, Pdu pdu) {
  const auto* multi = std::get_if<codec::SubmitMulti>(&pdu.body);
  if (multi != nullptr && (multi->dests.empty() || multi->dests.size() > kMaxSubmitMultiDests)) {
    co_return *codec::ResponseTo(pdu, CommandStatus::kInvalidNumberOfDests);
  }
  if (!account.throughput.TryTake(account.system_id, account.max_rate, MessagesAskedFor(pdu),
                                  ThroughputLimits::Clock::now())) {
    co_return *codec::ResponseTo(pdu, CommandStatus::kThrottled);
  }
  if (multi != nullptr) {
    co_return co_await AnswerMulti(account, pdu);
  }
  const codec::SubmitSm submit = std::holds_alternative<codec::DataSm>(pdu.body)
                                     ? AsSubmitSm(std::get<codec::DataSm>(pdu.body))
                                     : std::get<codec::SubmitSm>(pdu.body);
  if (account.reassembly != nullptr && IsConcatenated(submit)) {
    auto part = ReadSubmitPart(submit);
    if (!part) {
      co_return *codec::ResponseTo(pdu, part.error());
    }
    co_return co_await account.reassembly->AnswerPart(account, pdu, submit, std::move(*part));
  }
  co_return co_await AnswerSingle(account, pdu, submit);
}

smpp::asio::awaitable<Pdu> AnswerSingle(SubmitAccount& account, const Pdu& pdu,
                                        const codec::SubmitSm& submit) {
  auto message = co_await BuildSubmitMessage(account, submit, core::NewUuid(), 1);
  if (!message) {
    co_return *codec::ResponseTo(pdu, message.error());
  }
  const std::string message_id = CustomerMessageId(message->id, account.id_format);
  std::vector<core::Message> messages;
  messages.push_back(std::move(*message));
  if (!co_await Commit(account, std::move(messages))) {
    co_return *codec::ResponseTo(pdu, CommandStatus::kSystemError);
  }
  co_return AcceptedResponse(pdu, message_id);
}

Pdu AcceptedResponse(const Pdu& pdu, const std::string& message_id) {
  Pdu response = *codec::ResponseTo(pdu);
  if (auto* data = std::get_if<codec::DataSmResp>(&response.body)) {
    data->message_id = message_id;
  } else {
    std::get<codec::SubmitSmResp>(response.body).message_id = message_id;
  }
  return response;
}

}  // namespace smsgw::smpp_server
