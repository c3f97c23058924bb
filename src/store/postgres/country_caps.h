#pragma once
// CountryCapStore on PostgreSQL (migration 5), and the counting of accepted messages against the
// caps that Messages::Enqueue does in its transaction (CountAgainstCaps). Usage is one row per
// account, country and UTC day ("2026-12-05") or month ("2026-12"), as in SQLite.
//
// Several nodes enqueue for one account at once, so the check of a cap and the count against it
// must be one step: CountAgainstCaps locks every usage row the batch touches (creating the missing
// ones) in one fixed order before it reads them, and so a second node counting against the same
// rows waits for the first to commit and then reads what it counted. Two batches never wait for
// each other in a cycle over these rows; a deadlock with rows locked elsewhere in the transaction
// is retried whole by Pool::InTransaction.

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "core/message.h"
#include "core/result.h"
#include "store/country_cap_store.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/pool.h"

namespace smsgw::store::postgres {

class CountryCaps final : public CountryCapStore {
 public:
  explicit CountryCaps(Pool& pool) : pool_(pool) {}

  core::Result<void> SetCountryCap(const CountryCap& cap) override;
  core::Result<void> RemoveCountryCap(std::string_view sid, std::string_view country) override;
  // One statement, so the account check and the caps and usage come from one snapshot.
  core::Result<std::vector<CountryCapUsage>> ListCountryCaps(std::string_view sid,
                                                             core::TimePoint at) override;

 private:
  Pool& pool_;
};

// A message of an Enqueue batch over its account's cap for its country, and which cap.
struct OverCap {
  size_t index;              // into the batch
  std::string_view details;  // kDailyCapDetails or kMonthlyCapDetails
};

// Counts the batch's messages, in batch order, against their accounts' country caps on `conn`,
// inside the caller's transaction, against the UTC day and month of each message's send time (else
// its creation); returns those over a cap, which are not counted. The usage rows stay locked until
// the transaction ends. One statement when none of the batch's accounts has caps.
core::Result<std::vector<OverCap>> CountAgainstCaps(Connection& conn,
                                                    std::span<const core::Message> messages);

}  // namespace smsgw::store::postgres
