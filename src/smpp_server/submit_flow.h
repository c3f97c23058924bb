#pragma once
// The submits of a bound customer session (submit_sm, data_sm, submit_multi) from the PDU to its
// response: each destination read as the fields of an API send (submit_fields.h), validated by
// api::SendValidator, checked against what only the PDU says (Accept), and the accepted messages
// committed through the GroupCommitter in one batch. The response is made only after that commit
// (smsgw's message id, ESME_ROK), or says why nothing was stored. Runs on the session's
// io_context thread; the store work happens on the committer's thread.

#include <expected>
#include <string>

#include "api/send_validator.h"
#include "core/time.h"
#include "smpp/asio.h"
#include "smpp/codec/command_status.h"
#include "smpp/codec/pdu.h"
#include "smpp_server/throughput.h"
#include "store/account_store.h"
#include "store/group_committer.h"
#include "store/smpp_credential_store.h"

namespace smsgw::smpp_server {

class Reassembler;  // reassembly.h

// submit_multi: destinations smsgw takes in one PDU; more is ESME_RINVNUMDESTS (issue 17).
inline constexpr size_t kMaxSubmitMultiDests = 100;

// The account a session submits for. The references outlive the call (they are the session's).
struct SubmitAccount {
  api::SendValidator& validator;
  store::GroupCommitter& committer;
  const core::Clock& clock;
  const std::string& sid;
  const store::AccountSettings& settings;  // the account's, read at bind
  const std::string& system_id;            // the credential
  ThroughputLimits& throughput;
  int64_t max_rate;         // the credential's messages a second; 0: unlimited
  const std::string& type;  // the credential's message type, the API's `type`; "": its default
  store::SmppIdFormat id_format;  // how the credential's responses give message ids
  Reassembler* reassembly;        // concatenated submits; nullptr: refused ESME_RINVESMCLASS
};

// How many messages `pdu` asks for: 1 for submit_sm and data_sm, the destinations of a
// submit_multi (what a throughput limit counts).
size_t MessagesAskedFor(const smpp::codec::Pdu& pdu);

// The response to `pdu`, a submit_sm, data_sm or submit_multi; see docs/smpp-server.md. Message
// ids in it are in the credential's id_format (message_id_form.h).
//   Over the credential's max_rate (MessagesAskedFor counted): ESME_RTHROTTLED, nothing stored.
//   submit_sm / data_sm: submit_sm_resp / data_sm_resp with the message id once committed, or
//     the status of the first refusal (submit_fields.h), ESME_RSYSERR when the store failed.
//   a submit_sm / data_sm that is a part of a concatenated message (UDH or SAR TLVs,
//     concat_part.h): ESME_RINVESMCLASS / ESME_RINVOPTPARAMVAL / ESME_RINVMSGLEN when it cannot
//     be placed, else Reassembler::AnswerPart (reassembly.h).
//   submit_multi: one message per accepted destination, ids "<request>:<position in the
//     destination list>", committed together; submit_multi_resp with the first accepted id and
//     an unsuccess_sme per refused destination (a distribution list: ESME_RCNTSUBDL). When every
//     destination is refused, the first one's status, without a body. 0 or more than
//     kMaxSubmitMultiDests destinations: ESME_RINVNUMDESTS.
smpp::asio::awaitable<smpp::codec::Pdu> AnswerSubmit(SubmitAccount account, smpp::codec::Pdu pdu);

// The message `submit` (one destination) asks for, validated as an API send and given the id
// "<request_id>:<position>" and the SMPP origin its receipts need; or the status it is refused
// with (submit_fields.h). Nothing is stored.
smpp::asio::awaitable<std::expected<core::Message, smpp::codec::CommandStatus>> BuildSubmitMessage(
    SubmitAccount& account, const smpp::codec::SubmitSm& submit, const std::string& request_id,
    size_t position);

// The response to `pdu` (a submit_sm or data_sm) for the message `submit` asks for: built,
// committed through the GroupCommitter, and answered with its id; or the refusal.
smpp::asio::awaitable<smpp::codec::Pdu> AnswerSingle(SubmitAccount& account,
                                                     const smpp::codec::Pdu& pdu,
                                                     const smpp::codec::SubmitSm& submit);

// `pdu`'s ESME_ROK response (submit_sm_resp or data_sm_resp) carrying `message_id`.
smpp::codec::Pdu AcceptedResponse(const smpp::codec::Pdu& pdu, const std::string& message_id);

}  // namespace smsgw::smpp_server
