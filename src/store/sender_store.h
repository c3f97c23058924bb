#pragma once
// SenderStore is each account's registry of sender IDs (Kaleyra's `POST /v1/{sid}/sms/sender`):
// which senders the account may send from when registration is required, and, in India, the DLT
// entity id that travels with each message from a sender. Calls block and are safe from any
// thread. Several processes may share one store (the CLI changes senders while `serve` runs):
// SendersVersion() lets a reader cache senders and notice, within 1 s, that another process changed
// one.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace smsgw::store {

struct Sender {
  std::string sid;
  std::string sender;       // the sender ID as sent (case-sensitive), unique per account
  std::string description;  // may be empty
  std::string iso_code;     // ISO 3166-1 alpha-2, upper-case; may be empty
  std::string entity_id;    // DLT principal-entity id; may be empty outside India
  core::TimePoint created_at;
  core::TimePoint updated_at;
};

// A partial update: only the fields that hold a value change.
struct SenderChange {
  std::optional<std::string> description;
  std::optional<std::string> iso_code;
  std::optional<std::string> entity_id;
};

enum class RegisterOutcome : uint8_t { kCreated, kUpdated };

class SenderStore {
 public:
  virtual ~SenderStore() = default;

  // Registers `senders` (all for `sid`, each sender named once) in one transaction, all or none:
  // a sender new to the account is created (created_at = updated_at = `now`); one it already has
  // gets the new description, iso_code and entity_id (updated_at = `now`, created_at kept). Returns
  // one outcome per entry, in order. kNotFound when the account does not exist. The caller has
  // validated the fields. Fields of the entries other than those named above are ignored.
  virtual core::Result<std::vector<RegisterOutcome>> RegisterSenders(
      std::string_view sid, std::span<const Sender> senders, core::TimePoint now) = 0;
  // kNotFound when the account has no such sender (or the account does not exist).
  virtual core::Result<Sender> GetSender(std::string_view sid, std::string_view sender) = 0;
  // The account's senders ordered by sender; kNotFound when the account does not exist.
  virtual core::Result<std::vector<Sender>> ListSenders(std::string_view sid) = 0;
  // Applies `change` in one step and sets updated_at to `now`; returns the sender as stored
  // afterwards. kNotFound when there is no such sender.
  virtual core::Result<Sender> UpdateSender(std::string_view sid, std::string_view sender,
                                            const SenderChange& change, core::TimePoint now) = 0;
  // kNotFound when there is no such sender. Templates that name it keep the name.
  virtual core::Result<void> DeleteSender(std::string_view sid, std::string_view sender) = 0;

  // A counter that changes whenever a sender of any account is registered, updated or deleted: at
  // once in the instance that made the change, within 1 s in every other process sharing the
  // store. It may also change for other reasons. No I/O.
  virtual uint64_t SendersVersion() const = 0;
};

}  // namespace smsgw::store
