#pragma once
// Reassembler turns customers' concatenated submits (UDH 8/16-bit or SAR TLVs; concat_part.h)
// into one message each (issue 17; docs/smpp-server.md "Concatenated messages"). Every part is
// staged in the store (store::SmppStagingStore) before its submit_sm_resp says ESME_ROK, with the
// message id the whole message will have; the part that completes the set has the whole text
// validated as one submit (submit_flow.h: api::SendValidator, exactly as a single submit_sm) and
// the message stored in the transaction that deletes the staged parts. Sets still incomplete
// after `reassembly_timeout` are deleted and logged by ExpireLoop.
//
// Threads: AnswerPart runs on a session's io_context thread; the store work runs on the store
// pool. ExpireLoop runs on one io_context, started by the Server. Safe to share by every session.

#include <atomic>
#include <chrono>
#include <cstdint>

#include "core/time.h"
#include "smpp/asio.h"
#include "smpp/codec/pdu.h"
#include "smpp_server/concat_part.h"
#include "store/smpp_staging_store.h"

namespace smsgw::smpp_server {

struct SubmitAccount;  // submit_flow.h

struct ReassemblyOptions {
  std::chrono::milliseconds timeout{300'000};  // [smpp_server] reassembly_timeout
  store::SmppStagingLimits limits{};           // sets per credential, octets per set
};

class Reassembler {
 public:
  Reassembler(store::SmppStagingStore& store, smpp::asio::thread_pool& store_pool,
              const core::Clock& clock, ReassemblyOptions options);

  // The response to `pdu` (a submit_sm or data_sm, read as `submit`) that is `part`:
  //   a part of one (total 1): answered as a single submit of its user data;
  //   staged, or a part number already staged: ESME_ROK with the set's message id;
  //   the part that completes the set: the whole message validated and stored, then ESME_ROK
  //     with that id, or the refusal a submit_sm of the whole text would get (the set is
  //     dropped: the customer sends the message again as a new set);
  //   a total or data_coding other than the set's: ESME_RINVOPTPARAMVAL (SAR) /
  //     ESME_RINVESMCLASS (UDH), ESME_RSUBMITFAIL (data_coding);
  //   more than kMaxReassembledOctets in the set: ESME_RINVMSGLEN;
  //   the credential's limit of incomplete sets reached: ESME_RMSGQFUL (send it again later);
  //   the store failed: ESME_RSYSERR.
  smpp::asio::awaitable<smpp::codec::Pdu> AnswerPart(SubmitAccount& account,
                                                     const smpp::codec::Pdu& pdu,
                                                     const smpp::codec::SubmitSm& submit,
                                                     SubmitPart part);

  // Deletes the sets older than the timeout, logging each (a warning: its parts were answered
  // ESME_ROK and the message is not sent), every `period` until `stopped` is set; wakes early
  // when `timer` is cancelled.
  smpp::asio::awaitable<void> ExpireLoop(smpp::asio::steady_timer& timer,
                                         const std::atomic<bool>& stopped);

  // Sets expired since start (for tests and the log).
  uint64_t expired() const { return expired_.load(std::memory_order_relaxed); }

 private:
  // One pass of ExpireLoop; how many sets it deleted (0 also when the store failed: logged).
  smpp::asio::awaitable<size_t> ExpireOnce();

  store::SmppStagingStore& store_;
  smpp::asio::thread_pool& store_pool_;
  const core::Clock& clock_;
  const ReassemblyOptions options_;
  std::atomic<uint64_t> expired_{0};
};

}  // namespace smsgw::smpp_server
