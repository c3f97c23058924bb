#pragma once
// OptOutStore on PostgreSQL (the opt_outs table, migration 4). An opt-out added again keeps the
// first (INSERT ... ON CONFLICT DO NOTHING), so two nodes adding one at once both succeed and one
// row stays; the account row is share-locked while one is added, so it cannot be deleted under
// it. A listing is one statement, so the account check and the page come from one snapshot.

#include <string_view>

#include "core/opt_out.h"
#include "core/time.h"
#include "store/opt_out_store.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/pool.h"

namespace smsgw::store::postgres {

// The opt-out command in an MO's `text` (core::OptOutCommandOf with `words`; none when `words` is
// null), applied for account `sid` in the caller's transaction that stores the MO: the `handset`
// out of `number` (STOP), out of every sender (STOPALL), or back in (START: both removed). Both
// numbers digits only, as messages carry them; nothing when `handset` is empty.
core::Result<void> ApplyMoOptOut(Connection& conn, const core::OptOutWords* words,
                                 std::string_view sid, std::string_view number,
                                 std::string_view handset, std::string_view text,
                                 core::TimePoint at);

class OptOuts final : public OptOutStore {
 public:
  explicit OptOuts(Pool& pool) : pool_(pool) {}

  core::Result<void> AddOptOut(const OptOut& opt_out) override;
  core::Result<void> RemoveOptOut(std::string_view sid, std::string_view recipient,
                                  std::string_view sender) override;
  core::Result<std::vector<OptOut>> ListOptOuts(std::string_view sid, std::string_view recipient,
                                                const std::optional<Cursor>& after,
                                                size_t limit) override;

 private:
  Pool& pool_;
};

}  // namespace smsgw::store::postgres
