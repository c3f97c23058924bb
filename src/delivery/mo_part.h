#pragma once
// Reading an inbound (MO) deliver_sm / data_sm into the store's InboundPart: addresses, the
// payload (short_message, or message_payload when short_message is empty), and where the part
// belongs in a concatenated message, from the UDH (esm_class UDHI, 8- or 16-bit reference IEs) or
// from the sar_* TLVs. The PDU comes from an SMSC and is untrusted: reading never crashes, and a
// PDU that cannot be an MO we can store is an error value. Pure functions; thread-safe.

#include <string_view>

#include "core/result.h"
#include "core/time.h"
#include "smpp/codec/pdu.h"
#include "store/inbound_store.h"

namespace smsgw::delivery {

// `pdu` as a part received at `now` through `connector`. Concatenation comes from the UDH when it
// has a valid concatenation IE, else from the sar_* TLVs (codec::GetSar), else the part is a
// message of its own; a UDH without one is kept in the payload (udh_length) and skipped as text.
// Errors (kInvalidArgument), which the SMSC is told are permanent: not a deliver_sm or data_sm; a
// delivery receipt (esm_class); no destination address; a data_coding that carries no text smsgw
// decodes (binary, or an unsupported alphabet: text::AlphabetOf); a malformed UDH.
core::Result<store::InboundPart> ReadMoPart(const smpp::codec::Pdu& pdu, std::string_view connector,
                                            core::TimePoint now);

}  // namespace smsgw::delivery
