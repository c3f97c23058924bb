#!/usr/bin/env bash
# End-to-end benchmark: the release smsgw with its embedded SMSC simulator (receipts on), N
# messages posted through the API (100 recipients per request, curl --parallel), then waits until every one is
# Delivered and reads the timings from the database:
#   accepted/s, submitted/s (submit_sm_resp recorded), receipts applied/s, end to end/s, and
#   p50/p99 accept→submit latency.
# Then an OTP latency run: a second smsgw whose carrier (an external `smsgw smsc-sim`) takes
# TPS messages/s, BACKLOG DEFAULT-type messages posted at once, and OTPs sent one by one while the
# backlog drains; prints their p50/p99 accept→submit latency and the backlog left meanwhile.
#
# STORE=postgres runs the first part on a throwaway PostgreSQL instead of SQLite
# (tests/postgres/server.sh, fsync on, a Unix socket in a temp dir, stopped at exit) and reads the
# same figures from it with psql; the OTP part runs on SQLite only, so it is skipped. With one node
# the embedded simulator delivers, as on SQLite, so the figures compare. NODES=2 (PostgreSQL only)
# runs two `serve` nodes (node-1, node-2) on that database, the embedded simulator off, each with
# one of the two binds of one connector (`binds = 2`, window 100 as the embedded simulator's) to
# one external `smsgw smsc-sim` (receipts after 200 ms); it waits until each node leases a bind,
# and the requests alternate between the two APIs.
#
#   make release && bash bench/e2e.sh
#   N=50000 BACKLOG=20000 bash bench/e2e.sh
#   STORE=postgres bash bench/e2e.sh
#   STORE=postgres NODES=2 bash bench/e2e.sh
#
# Environment: N (200000), BACKLOG (100000), OTPS (200), TPS (5000), CONNECTIONS (8),
# STORE (sqlite or postgres), NODES (1, or 2 with STORE=postgres),
# SMSGW_BIN (build/release/src/app/smsgw), KEEP=1 keeps the temp dir.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${SMSGW_BIN:-$ROOT/build/release/src/app/smsgw}
N=${N:-200000}
BACKLOG=${BACKLOG:-100000}
OTPS=${OTPS:-200}
TPS=${TPS:-5000}
CONNECTIONS=${CONNECTIONS:-8}
STORE=${STORE:-sqlite}
NODES=${NODES:-1}
PORTS=  # post_messages (lib.sh): the nodes' ports, set with NODES=2

die() { echo "e2e.sh: $*" >&2; exit 2; }
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
[[ $STORE == sqlite || $STORE == postgres ]] || die "STORE is sqlite or postgres, not '$STORE'"
[[ $NODES == 1 || ($NODES == 2 && $STORE == postgres) ]] ||
  die "NODES is 1, or 2 with STORE=postgres (not NODES=$NODES with STORE=$STORE)"
[[ -x $BIN ]] || die "no release binary at $BIN; build it first: make release (or set SMSGW_BIN)"
tools=(sqlite3 curl)
[[ $STORE == postgres ]] && tools=(psql curl)
for tool in "${tools[@]}"; do
  command -v "$tool" >/dev/null || die "$tool not found (make deps installs it)"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/smsgw-e2e.XXXXXX")
PIDS=()
PGDIR=
cleanup() {
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ -n $PGDIR ]]; then  # after the nodes, which hand their work back to it as they stop
    if [[ ${KEEP:-0} == 1 ]]; then cp "$PGDIR/server.log" "$WORK/postgres.log" || true; fi
    sh "$ROOT/tests/postgres/server.sh" stop "$PGDIR" || true
  fi
  if [[ ${KEEP:-0} == 1 ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ $STORE == postgres ]]; then
  # Not under WORK (mode 0700): under root the server runs as `postgres`, which must reach it.
  PGDIR=$(mktemp -d "${TMPDIR:-/tmp}/smsgw-e2e-pg.XXXXXX")
  sh "$ROOT/tests/postgres/server.sh" start "$PGDIR" durable ||
    die "could not start PostgreSQL (tests/postgres/server.sh)"
  PG_URL="postgresql:///smsgw?host=$PGDIR&user=smsgw"
fi

# create_account DIR CONFIG: sets SID KEY.
create_account() {
  local account
  account=$("$BIN" account create --name bench --data "$1" --config "$2" --json)
  SID=$(sed -n 's/.*"sid" *: *"\([^"]*\)".*/\1/p' <<<"$account")
  KEY=$(sed -n 's/.*"api_key" *: *"\([^"]*\)".*/\1/p' <<<"$account")
}

# start_serve DIR CONFIG: starts serve, sets PORT.
start_serve() {
  "$BIN" serve --listen 127.0.0.1:0 --data "$1" --config "$2" >"$1.log" 2>&1 &
  PIDS+=($!)
  PORT=$(wait_line "$1.log" 's#.*smsgw listening on http://127\.0\.0\.1:\([0-9]*\).*#\1#p')
}

# start_gateway DIR CONFIG: starts serve, sets SID KEY PORT.
start_gateway() {
  create_account "$1" "$2"
  start_serve "$1" "$2"
}

# q DIR SQL: the SQLite database of the node whose data dir is DIR, or the PostgreSQL one (every
# node's), with the same output: rows of |-separated values.
if [[ $STORE == postgres ]]; then
  q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$PG_URL" -c "$2"; }
else
  q() { sqlite3 "$1/smsgw.db" "$2"; }
fi

# store_toml: the [store] table naming the PostgreSQL database (nothing on SQLite).
store_toml() {
  if [[ $STORE == postgres ]]; then printf '\n[store]\nurl = "%s"\n' "$PG_URL"; fi
}

# wait_final DIR COUNT: until COUNT messages are final (10 minutes at most).
wait_final() {
  local final
  for _ in $(seq 1 6000); do
    final=$(q "$1" "select count(*) from messages where state in (4,5,6)")
    (( final >= $2 )) && return 0
    sleep 0.1
  done
  die "only $final of $2 messages final after 10 minutes"
}

percentile() {  # DIR SQL-EXPR-OVER-ROWS WHERE P (PostgreSQL wants the subquery's alias)
  q "$1" "select v from (select $2 as v from messages m join message_parts p on p.message_id = m.id and p.part = 1 where $3 order by v) as r limit 1 offset (select cast(count(*) * $4 / 100 as int) from messages m join message_parts p on p.message_id = m.id and p.part = 1 where $3)"
}

# ---- 1. throughput
if (( NODES == 1 )); then
  cat >"$WORK/e2e.toml" <<TOML
[simulator]
receipt_delay = "200ms"
TOML
  store_toml >>"$WORK/e2e.toml"
  start_gateway "$WORK/e2e" "$WORK/e2e.toml"
  D=$WORK/e2e
  if [[ $STORE == postgres ]]; then
    echo "---- end to end: $N messages, embedded simulator, receipts on, PostgreSQL"
  else
    echo "---- end to end: $N messages, embedded simulator, receipts on"
  fi
else
  "$BIN" smsc-sim --listen 127.0.0.1:0 --receipt-delay 200 --max-binds 2 >"$WORK/sim-e2e.log" 2>&1 &
  PIDS+=($!)
  SIM_PORT=$(wait_line "$WORK/sim-e2e.log" 's#.*smsc-sim listening on 127\.0\.0\.1:\([0-9]*\).*#\1#p')
  PORTS=
  for node in node-1 node-2; do
    { carrier_toml "$SIM_PORT" 100 0
      echo "binds = 2"  # the carrier's budget, shared: one each
      store_toml
      printf '\n[node]\nid = "%s"\n\n[admin]\nlisten = "127.0.0.1:0"\n' "$node"
    } >"$WORK/$node.toml"
  done
  create_account "$WORK/node-1" "$WORK/node-1.toml"
  for node in node-1 node-2; do
    start_serve "$WORK/$node" "$WORK/$node.toml"
    PORTS+="$PORT "
  done
  wait_bound "$PG_URL" carrier
  D=$WORK/node-1
  echo "---- end to end: $N messages, 2 nodes on PostgreSQL, external smsc-sim (2 binds), receipts on"
fi
post_messages "$N" DEFAULT "Hello from the end-to-end benchmark"
wait_final "$D" "$N"
read -r c0 c1 <<<"$(q "$D" "select min(created_at), max(created_at) from messages" | tr '|' ' ')"
read -r s0 s1 <<<"$(q "$D" "select min(submitted_at), max(submitted_at) from message_parts" | tr '|' ' ')"
read -r r0 r1 nd <<<"$(q "$D" "select min(at), max(at), count(*) from message_events where state = 4" | tr '|' ' ')"
TOTAL=$(q "$D" "select count(*) from messages")
PARTS=$(q "$D" "select count(*) from message_parts")
rate() { awk -v n="$1" -v ms="$2" 'BEGIN { printf "%.0f", (ms > 0 ? n * 1000 / ms : 0) }'; }
echo "messages:          $TOTAL accepted, $nd delivered ($(q "$D" "select count(*) from messages where state <> 4") not Delivered)"
echo "accepted/s:        $(rate "$TOTAL" $((c1 - c0)))"
echo "submitted/s:       $(rate "$PARTS" $((s1 - s0)))"
echo "receipts applied/s: $(rate "$nd" $((r1 - r0)))"
echo "end to end/s:      $(rate "$nd" $((r1 - c0)))  (first accept to last receipt applied)"
echo "accept→submit ms:  p50 $(percentile "$D" "p.submitted_at - m.created_at" true 50)  p99 $(percentile "$D" "p.submitted_at - m.created_at" true 99)"
if [[ $STORE == postgres ]]; then
  echo "---- OTP latency: skipped (SQLite only)"
  exit 0  # the trap stops the nodes, then PostgreSQL
fi
kill -TERM "${PIDS[-1]}"; wait "${PIDS[-1]}" || true

# ---- 2. OTP latency under a backlog
"$BIN" smsc-sim --listen 127.0.0.1:0 --receipt-delay 200 >"$WORK/sim.log" 2>&1 &
PIDS+=($!)
SIM_PORT=$(wait_line "$WORK/sim.log" 's#.*smsc-sim listening on 127\.0\.0\.1:\([0-9]*\).*#\1#p')
carrier_toml "$SIM_PORT" 10 "$TPS" >"$WORK/otp.toml"
start_gateway "$WORK/otp" "$WORK/otp.toml"
echo "---- OTP latency: $BACKLOG DEFAULT messages posted, carrier at $TPS/s, $OTPS OTPs one by one"
post_messages "$BACKLOG" DEFAULT "Hello from the end-to-end benchmark"
D=$WORK/otp
waiting_at_start=$(q "$D" "select count(*) from messages where state in (0, 1, 2)")
for _ in $(seq 1 "$OTPS"); do
  curl -s -o /dev/null -X POST "http://127.0.0.1:$PORT/v1/$SID/messages" -H "api-key: $KEY" \
    -H 'Content-Type: application/json' \
    -d '{"to":"+6591234567","sender":"BENCH","type":"OTP","body":"Your code is 123456"}'
  sleep 0.02
done
waiting_at_end=$(q "$D" "select count(*) from messages where state in (0, 1, 2)")
wait_final "$D" "$((BACKLOG + OTPS))"
echo "backlog waiting:   $waiting_at_start when the OTPs started, $waiting_at_end after the last"
echo "OTP accept→submit ms: p50 $(percentile "$D" "p.submitted_at - m.created_at" "m.type = 0" 50)  p99 $(percentile "$D" "p.submitted_at - m.created_at" "m.type = 0" 99)  max $(q "$D" "select max(p.submitted_at - m.created_at) from messages m join message_parts p on p.message_id = m.id where m.type = 0")"
