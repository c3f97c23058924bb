#pragma once
// The smsgw configuration: one TOML file parsed into typed structs, validated once at start-up.
// Every field has its default here, so an empty file (or no file) is the out-of-the-box setup.
// Unknown keys and bad values are errors, reported as `<source>:<line>:<col>: <reason>`.
// app/ hands each module only its own sub-struct; nothing reads a global. Pure; thread-safe.
// docs/configuration.md is the user-facing reference and must list every key below.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/duration.h"
#include "config/endpoint.h"
#include "core/egress.h"
#include "core/message.h"
#include "core/opt_out.h"
#include "core/region.h"
#include "core/result.h"

namespace smsgw::config {

// [server]
struct ServerConfig {
  // `listen = "host:port"`: where the HTTP API listens. Port 0 picks a free port. Overridden by
  // the `--listen` flag.
  Endpoint listen{"127.0.0.1", 8080};
  // `max_connections`: HTTP connections at once, 16..1000000; also capped below the process's
  // descriptor limit, which serve raises to its hard limit at start.
  // `max_connections_per_source`: of those, from one IP address, 1..max_connections. At a cap a
  // new connection takes the place of the oldest idle one (api/http_server.h).
  size_t max_connections = 10'000;
  size_t max_connections_per_source = 1'000;
  // `header_timeout`: how long a new connection may stay silent before its first request's
  // first byte. 100ms..1m.
  std::chrono::milliseconds header_timeout{5'000};
  // `tls_cert` / `tls_key`: PEM files (the certificate chain, leaf first, and its private key);
  // both set: the API is HTTPS only (TLS 1.2+), and SIGHUP reloads them. Both or neither.
  std::string tls_cert;
  std::string tls_key;
};

// [store]
struct StoreConfig {
  // `path`: the SQLite database file. Empty means `<data dir>/smsgw.db`, the data dir being the
  // `--data` flag.
  std::string path;
  // `url`: a PostgreSQL connection string or postgresql:// URI (libpq's): the store is then
  // PostgreSQL, shared by every node that names it, and `path` must be unset. Never logged: it
  // may hold a password.
  std::string url;
  // `pool_size`: PostgreSQL connections each process keeps open at most, 1..256.
  int pool_size = 8;
  // `statement_timeout`: the longest one PostgreSQL statement may run, 1s..10min.
  std::chrono::milliseconds statement_timeout{30'000};
};

// [limits]
struct LimitsConfig {
  // `max_body_bytes`: the largest HTTP request body accepted; larger ones get 413.
  // Allowed range kMinBodyBytes..kMaxBodyBytes.
  size_t max_body_bytes = 65536;
  // `sends_per_second` / `recipients_per_second`: each account's send requests and accepted
  // recipients per second (token buckets with a second's worth of burst; over them a send is 429
  // E429 with Retry-After). 0..1000000; 0 = unlimited. The defaults of every account;
  // `smsgw account set --sends-per-second N|default` overrides them per account.
  int64_t sends_per_second = 0;
  int64_t recipients_per_second = 0;
};
inline constexpr size_t kMinBodyBytes = 1024;
inline constexpr size_t kMaxBodyBytes = 16 * 1024 * 1024;

// [schedule]: the window for a message's `time` (send later), relative to the request.
struct ScheduleConfig {
  // `min_ahead`: the earliest a scheduled time may be (Kaleyra: 15 minutes). At least 0.
  std::chrono::seconds min_ahead{15 * 60};
  // `max_ahead`: the latest a scheduled time may be (Kaleyra: about 3 months). More than
  // min_ahead.
  std::chrono::seconds max_ahead{92 * 24 * 3600};
};

// [text]
struct TextConfig {
  // `smart_encoding`: replace typographic look-alikes that force UCS-2 (curly quotes, dashes,
  // ellipsis, special spaces; the table is in src/text/README.md) by GSM-7 equivalents before
  // choosing the encoding, so such texts cost GSM-7 segments. Off by default: the text sent is
  // then not byte-for-byte what the client posted. The default for every account.
  bool smart_encoding = false;
};

// How a connector's SMSC writes message ids in submit_sm_resp and in receipts
// (smpp/codec/message_id.h): `auto` reads both by their look, `hex` / `decimal` say both are
// that, `hex-decimal` says resp ids are hex and receipt ids decimal (a common carrier mismatch).
enum class DlrIdFormat { kAuto, kHex, kDecimal, kHexDecimal };

// How long messages travel (text/segmenter.h ConcatMethod).
enum class Concatenation { kUdh8, kUdh16, kSar, kPayload };

enum class SmscBind { kTransmitter, kReceiver, kTransceiver, kPair };

// One [[smsc]] entry: a connector to one SMSC account.
struct SmscConfig {
  std::string name;         // required, unique; [A-Za-z0-9_-], 1..32 characters
  std::string host;         // required; a host name or an IP address (IPv6 without brackets)
  uint16_t port = 2775;     // 1..65535
  std::string system_id;    // required, 1..15 characters (SMPP 3.4 §4.1.1: C-Octet String(16))
  std::string password;     // at most 8 characters (C-Octet String(9))
  std::string system_type;  // at most 12 characters (C-Octet String(13))
  SmscBind bind = SmscBind::kTransceiver;
  int binds = 1;    // parallel sessions, 1..16
  int window = 10;  // outstanding submit_sm per session, 1..1000
  int tps = 0;      // submit_sm per second per session, 0..100000; 0 = unlimited
  std::chrono::seconds enquire_link{30};  // 1s..1h
  // How long a submit_sm waits for its resp before it is retried (the SMSC may have taken it,
  // so a retry may duplicate it). 1s..5m.
  std::chrono::seconds response_timeout{10};
  DlrIdFormat dlr_id_format = DlrIdFormat::kAuto;
  Concatenation concatenation = Concatenation::kUdh8;
  // Overrides of the TON/NPI smsgw derives from each address, 0..255; -1 = derive.
  int source_ton = -1, source_npi = -1, dest_ton = -1, dest_npi = -1;
  // Route types it carries, each allowed in the config's region, no repeats; empty = all.
  std::vector<core::RouteType> types;
  // E.164 digit prefixes it serves (1..15 digits, no '+', no repeats); empty = all.
  std::vector<std::string> prefixes;
  int priority = 0;  // lower is tried first when several match; any 32-bit integer
  // SMPP over TLS (TLS 1.2+): the SMSC's certificate is verified against `tls_ca_file` (the
  // system's trust store when empty) and must name `host`; `tls_cert_file` and `tls_key_file`
  // (PEM, both or neither) present a client certificate.
  bool tls = false;
  std::string tls_ca_file, tls_cert_file, tls_key_file;
};

// [simulator]: the built-in SMSC simulator, on loopback, with a connector to it.
struct SimulatorSection {
  // `enabled`: unset means true exactly when no [[smsc]] is configured.
  std::optional<bool> enabled;
  Endpoint listen{"127.0.0.1", 0};  // port 0: any free port
  // How long after a submit the simulator sends its delivery receipt. 0..1h.
  std::chrono::milliseconds receipt_delay{1000};
};

// [smpp_server]: customers' SMPP binds (docs/smpp-server.md). Off unless `listen` is set.
struct SmppServerConfig {
  // `listen = "host:port"`: where customers bind as ESMEs; unset: no SMPP server.
  std::optional<Endpoint> listen;
  // `max_binds_per_account`: open binds of one account at once, over all its credentials; one
  // more is refused ESME_RBINDFAIL. 1..1000.
  int max_binds_per_account = 10;
  // `max_connections`: connections at once, bound or not; one more is closed at once, so that
  // connections that never bind cannot use up the descriptors. 1..100000.
  int max_connections = 1000;
  // `window`: requests of one session (submit_sm, query_sm, cancel_sm) waiting for the store; one
  // more is answered ESME_RTHROTTLED at once. 1..1000.
  int window = 10;
  // `max_rate`: messages a second one SMPP credential's binds may submit together, for
  // credentials created without their own (`smsgw smpp-credential create --max-rate`); over it a
  // submit is answered ESME_RTHROTTLED. 0: unlimited. 0..100000.
  int64_t max_rate = 0;
  // `bind_timeout`: a connection that has not bound after this long is closed. 1s..5m.
  std::chrono::milliseconds bind_timeout{10'000};
  // `enquire_link`: after this long without a PDU from the customer, smsgw sends enquire_link.
  // 1s..1h.
  std::chrono::milliseconds enquire_link{30'000};
  // `inactivity`: after this long without a PDU from the customer (the enquire_link_resp
  // included), the session is closed. 2s..2h, more than enquire_link.
  std::chrono::milliseconds inactivity{90'000};
  // `deliver_timeout`: how long a deliver_sm (receipt) to a customer's receiver or transceiver
  // waits for its deliver_sm_resp; then it is sent again (on this bind or another of the
  // account's). Up to `window` deliver_sm are outstanding per session. 1s..10m.
  std::chrono::milliseconds deliver_timeout{30'000};
  // `reassembly_timeout`: how long the parts of a customer's concatenated submit (UDH or SAR)
  // wait for the rest; then they are deleted and logged, and the message is not sent. 10s..1d.
  std::chrono::milliseconds reassembly_timeout{300'000};
  // `reassembly_max_sets`: concatenated messages one credential may have waiting for parts at
  // once; a first part beyond it is answered ESME_RMSGQFUL. 1..100000.
  int reassembly_max_sets = 1000;
};

// [delivery]
struct DeliveryConfig {
  // `validity`: how long a message may wait for a carrier (in our queue and at the SMSC); past it
  // a message still in our queue ends NotSent / EXPIRED. 1m..7d.
  std::chrono::seconds validity{48 * 3600};
  // `claim_lease`: how long a node owns the messages it claimed before another node may take
  // them over. 5s..1h.
  std::chrono::seconds claim_lease{60};
  // `retry_min` / `retry_max`: backoff for temporary failures (doubling from min, capped).
  // retry_min 100ms..1h, retry_max 100ms..1d, retry_min <= retry_max.
  std::chrono::milliseconds retry_min{1000};
  std::chrono::milliseconds retry_max{300'000};
  // `mo_reassembly_timeout`: how long the parts of a concatenated inbound (MO) message wait for
  // the rest; then it is stored with the missing parts marked. 10s..1d.
  std::chrono::seconds mo_reassembly_timeout{300};
  // `receipt_timeout`: how long a part accepted by an SMSC may wait for its final receipt; then
  // the message ends UnDelivered / "NO-RECEIPT" (with its webhook). 1s..30d.
  std::chrono::seconds receipt_timeout{72 * 3600};
};

// [webhooks]: the sender of delivery-status and inbound callbacks.
struct WebhooksConfig {
  bool enabled = true;  // `enabled`: false keeps webhooks waiting in the store, unsent
  // `connect_timeout` 100ms..1m and `request_timeout` (the whole request) 1s..5m.
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds request_timeout{10'000};
  // `per_host_connections`: requests at once to one host (scheme, host, port). 1..256.
  int per_host_connections = 8;
  // `max_held`: webhooks claimed and in memory at once, over all hosts (bounds memory under a
  // burst); `per_host_held`: of those, at most this many for one host, so a dead host cannot
  // hold them all. 10..100000 each, per_host_held <= max_held.
  int max_held = 5000;
  int per_host_held = 1000;
  // `claim_lease`: how long a node owns the webhooks it claimed. 5s..1h.
  std::chrono::seconds claim_lease{60};
  // `allow_targets` / `deny_targets`: IP networks ("10.0.0.0/8", "fd00::/8", "192.0.2.7") webhook
  // requests may or may not connect to, over the default denies of core/egress.h (loopback,
  // link-local, unspecified, multicast; the node's own listeners are refused whatever these say).
  // At most 1000 each.
  std::vector<core::IpNetwork> allow_targets;
  std::vector<core::IpNetwork> deny_targets;
  // `tls_ca_file`: PEM certificates of the CAs receivers' certificates must chain to (an
  // internal CA); empty: the system's trust store. Read at start.
  std::string tls_ca_file;
};

// [opt_out]: handsets that reply STOP (core/opt_out.h, store/opt_out_store.h).
struct OptOutConfig {
  // `stop_words`, `stop_all_words`, `start_words`: an MO whose whole text is one of them opts its
  // handset out of the number it was sent to, out of every sender of the account, or back in.
  // 1..30 ASCII letters or digits each, at most 20 a list; empty lists: no such command.
  core::OptOutWords words;
  // `exempt_otp`: OTP messages still reach opted-out handsets (they asked for the code).
  bool exempt_otp = true;
};

// [admin]: the operators' listener, apart from the API so that it is never exposed by mistake:
// GET /metrics (Prometheus text format), /healthz and /readyz (admin/admin_handler.h).
struct AdminConfig {
  bool enabled = true;  // `enabled`: false: no admin listener
  // `listen = "host:port"`: port 0 picks a free port (serve prints the one it got).
  Endpoint listen{"127.0.0.1", 9090};
  // `token`: when set, every admin request needs `Authorization: Bearer <token>`; 16..256
  // printable ASCII characters, no spaces. Empty: no token.
  std::string token;
  // `stop_delay`: on SIGTERM or SIGINT, /readyz answers 503 for this long before the API stops
  // accepting, so that a load balancer polling it takes the node out first. 0s..1m.
  std::chrono::milliseconds stop_delay{0};
};

// [console]: the web console under /console on the API's listener (docs/console.md).
struct ConsoleConfig {
  bool enabled = true;  // `enabled`: false: /console is not served (the API answers 404)
  // `idle_timeout`: a session unused this long ends (1m..24h).
  std::chrono::seconds idle_timeout{30 * 60};
  // `session_lifetime`: a session ends this long after sign-in however busy (1m..30d; not
  // shorter than idle_timeout).
  std::chrono::seconds session_lifetime{12 * 3600};
  // Failed sign-ins (console/sign_in.h SignInLimiter): at `sign_in_failures_per_sid` failures
  // for one SID (1..10000), or `sign_in_failures_per_source` from one source address
  // (1..100000), within `sign_in_window` (10s..24h), sign-in for it is refused until that
  // window ends.
  int sign_in_failures_per_sid = 10;
  int sign_in_failures_per_source = 30;
  std::chrono::seconds sign_in_window{300};
};

// [node]: this process among the nodes sharing one store.
struct NodeConfig {
  // `id`: the node's stable name, 1..64 of [A-Za-z0-9._-]; empty means the host's name
  // (app/owner_name.h). Work this node claimed in an earlier life (a crash, a restart) is taken
  // back at start by that name at once; other nodes' claims wait out their lease. Nodes running at
  // once on one store must have different ids.
  std::string id;
  // `bind_lease`: how long the node's beat and its leases on SMSC bind slots last without a
  // renewal (delivery/bind_keeper.h); a dead node's binds are taken over after this. 3s..10m.
  std::chrono::milliseconds bind_lease{15'000};
};

// [log]: what `serve` logs and where (app/logging.h).
struct LogConfig {
  enum class Format { kText, kJson };
  // `format`: "text" (a line: time, level, message) or "json" (one object a line: time, level,
  // component, message).
  Format format = Format::kText;
  // `level`: "trace", "debug", "info", "warn", "error"; lines below it are not written.
  int level = 2;  // spdlog::level::level_enum: info
  // `file`: append to this file instead of stderr; SIGHUP reopens it (after logrotate moved it).
  std::string file;
};

struct Config {
  ServerConfig server;
  AdminConfig admin;
  ConsoleConfig console;
  LogConfig log;
  StoreConfig store;
  NodeConfig node;
  // Top-level `region` ("IN", "SG", "EU", "NA"): route-type rules, DLT enforcement and the
  // callback-profile id prefix, as Kaleyra's pods.
  core::Region region = core::Region::kSg;
  LimitsConfig limits;
  ScheduleConfig schedule;
  TextConfig text;
  std::vector<SmscConfig> smsc;
  SimulatorSection simulator;
  SmppServerConfig smpp_server;
  DeliveryConfig delivery;
  WebhooksConfig webhooks;
  OptOutConfig opt_out;
};

// Whether the embedded simulator runs: [simulator] enabled, or by default when no [[smsc]].
bool SimulatorEnabled(const Config& config);

// Parses a whole config file's text. `source_name` (usually the path) prefixes error messages.
// On error, the message is the first problem in document order: "<source>:<line>:<col>: <reason>".
core::Result<Config> ParseConfig(std::string_view toml_text, std::string_view source_name);

// Reads and parses the file at `path`. A file that cannot be read is an error too
// ("<path>: cannot read: <reason>").
core::Result<Config> LoadConfigFile(const std::string& path);

}  // namespace smsgw::config
