#pragma once
// SqliteStore is the embedded, single-file store: it implements MessageStore, AccountStore,
// TemplateStore, SenderStore, DeliveryStore, MessageLog, InboundStore, WebhookStore,
// CallbackProfileStore and InboundNumberStore over one SQLite database
// in WAL mode with synchronous=FULL, so a committed Enqueue survives kill -9 and power loss.
// Several processes may share the file (`smsgw serve` and the CLI that adds and revokes keys):
// writers wait up to a busy timeout for one another, and readers never wait for writers.
//
// Every method is safe from any thread. Writes (Enqueue, delivery, accounts, keys, registries)
// share one connection under a mutex. The pipeline's writes, which come from several threads at
// once (GroupCommitter's Enqueue, the dispatcher's claims, the recorders, the webhook sender),
// join a WriteGroup: whatever waits while a commit is in progress is written together in the
// next transaction, with one fsync.
// Reads take a connection from a small pool of their own, so they never wait behind a commit's
// fsync. Only app/wiring.cpp and tests name this class.

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/result.h"
#include "metrics/histogram.h"
#include "store/account_store.h"
#include "store/callback_profile_store.h"
#include "store/cluster_store.h"
#include "store/console_password_store.h"
#include "store/country_cap_store.h"
#include "store/delivery_stats.h"
#include "store/delivery_store.h"
#include "store/inbound_number_store.h"
#include "store/inbound_store.h"
#include "store/message_log.h"
#include "store/message_store.h"
#include "store/operations_store.h"
#include "store/opt_out_store.h"
#include "store/sender_store.h"
#include "store/smpp_credential_store.h"
#include "store/smpp_outbox_store.h"
#include "store/smpp_staging_store.h"
#include "store/sqlite/shared_counter.h"
#include "store/sqlite/wal_sync.h"
#include "store/template_store.h"
#include "store/webhook_store.h"

namespace smsgw::store::sqlite {

class Statement;   // store/sqlite/sqlite_db.h
class WriteGroup;  // store/sqlite/write_group.h
enum class WriteLane;

struct StatusTally;  // what one write finished (sqlite_store_internal.h)
class OutboxWriter;  // webhook and SMPP outbox rows of a write (sqlite_store_internal.h)

class SqliteStore final : public MessageStore,
                          public AccountStore,
                          public TemplateStore,
                          public SenderStore,
                          public DeliveryStore,
                          public MessageLog,
                          public InboundStore,
                          public WebhookStore,
                          public CallbackProfileStore,
                          public InboundNumberStore,
                          public OptOutStore,
                          public CountryCapStore,
                          public SmppCredentialStore,
                          public SmppOutboxStore,
                          public SmppStagingStore,
                          public OperationsStore,
                          public DeliveryStats,
                          public ConsolePasswordStore,
                          public ClusterStore {
 public:
  struct Options {
    // How long a write waits for another connection (usually another process) to release the
    // database before failing with kUnavailable. Reads never wait for writes.
    std::chrono::milliseconds busy_timeout{5000};
  };

  // Opens the database at `path`, creating the file if missing (its directory must exist), and
  // applies pending schema migrations. Also maps `<path>-keys-version` (see KeysVersion()) and
  // `<path>-registry-version` (see TemplatesVersion()).
  // kInvalidArgument for a database written by a newer smsgw (its schema version is newer than
  // this build knows); kUnavailable when the file cannot be opened or stays locked by another
  // process beyond the busy timeout.
  static core::Result<std::unique_ptr<SqliteStore>> Open(const std::string& path);
  static core::Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                         const Options& options);

  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // MessageStore. Enqueue runs one IMMEDIATE transaction with a cached INSERT; a busy database or
  // an I/O error is kUnavailable, a duplicate id kConflict (nothing is written either way).
  // Stored messages start with updated_at = created_at, and kQueued/kScheduled ones are due at
  // their send time (or at once) with core::ClaimPriority of their type.
  // Enqueue also deletes up to 64 idempotency keys older than kIdempotencyWindow whenever it
  // stores one (sqlite_idempotency.cpp), so the table holds about a day of keys.
  using MessageStore::Enqueue;
  core::Result<void> Enqueue(std::span<const core::Message> messages,
                             std::span<const IdempotencyRecord> keys) override;
  core::Result<std::optional<IdempotencyRecord>> FindIdempotencyKey(
      std::string_view sid, std::string_view key, core::TimePoint not_before) override;
  // Reads every id from one snapshot. A repeated id is reported once.
  core::Result<std::vector<StatusRecord>> GetStatuses(std::string_view sid,
                                                      std::span<const std::string> ids) override;

  // AccountStore. ListAccounts is ordered by created_at, then sid. Adding a key hash that already
  // exists (for any account) is kConflict. RevokeKey records the revocation time from the system
  // clock; it is kept for audit only.
  core::Result<void> CreateAccount(const Account& account) override;
  core::Result<std::vector<Account>> ListAccounts() override;
  core::Result<void> AddKey(std::string_view sid, std::string_view key_hash,
                            core::TimePoint created_at) override;
  core::Result<void> RevokeKey(std::string_view sid, std::string_view key_hash) override;
  core::Result<std::vector<ApiKeyRecord>> ListKeys(std::string_view sid) override;
  core::Result<std::optional<std::string>> FindSidByKeyHash(std::string_view key_hash) override;

  // A counter in the 8-byte file `<path>-keys-version`, mapped shared into every process that
  // opens this database and read with one atomic load. AddKey and RevokeKey increment it after
  // their transaction commits. A file rather than a database read because it sits on every API
  // request's path; a file rather than a counter in this object because the CLI changes keys from
  // another process. If a process dies between a key change's commit and the increment, caches
  // elsewhere stay stale until the next key change or restart.
  uint64_t KeysVersion() const override;
  core::Result<AccountSettings> GetSettings(std::string_view sid) override;
  core::Result<void> SetSmartEncoding(std::string_view sid, std::optional<bool> on) override;
  core::Result<void> SetRequireRegisteredSenders(std::string_view sid,
                                                 std::optional<bool> on) override;
  core::Result<void> SetRateLimit(std::string_view sid, RateLimit limit,
                                  std::optional<int64_t> per_second) override;
  // Increments KeysVersion() like the other settings (has_webhook_secret is one of them).
  core::Result<void> SetWebhookSecret(std::string_view sid,
                                      std::optional<std::string_view> secret) override;
  // Rare (a test webhook): the statement is prepared per call.
  core::Result<std::string> GetWebhookSecret(std::string_view sid) override;

  // TemplateStore. A template's senders are kept as one comma-separated column (sender IDs never
  // contain ','). Creating, updating or deleting a template increments the registry counter.
  core::Result<void> CreateTemplate(const Template& t) override;
  core::Result<Template> GetTemplate(std::string_view sid, std::string_view template_id) override;
  core::Result<std::vector<Template>> ListTemplates(std::string_view sid) override;
  core::Result<Template> UpdateTemplate(std::string_view sid, std::string_view template_id,
                                        const TemplateChange& change, core::TimePoint now) override;
  core::Result<void> DeleteTemplate(std::string_view sid, std::string_view template_id) override;
  // Both registries share one counter in the 8-byte file `<path>-registry-version`, mapped like
  // the keys counter and for the same reasons: caches on the send path check it per request, and
  // the CLI changes templates and senders from another process.
  uint64_t TemplatesVersion() const override;

  // SenderStore. Registering, updating or deleting senders increments the registry counter.
  core::Result<std::vector<RegisterOutcome>> RegisterSenders(std::string_view sid,
                                                             std::span<const Sender> senders,
                                                             core::TimePoint now) override;
  core::Result<Sender> GetSender(std::string_view sid, std::string_view sender) override;
  core::Result<std::vector<Sender>> ListSenders(std::string_view sid) override;
  core::Result<Sender> UpdateSender(std::string_view sid, std::string_view sender,
                                    const SenderChange& change, core::TimePoint now) override;
  core::Result<void> DeleteSender(std::string_view sid, std::string_view sender) override;
  uint64_t SendersVersion() const override;

  // DeliveryStore (sqlite_delivery.cpp). A claimed message's due_at holds its lease's end, so
  // ClaimDue reads one partial index, messages_due(priority, due_at), by one range scan per
  // priority. Events are written when the Kaleyra status changes (kSubmitted, kDelivered,
  // kUndelivered, kNotSent); claims and temporary failures keep the message "Pending" and write
  // none. Counts reads the partial index and held_receipts through a read connection.
  core::Result<std::vector<Claim>> ClaimDue(std::string_view owner, core::TimePoint now,
                                            std::chrono::milliseconds lease, size_t limit) override;
  core::Result<size_t> ReleaseClaims(std::string_view keep_owner, core::TimePoint now) override;
  core::Result<void> RecordAccepted(std::span<const PartAccepted> parts) override;
  core::Result<void> RecordFailures(std::span<const SubmitFailure> failures) override;
  core::Result<std::vector<ReceiptOutcome>> ApplyReceipts(
      std::span<const ReceiptRecord> receipts) override;
  core::Result<void> Cancel(std::string_view sid, std::string_view id,
                            core::TimePoint now) override;
  core::Result<size_t> ExpireReceipts(core::TimePoint submitted_before, core::TimePoint now,
                                      size_t limit) override;
  core::Result<DeliveryCounts> Counts() override;

  // MessageLog (sqlite_message_log.cpp), on read connections. GetDetail reads one snapshot. List
  // walks messages_by_sid(sid, created_at), or messages_by_recipient when a recipient is given,
  // newest first, and tests the other filters row by row; a page reads at most
  // kMaxListScan rows (or 2 x limit, if larger), so a rare filter returns short pages.
  core::Result<MessageDetail> GetDetail(std::string_view sid, std::string_view id) override;
  core::Result<MessagePage> List(std::string_view sid, const MessageFilter& filter,
                                 std::string_view cursor, size_t limit) override;
  static constexpr size_t kMaxListScan = 10'000;

  // InboundStore (sqlite_inbound.cpp). Writes take the writer like the delivery writes, with the
  // same short busy timeout: the SMSC sends a part again after ESME_RX_T_APPN. Waiting parts are
  // keyed by their concatenation key (parts of a message are one range of it); a repeat of a
  // stored message's part is found through inbound_messages_by_concat. Reads use read
  // connections; ListInbound walks the rowid (the order of storing) backwards. A stored message
  // is matched against its destination's entries (digits only) with core::MatchInbound at its
  // stored_at; failing that, among the accounts with an unexpired entry on the number, the one
  // whose newest message to the source (digits) had the number as sender (with or without '+')
  // gets it, through its default entry, else its first in keyword order.
  core::Result<InboundPartResult> AddInboundPart(
      const InboundPart& part, core::TimePoint repeats_since, const InboundAssembler& assemble,
      const core::OptOutWords* opt_out = nullptr) override;
  core::Result<size_t> ExpireInboundParts(core::TimePoint cutoff, core::TimePoint now,
                                          const InboundAssembler& assemble,
                                          const core::OptOutWords* opt_out = nullptr) override;
  core::Result<std::vector<InboundMessage>> ListInbound(std::string_view before_id, size_t limit,
                                                        InboundFilter filter) override;
  core::Result<InboundMessage> GetInbound(std::string_view id) override;
  core::Result<size_t> CountWaitingInboundParts() override;
  // Through the partial index inbound_messages_unmatched.
  core::Result<size_t> CountUnmatchedInbound() override;

  // WebhookStore (sqlite_webhooks.cpp). Status webhooks are written by the DeliveryStore writes
  // with their message_events row, inbound ones by the InboundStore writes with the message; the
  // target is resolved then. A pending row's due_at is its next attempt (a claimed one's: its
  // lease's end), so ClaimWebhooks is one range scan of the partial index webhooks_due. Writes
  // take the writer with the short busy timeout, like delivery; reads use read connections.
  // The handoff is kept under its own mutex; a status webhook is written claimed when one is set
  // as its write begins, and handed over after the write's group commits.
  void SetWebhookHandoff(WebhookHandoff* handoff, std::string_view owner,
                         std::chrono::milliseconds lease) override;
  void ClearWebhookHandoff(WebhookHandoff* handoff) override;
  core::Result<std::vector<WebhookJob>> ClaimWebhooks(std::string_view owner, core::TimePoint now,
                                                      std::chrono::milliseconds lease,
                                                      size_t limit) override;
  core::Result<size_t> ReleaseWebhookClaims(std::string_view keep_owner,
                                            core::TimePoint now) override;
  core::Result<void> DeferWebhooks(std::span<const std::string> event_ids,
                                   core::TimePoint due_at) override;
  // An attempt for a webhook no longer pending is logged and counted in its attempts (so that
  // attempt numbers stay unique); nothing else changes. Attempts for unknown ids are ignored.
  core::Result<void> RecordWebhookAttempts(std::span<const WebhookAttempt> attempts) override;
  core::Result<void> ReplayWebhook(std::string_view sid, std::string_view event_id,
                                   core::TimePoint now) override;
  // Walks webhooks_by_sid (sid, created_at) newest first, at most kMaxListScan rows (or 2 x
  // limit) a page; the exhausted ones through their partial index, where every row matches.
  core::Result<WebhookPage> ListWebhooks(std::string_view sid, WebhookState state,
                                         std::string_view cursor, size_t limit) override;
  core::Result<std::vector<WebhookSummary>> WebhooksOf(std::string_view sid,
                                                       std::string_view subject_id) override;
  core::Result<WebhookCounts> CountWebhooks() override;

  // CallbackProfileStore (sqlite_callback_profiles.cpp). Headers are one text column of
  // escaped "name<TAB>value" lines; a partial unique index keeps one default per account.
  core::Result<void> CreateCallbackProfile(const CallbackProfile& profile) override;
  core::Result<CallbackProfile> GetCallbackProfile(std::string_view sid,
                                                   std::string_view id) override;
  core::Result<std::vector<CallbackProfile>> ListCallbackProfiles(std::string_view sid) override;
  core::Result<void> UpdateCallbackProfile(const CallbackProfile& profile) override;
  core::Result<void> DeleteCallbackProfile(std::string_view sid, std::string_view id) override;
  // The registry version (templates, senders and profiles share one counter file).
  uint64_t CallbackProfilesVersion() const override;

  // CountryCapStore (sqlite_country_caps.cpp). Usage is one row per account, country and UTC
  // day or month, counted by Enqueue (CountAgainstCaps).
  core::Result<void> SetCountryCap(const CountryCap& cap) override;
  core::Result<void> RemoveCountryCap(std::string_view sid, std::string_view country) override;
  core::Result<std::vector<CountryCapUsage>> ListCountryCaps(std::string_view sid,
                                                             core::TimePoint at) override;

  // SmppCredentialStore (sqlite_smpp_credentials.cpp). Adding or revoking one moves the keys
  // counter: CredentialsVersion() is KeysVersion().
  core::Result<void> AddSmppCredential(const SmppCredential& credential, std::string_view salt,
                                       std::string_view password_hash) override;
  core::Result<std::vector<SmppCredential>> ListSmppCredentials(std::string_view sid) override;
  core::Result<void> RevokeSmppCredential(std::string_view sid,
                                          std::string_view system_id) override;
  core::Result<std::optional<SmppSecret>> FindSmppCredential(std::string_view system_id) override;
  uint64_t CredentialsVersion() const override;

  // SmppOutboxStore (sqlite_smpp_outbox.cpp, migration 18). Receipt rows are written by the
  // DeliveryStore writes through OutboxWriter::AddSmppReceipt; a claim is one range of
  // smpp_outbox_by_sid, probed first on a read connection so that an idle session's poll does
  // not take the writer.
  core::Result<std::vector<SmppOutboxJob>> ClaimSmppOutbox(std::string_view sid,
                                                           std::string_view owner,
                                                           core::TimePoint now,
                                                           std::chrono::milliseconds lease,
                                                           size_t limit) override;
  core::Result<void> FinishSmppOutbox(std::span<const int64_t> ids) override;
  core::Result<void> DeferSmppOutbox(std::span<const int64_t> ids, core::TimePoint due_at,
                                     bool refused) override;
  core::Result<size_t> CountSmppOutbox(std::string_view sid) override;
  uint64_t SmppOutboxVersion(std::string_view sid) const override {
    return smpp_outbox_versions_[SmppOutboxBucket(sid)].load(std::memory_order_acquire);
  }
  // Which of the 64 version counters `sid` shares, so that a receipt for one account wakes
  // about 1/64 of the other accounts' sessions rather than all of them.
  static size_t SmppOutboxBucket(std::string_view sid) {
    return std::hash<std::string_view>()(sid) % kSmppOutboxBuckets;
  }

  // SmppStagingStore (sqlite_smpp_staging.cpp, migration 19). Writes join the pipeline's write
  // group like Enqueue (CompleteSmppSet runs Enqueue's own inserts); a set is one row of
  // smpp_staged_sets (unique by its key, counted per credential through that index) and its
  // parts one range of smpp_staged_parts; expiry walks smpp_staged_sets_by_first, probed on a
  // read connection first so that an idle server's tick does not take the writer.
  core::Result<SmppStageResult> StageSmppPart(const SmppStagedPart& part,
                                              const SmppStagingLimits& limits) override;
  core::Result<void> CompleteSmppSet(int64_t set_id, const core::Message& message) override;
  core::Result<void> DropSmppSet(int64_t set_id) override;
  core::Result<std::vector<SmppExpiredSet>> ExpireSmppSets(core::TimePoint cutoff,
                                                           size_t limit) override;
  core::Result<size_t> CountSmppStagedSets(std::string_view system_id) override;

  // OptOutStore (sqlite_opt_outs.cpp). The claim reads the table too (Claim::opted_out).
  core::Result<void> AddOptOut(const OptOut& opt_out) override;
  core::Result<void> RemoveOptOut(std::string_view sid, std::string_view recipient,
                                  std::string_view sender) override;
  core::Result<std::vector<OptOut>> ListOptOuts(std::string_view sid, std::string_view recipient,
                                                const std::optional<Cursor>& after,
                                                size_t limit) override;

  // InboundNumberStore (sqlite_inbound_numbers.cpp). The sharing rules are checked against the
  // number's entries read in the inserting transaction; an entry counts while unexpired at its
  // created_at.
  core::Result<void> CreateInboundNumber(const InboundNumber& entry) override;
  core::Result<InboundNumber> GetInboundNumber(std::string_view sid, std::string_view id) override;
  core::Result<std::vector<InboundNumber>> ListInboundNumbers(std::string_view sid) override;
  core::Result<void> DeleteInboundNumber(std::string_view sid, std::string_view id) override;

  // DeliveryStats (delivery_rollup.cpp): one range of delivery_minutes' primary key, summed by
  // SQLite, on a read connection.
  core::Result<std::vector<DeliveryBucket>> ReadDeliveryStats(std::string_view sid,
                                                              core::TimePoint from,
                                                              core::TimePoint to,
                                                              std::chrono::minutes step) override;

  // ConsolePasswordStore (sqlite_console_passwords.cpp): one row per account, upserted.
  core::Result<void> SetConsolePassword(std::string_view sid, std::string_view salt,
                                        std::string_view password_hash,
                                        core::TimePoint at) override;
  core::Result<void> RemoveConsolePassword(std::string_view sid) override;
  core::Result<std::optional<ConsolePassword>> FindConsolePassword(std::string_view sid) override;

  // ClusterStore (sqlite_cluster.cpp): beats and bind leases on this host's system_clock, each
  // write one IMMEDIATE transaction on the writer (so processes acquiring binds take turns);
  // statements prepared per call.
  core::Result<ClusterView> Beat(std::string_view owner, std::chrono::milliseconds lease) override;
  core::Result<void> Leave(std::string_view owner) override;
  core::Result<std::vector<int>> AcquireBinds(std::string_view connector, int slots,
                                              std::string_view owner, int want,
                                              std::chrono::milliseconds lease) override;
  core::Result<std::vector<int>> RenewBinds(std::string_view connector, std::string_view owner,
                                            std::chrono::milliseconds lease) override;
  core::Result<void> ReleaseBind(std::string_view connector, int slot,
                                 std::string_view owner) override;
  core::Result<ClusterStatus> Status() override;
  core::Result<ClusterNodes> Nodes() override;

  // OperationsStore (sqlite_operations.cpp).
  core::Result<StoreGauges> ReadGauges(core::TimePoint now) override;
  StoreCounters ReadCounters() const override;
  core::Result<void> ProbeWrite() override;

  const std::string& path() const { return path_; }

 private:
  friend class WriteGroupNowTest;  // write_group_test.cpp drives a Writer directly
  struct Writer;                   // the write connection and its prepared statements
  struct ReadConnection;           // one read connection and its prepared statements
  class ReadLease;

  SqliteStore(std::string path, const Options& options, std::unique_ptr<Writer> writer,
              WalSync wal_sync, SharedCounter keys_version, SharedCounter registry_version);

  // A pooled read connection, or a new one when every pooled one is in use.
  core::Result<std::unique_ptr<ReadConnection>> TakeReader();
  void ReturnReader(std::unique_ptr<ReadConnection> reader);
  // Runs `use` on a pooled read connection, returned to the pool afterwards.
  template <class Use>
  auto WithReader(Use&& use) -> std::invoke_result_t<Use&, ReadConnection&>;

  const std::string path_;
  const Options options_;

  std::mutex write_mu_;
  const std::unique_ptr<Writer> writer_;  // used only under write_mu_
  // The pipeline's writes (Enqueue, claims, submit results, receipts, MO parts, webhook claims
  // and attempts) share transactions through this group (write_group.h); the others take
  // write_mu_ and run alone. The group's commits are made durable by wal_sync_, outside
  // write_mu_; the others' by their own COMMIT (synchronous = FULL).
  const WalSync wal_sync_;
  std::unique_ptr<WriteGroup> write_group_;
  // Runs `body` in the next group's transaction (under write_mu_); its result, or the commit's
  // error. `lane`: who waits (WriteLane; kPipeline also means kPipelineBusyTimeout).
  template <class Body>
  core::Result<void> InWriteGroup(WriteLane lane, Body&& body);
  // InWriteGroup for a write that may add webhooks: `body(OutboxWriter&)` gets the outbox, which
  // writes status webhooks claimed for the handoff set as the write begins (if any); they are
  // handed over once the group has committed.
  template <class Body>
  core::Result<void> InWriteGroupWithOutbox(WriteLane lane, Body&& body);

  // Enqueue's work inside a write group's transaction (also CompleteSmppSet's).
  core::Result<void> EnqueueIn(OutboxWriter& outbox, std::span<const core::Message> messages,
                               std::span<const IdempotencyRecord> keys);

  // Adds a committed write's finished messages to finished_.
  void CountFinished(const StatusTally& tally);
  metrics::Histogram write_seconds_{metrics::kLatencyBuckets};
  metrics::Histogram write_size_{metrics::kBatchSizeBuckets};
  metrics::Histogram receipt_delay_{metrics::kReceiptDelayBuckets};
  std::array<std::array<std::atomic<uint64_t>, kMessageStates>, kRouteTypes> finished_{};

  std::mutex readers_mu_;
  std::vector<std::unique_ptr<ReadConnection>> idle_readers_;  // guarded by readers_mu_

  // Runs the writer statement `del` with `params` bound in order; kNotFound with `not_found`
  // when it deleted nothing. Caller holds write_mu_.
  core::Result<void> DeleteRows(Statement& del, std::initializer_list<std::string_view> params,
                                std::string not_found);
  // DeleteRows for a registry table keyed by sid and key, under write_mu_, then bumps the
  // registry version so caches reload.
  core::Result<void> DeleteRegistryEntry(Statement& del, std::string_view sid, std::string_view key,
                                         std::string not_found);
  // Sets (or clears) one nullable integer column of an account through `update`.
  core::Result<void> SetAccountColumn(Statement& update, std::string_view sid,
                                      std::optional<int64_t> value);
  // kNotFound unless the account exists, read on the reader `r`.
  core::Result<void> CheckAccount(ReadConnection& r, std::string_view sid);

  SharedCounter keys_version_;
  SharedCounter registry_version_;

  // Where status webhooks go once written (SetWebhookHandoff); the owner and lease they are
  // written claimed with. A write takes a snapshot as it begins (HandoffClaim) and hands its jobs
  // over after its commit (HandOver), to the same handoff only.
  struct Handoff {
    WebhookHandoff* to = nullptr;
    std::string owner;
    std::chrono::milliseconds lease{0};
    uint64_t generation = 0;  // bumped by every Set/Clear
  };
  Handoff HandoffNow();
  void HandOver(const Handoff& taken, std::vector<WebhookJob> jobs);
  std::mutex handoff_mu_;
  Handoff handoff_;  // guarded by handoff_mu_

  static constexpr size_t kSmppOutboxBuckets = 64;  // a bit each in StatusTally::smpp_outbox
  static_assert(kSmppOutboxBuckets <= 64);
  std::array<std::atomic<uint64_t>, kSmppOutboxBuckets> smpp_outbox_versions_{};
};

}  // namespace smsgw::store::sqlite
