#include "smpp/codec/pdu.h"

namespace smsgw::smpp::codec {
namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;  // clang 16 has no aggregate CTAD for this

uint32_t BindId(BindMode mode) {
  switch (mode) {
    case BindMode::kTransmitter:
      return static_cast<uint32_t>(CommandId::kBindTransmitter);
    case BindMode::kReceiver:
      return static_cast<uint32_t>(CommandId::kBindReceiver);
    case BindMode::kTransceiver:
      break;
  }
  return static_cast<uint32_t>(CommandId::kBindTransceiver);
}

constexpr uint32_t Id(CommandId id) { return static_cast<uint32_t>(id); }

}  // namespace

std::string_view CommandName(uint32_t command_id) {
  switch (static_cast<CommandId>(command_id)) {
    case CommandId::kGenericNack:
      return "generic_nack";
    case CommandId::kBindReceiver:
      return "bind_receiver";
    case CommandId::kBindReceiverResp:
      return "bind_receiver_resp";
    case CommandId::kBindTransmitter:
      return "bind_transmitter";
    case CommandId::kBindTransmitterResp:
      return "bind_transmitter_resp";
    case CommandId::kQuerySm:
      return "query_sm";
    case CommandId::kQuerySmResp:
      return "query_sm_resp";
    case CommandId::kSubmitSm:
      return "submit_sm";
    case CommandId::kSubmitSmResp:
      return "submit_sm_resp";
    case CommandId::kDeliverSm:
      return "deliver_sm";
    case CommandId::kDeliverSmResp:
      return "deliver_sm_resp";
    case CommandId::kUnbind:
      return "unbind";
    case CommandId::kUnbindResp:
      return "unbind_resp";
    case CommandId::kReplaceSm:
      return "replace_sm";
    case CommandId::kReplaceSmResp:
      return "replace_sm_resp";
    case CommandId::kCancelSm:
      return "cancel_sm";
    case CommandId::kCancelSmResp:
      return "cancel_sm_resp";
    case CommandId::kBindTransceiver:
      return "bind_transceiver";
    case CommandId::kBindTransceiverResp:
      return "bind_transceiver_resp";
    case CommandId::kOutbind:
      return "outbind";
    case CommandId::kEnquireLink:
      return "enquire_link";
    case CommandId::kEnquireLinkResp:
      return "enquire_link_resp";
    case CommandId::kSubmitMulti:
      return "submit_multi";
    case CommandId::kSubmitMultiResp:
      return "submit_multi_resp";
    case CommandId::kAlertNotification:
      return "alert_notification";
    case CommandId::kDataSm:
      return "data_sm";
    case CommandId::kDataSmResp:
      return "data_sm_resp";
  }
  return "unknown";
}

std::string_view StatWord(MessageState state) {
  switch (state) {
    case MessageState::kEnroute:
      return "ENROUTE";
    case MessageState::kDelivered:
      return "DELIVRD";
    case MessageState::kExpired:
      return "EXPIRED";
    case MessageState::kDeleted:
      return "DELETED";
    case MessageState::kUndeliverable:
      return "UNDELIV";
    case MessageState::kAccepted:
      return "ACCEPTD";
    case MessageState::kUnknown:
      break;
    case MessageState::kRejected:
      return "REJECTD";
  }
  return "UNKNOWN";
}

uint32_t CommandIdOf(const Body& body) {
  return std::visit(Overloaded{
                        [](const Bind& b) { return BindId(b.mode); },
                        [](const BindResp& b) { return BindId(b.mode) | kResponseBit; },
                        [](const Outbind&) { return Id(CommandId::kOutbind); },
                        [](const Unbind&) { return Id(CommandId::kUnbind); },
                        [](const UnbindResp&) { return Id(CommandId::kUnbindResp); },
                        [](const EnquireLink&) { return Id(CommandId::kEnquireLink); },
                        [](const EnquireLinkResp&) { return Id(CommandId::kEnquireLinkResp); },
                        [](const GenericNack&) { return Id(CommandId::kGenericNack); },
                        [](const SubmitSm&) { return Id(CommandId::kSubmitSm); },
                        [](const SubmitSmResp&) { return Id(CommandId::kSubmitSmResp); },
                        [](const DeliverSm&) { return Id(CommandId::kDeliverSm); },
                        [](const DeliverSmResp&) { return Id(CommandId::kDeliverSmResp); },
                        [](const DataSm&) { return Id(CommandId::kDataSm); },
                        [](const DataSmResp&) { return Id(CommandId::kDataSmResp); },
                        [](const QuerySm&) { return Id(CommandId::kQuerySm); },
                        [](const QuerySmResp&) { return Id(CommandId::kQuerySmResp); },
                        [](const CancelSm&) { return Id(CommandId::kCancelSm); },
                        [](const CancelSmResp&) { return Id(CommandId::kCancelSmResp); },
                        [](const AlertNotification&) { return Id(CommandId::kAlertNotification); },
                        [](const SubmitMulti&) { return Id(CommandId::kSubmitMulti); },
                        [](const SubmitMultiResp&) { return Id(CommandId::kSubmitMultiResp); },
                    },
                    body);
}

}  // namespace smsgw::smpp::codec
