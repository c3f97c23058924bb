#pragma once
// From an inbound PDU to the store's ReceiptRecord: recognising a delivery receipt, reading it,
// and normalising its message id the way the connector's SMSC writes ids, so that it meets the
// id recorded from submit_sm_resp. Pure functions; thread-safe.

#include <optional>
#include <string_view>

#include "config/config.h"
#include "core/result.h"
#include "core/time.h"
#include "smpp/codec/message_id.h"
#include "smpp/codec/pdu.h"
#include "store/delivery_store.h"

namespace smsgw::delivery {

// How to read ids in submit_sm_resp and in receipts for a connector's dlr_id_format.
struct IdFormats {
  smpp::codec::IdFormat resp;
  smpp::codec::IdFormat receipt;
};
IdFormats IdFormatsFor(config::DlrIdFormat format);

// nullopt when `pdu` is not a delivery receipt (an MO message, or not a deliver_sm / data_sm).
// An error when it is one but cannot be read (no id): the SMSC gets an error status for it.
std::optional<core::Result<store::ReceiptRecord>> ReadReceipt(const smpp::codec::Pdu& pdu,
                                                              std::string_view connector,
                                                              smpp::codec::IdFormat format,
                                                              core::TimePoint now);

}  // namespace smsgw::delivery
