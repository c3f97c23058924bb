#pragma once
// The simulator's PDU log: one JSON object per line for every PDU received or sent, so tests
// and people can see exactly what crossed the link. PduLogLine is the pure formatter; PduLog
// appends lines to a file and flushes each one (a test may read the file while the simulator
// runs). Thread-compatible: the simulator writes from its one thread.
//
// Line fields (docs/simulator.md "PDU log"):
//   time          "2025-01-31T12:00:00.123Z" (UTC)
//   dir           "in" (from the ESME) or "out"
//   conn          the connection number (1, 2, ... in accept order)
//   system_id     the bound system_id ("" before the bind)
//   command       "submit_sm", "deliver_sm_resp", ...
//   seq, status   sequence_number and command_status (numbers); status_name "ESME_ROK", ...
// and for submit_sm and deliver_sm also source, dest, esm_class, data_coding,
// registered_delivery, short_message (hex) and tlvs (the tags, "0x0424", in wire order);
// message_id when known (the id given to an accepted submit_sm, the id in submit_sm_resp, the
// receipted id of a receipt).

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/time.h"
#include "smpp/codec/pdu.h"

namespace smsgw::smsc_sim {

enum class Direction { kIn, kOut };

std::string PduLogLine(core::TimePoint time, Direction direction, uint64_t connection,
                       std::string_view system_id, const smpp::codec::Pdu& pdu,
                       std::string_view message_id);

class PduLog {
 public:
  // Opens `path` for appending.
  static core::Result<std::unique_ptr<PduLog>> Open(const std::string& path);
  ~PduLog();
  PduLog(const PduLog&) = delete;
  PduLog& operator=(const PduLog&) = delete;

  // Appends `line` and a newline, flushed.
  void Write(std::string_view line);

 private:
  explicit PduLog(std::FILE* file) : file_(file) {}
  std::FILE* file_;
};

}  // namespace smsgw::smsc_sim
