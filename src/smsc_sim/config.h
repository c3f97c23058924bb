#pragma once
// SimulatorConfig: everything `smsgw smsc-sim` and in-process tests can set on the SMSC
// simulator, each field with its default (leveldb Options style). Plain values.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "smpp/codec/message_id.h"

namespace smsgw::smsc_sim {

struct Account {
  std::string system_id;
  std::string password;
};

// Carriers differ in how they report a concatenated message: a receipt for every part, or
// only one for the last part (the part whose number equals the part count).
enum class MultipartReceipts { kPerPart, kLastPart };

struct SimulatorConfig {
  // SMPP listening address. Loopback unless asked otherwise; port 0 = any free port.
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 2775;
  // The ESMEs that may bind, system_id → password.
  std::vector<Account> accounts = {{"smsgw", "smsgw"}};
  // The system_id the simulator names itself with in bind_*_resp.
  std::string smsc_system_id = "smsgw-sim";

  // Time from submit_sm_resp to the delivery receipt.
  std::chrono::milliseconds receipt_delay{1000};
  // submit_sm_resp message ids: kHex (lower-case) or kDecimal; kAuto is read as kDecimal.
  smpp::codec::IdFormat id_format = smpp::codec::IdFormat::kHex;
  // The first message id; unset = the start time in milliseconds since the Unix epoch, so a
  // restarted simulator does not hand out the ids of its previous run again.
  std::optional<uint64_t> first_message_id{};
  MultipartReceipts multipart_receipts = MultipartReceipts::kPerPart;
  // submit_sm per second per system_id above which the answer is ESME_RTHROTTLED (token
  // bucket holding one second's worth); 0 = unlimited.
  uint32_t max_rate = 0;
  // Connections bound at once per system_id (a transmitter and a receiver are two), as carriers
  // cap an account's binds; a bind beyond it is answered ESME_RBINDFAIL. 0 = unlimited.
  uint32_t max_binds = 0;

  // Fault 9996: how long the submit_sm_resp is held back.
  std::chrono::milliseconds slow_response{10'000};
  // Fault 9999: how long after the receipt the submit_sm_resp follows.
  std::chrono::milliseconds receipt_first_gap{200};

  // A connection that sends no PDU for this long is closed.
  std::chrono::milliseconds idle_limit{std::chrono::minutes(5)};
  // A connection whose queued output has not been written for this long is closed.
  std::chrono::milliseconds write_stall_limit{std::chrono::seconds(30)};
  // After the simulator sends unbind, how long it waits for unbind_resp before closing.
  std::chrono::milliseconds unbind_timeout{std::chrono::seconds(5)};
  // deliver_sm answered with a temporary error (IsTemporary) is sent again after this.
  std::chrono::milliseconds deliver_retry{std::chrono::seconds(5)};
  // deliver_sm (receipts, and MO sent but not acknowledged when its link dropped) waiting for
  // a receiver, per system_id; beyond it the oldest is dropped.
  size_t max_queued_deliveries = 10'000;

  // JSON-lines log of every PDU in and out; empty = no log.
  std::string log_path{};
};

}  // namespace smsgw::smsc_sim
