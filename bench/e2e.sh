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
#   make release && bash bench/e2e.sh
#   N=50000 BACKLOG=20000 bash bench/e2e.sh
#
# Environment: N (200000), BACKLOG (100000), OTPS (200), TPS (5000), CONNECTIONS (8),
# SMSGW_BIN (build/release/src/app/smsgw), KEEP=1 keeps the temp dir.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${SMSGW_BIN:-$ROOT/build/release/src/app/smsgw}
N=${N:-200000}
BACKLOG=${BACKLOG:-100000}
OTPS=${OTPS:-200}
TPS=${TPS:-5000}
CONNECTIONS=${CONNECTIONS:-8}

die() { echo "e2e.sh: $*" >&2; exit 2; }
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
[[ -x $BIN ]] || die "no release binary at $BIN; build it first: make release (or set SMSGW_BIN)"
for tool in sqlite3 curl; do
  command -v $tool >/dev/null || die "$tool not found (make deps installs it)"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/smsgw-e2e.XXXXXX")
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ ${KEEP:-0} == 1 ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM


# start_gateway DIR CONFIG: starts serve, sets SID KEY PORT.
start_gateway() {
  local dir=$1 config=$2
  local account
  account=$("$BIN" account create --name bench --data "$dir" --json)
  SID=$(sed -n 's/.*"sid" *: *"\([^"]*\)".*/\1/p' <<<"$account")
  KEY=$(sed -n 's/.*"api_key" *: *"\([^"]*\)".*/\1/p' <<<"$account")
  "$BIN" serve --listen 127.0.0.1:0 --data "$dir" --config "$config" >"$dir.log" 2>&1 &
  PIDS+=($!)
  PORT=$(wait_line "$dir.log" 's#.*smsgw listening on http://127\.0\.0\.1:\([0-9]*\).*#\1#p')
}


q() { sqlite3 "$1/smsgw.db" "$2"; }

# wait_delivered DIR COUNT: until COUNT messages are final (10 minutes at most).
wait_final() {
  for _ in $(seq 1 6000); do
    local done
    done=$(q "$1" "select count(*) from messages where state in (4,5,6)")
    (( done >= $2 )) && return 0
    sleep 0.1
  done
  die "only $done of $2 messages final after 10 minutes"
}

percentile() {  # DIR SQL-EXPR-OVER-ROWS WHERE P
  q "$1" "select v from (select $2 as v from messages m join message_parts p on p.message_id = m.id and p.part = 1 where $3 order by v) limit 1 offset (select cast(count(*) * $4 / 100 as int) from messages m join message_parts p on p.message_id = m.id and p.part = 1 where $3)"
}

# ---- 1. throughput
cat >"$WORK/e2e.toml" <<TOML
[simulator]
receipt_delay = "200ms"
TOML
start_gateway "$WORK/e2e" "$WORK/e2e.toml"
echo "---- end to end: $N messages, embedded simulator, receipts on"
post_messages "$N" DEFAULT "Hello from the end-to-end benchmark"
wait_final "$WORK/e2e" "$N"
D=$WORK/e2e
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
echo "accept→submit ms:  p50 $(percentile "$D" "p.submitted_at - m.created_at" 1 50)  p99 $(percentile "$D" "p.submitted_at - m.created_at" 1 99)"
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
for i in $(seq 1 "$OTPS"); do
  curl -s -o /dev/null -X POST "http://127.0.0.1:$PORT/v1/$SID/messages" -H "api-key: $KEY" \
    -H 'Content-Type: application/json' \
    -d '{"to":"+6591234567","sender":"BENCH","type":"OTP","body":"Your code is 123456"}'
  sleep 0.02
done
waiting_at_end=$(q "$D" "select count(*) from messages where state in (0, 1, 2)")
wait_final "$D" "$((BACKLOG + OTPS))"
echo "backlog waiting:   $waiting_at_start when the OTPs started, $waiting_at_end after the last"
echo "OTP accept→submit ms: p50 $(percentile "$D" "p.submitted_at - m.created_at" "m.type = 0" 50)  p99 $(percentile "$D" "p.submitted_at - m.created_at" "m.type = 0" 99)  max $(q "$D" "select max(p.submitted_at - m.created_at) from messages m join message_parts p on p.message_id = m.id where m.type = 0")"
