#pragma once
// A message id as a customer's credential shows it (store::SmppIdFormat; docs/smpp-server.md,
// "Message ids"): in submit_sm_resp, data_sm_resp and submit_multi_resp, as query_sm and
// cancel_sm take it, and in the receipt's `id:` and receipted_message_id.
//
//   hex      smsgw's id as it is, "<uuid>:<n>" (the UUID's 32 hex digits with hyphens, and the
//            message's position in its request), the id the REST API knows.
//   decimal  the same id in digits only: the UUID's 128 bits as one decimal number, zero-padded
//            to 39 digits (2^128 has 39), then n in decimal: at most 39 + 25 digits, within
//            SMPP's 65-octet message_id (§5.2.23, with its NUL). The first 39 digits give the
//            UUID back and the rest n, so every decimal id maps back to exactly one smsgw id.
//
// Pure; thread-safe.

#include <optional>
#include <string>
#include <string_view>

#include "store/smpp_credential_store.h"

namespace smsgw::smpp_server {

// The UUID's digits in a decimal id.
inline constexpr size_t kDecimalUuidDigits = 39;
// SMPP 3.4 §5.2.23: message_id is a C-Octet String of at most 65 octets, its NUL included.
inline constexpr size_t kMaxSmppMessageId = 64;

// `id` (smsgw's "<uuid>:<n>") as `format` writes it. An id of another shape (none that smsgw
// makes) is returned as it is.
std::string CustomerMessageId(std::string_view id, store::SmppIdFormat format);

// The smsgw id that `customer_id` stands for under `format`; nullopt when it cannot be one (a
// decimal id that is not 40 to 64 digits, a UUID above 2^128, n of 0 or with a leading zero).
// Under kHex the id is taken as it is.
std::optional<std::string> SmsgwMessageId(std::string_view customer_id, store::SmppIdFormat format);

}  // namespace smsgw::smpp_server
