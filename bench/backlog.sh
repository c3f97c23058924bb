#!/usr/bin/env bash
# Backlog benchmark: does the cost of a message grow with the queue in front of it?
# For each SIZE in SIZES: a fresh `smsgw serve` whose only connector points at an SMSC that is not
# up yet; SIZE messages posted through the API (100 recipients per request) and left queued; the
# RSS of serve with them queued; then the SMSC (`smsgw smsc-sim`) starts, the connector binds, and
# the claim-and-submit rate is read from the database: the submit times of the first SAMPLE parts,
# the same number at every size (the smallest SIZE unless set), so each rate times the same work
# with a different queue behind it. The rates should stay within 20% of each other from the
# smallest SIZE to the largest.
# With the largest SIZE it also stops serve with most of the queue still waiting, starts it again
# and prints how long until the API answers and until the first submit leaves.
#
#   make release && bash bench/backlog.sh
#   SIZES="10000 100000" bash bench/backlog.sh
#
# Environment: SIZES ("10000 100000 1000000"), CONNECTIONS (8, requests in parallel while
# filling), TPS (0 = the connector unthrottled), SAMPLE (parts timed at each size; the smallest
# SIZE), SMSGW_BIN (build/release/src/app/smsgw),
# KEEP=1 keeps the temp dir.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${SMSGW_BIN:-$ROOT/build/release/src/app/smsgw}
SIZES=${SIZES:-10000 100000 1000000}
CONNECTIONS=${CONNECTIONS:-8}
TPS=${TPS:-0}
SAMPLE=${SAMPLE:-$(tr ' ' '\n' <<<"$SIZES" | sort -n | head -1)}

die() { echo "backlog.sh: $*" >&2; exit 2; }
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
[[ -x $BIN ]] || die "no release binary at $BIN; build it first: make release (or set SMSGW_BIN)"
for tool in sqlite3 curl python3; do
  command -v $tool >/dev/null || die "$tool not found"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/smsgw-backlog.XXXXXX")
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do terminate "$pid" || true; done
  if [[ ${KEEP:-0} == 1 ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { date +%s%3N; }
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
rss_mb() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
q() { sqlite3 "$DATA/smsgw.db" "$1"; }

# start_serve: serve on $DATA with $WORK/smsgw.toml; sets SERVE_PID and PORT.
start_serve() {
  "$BIN" serve --listen 127.0.0.1:0 --data "$DATA" --config "$WORK/smsgw.toml" \
    >"$DATA.log" 2>&1 &
  SERVE_PID=$!
  PIDS+=("$SERVE_PID")
  PORT=$(wait_line "$DATA.log" 's#.*smsgw listening on http://127\.0\.0\.1:\([0-9]*\).*#\1#p')
}
stop_serve() {
  terminate "$SERVE_PID" || true
  PIDS=("${PIDS[@]/$SERVE_PID/}")
}
start_sim() {
  "$BIN" smsc-sim --listen "127.0.0.1:$SIM_PORT" --receipt-delay 1000 >"$WORK/sim.log" 2>&1 &
  SIM_PID=$!
  PIDS+=("$SIM_PID")
}
stop_sim() {
  terminate "$SIM_PID" || true
  PIDS=("${PIDS[@]/$SIM_PID/}")
}


# submitted_rate K: parts per second over the first K parts' submit times (0 if fewer).
submitted_rate() {
  q "select case when count(*) < $1 then 0 else cast(($1 - 1) * 1000.0 / max(1, max(s) - min(s)) as int) end
     from (select submitted_at as s from message_parts order by submitted_at limit $1)"
}

SIM_PORT=$(free_port)
carrier_toml "$SIM_PORT" 100 "$TPS" >"$WORK/smsgw.toml"

echo "backlog.sh: $(nproc) cores, $(date -u '+%F %T') UTC; smsgw $BIN; SMSC on 127.0.0.1:$SIM_PORT (down while filling)"
printf '%10s %12s %14s %16s %14s\n' queued "filled/s" "RSS queued MB" "claim+submit/s" "RSS drain MB"
LARGEST=$(tr ' ' '\n' <<<"$SIZES" | sort -n | tail -1)
for SIZE in $SIZES; do
  DATA=$WORK/data-$SIZE
  mkdir -p "$DATA"
  account=$("$BIN" account create --name bench --data "$DATA" --json)
  SID=$(sed -n 's/.*"sid" *: *"\([^"]*\)".*/\1/p' <<<"$account")
  KEY=$(sed -n 's/.*"api_key" *: *"\([^"]*\)".*/\1/p' <<<"$account")
  start_serve
  t0=$(now_ms)
  post_messages "$SIZE" DEFAULT "Hello from the backlog benchmark"
  t1=$(now_ms)
  fill_rate=$(( SIZE * 1000 / (t1 - t0 > 0 ? t1 - t0 : 1) ))
  sleep 1
  rss_queued=$(rss_mb "$SERVE_PID")
  [[ $(q "select count(*) from message_parts") == 0 ]] || die "parts submitted with the SMSC down"
  start_sim
  k=$(( SIZE < SAMPLE ? SIZE : SAMPLE ))
  rate=0
  for _ in $(seq 1 600); do  # up to 60 s for the first K parts
    rate=$(submitted_rate "$k")
    (( rate > 0 )) && break
    sleep 0.1
  done
  (( rate > 0 )) || die "fewer than $k parts submitted after 60 s"
  rss_drain=$(rss_mb "$SERVE_PID")
  printf '%10d %12d %14s %16d %14s\n' "$SIZE" "$fill_rate" "$rss_queued" "$rate" "$rss_drain"

  if [[ $SIZE == "$LARGEST" ]]; then
    # A restart with the queue still (mostly) waiting: the SMSC stays up.
    stop_serve
    waiting=$(q "select count(*) from messages where state in (0, 1, 2)")
    parts_before=$(q "select count(*) from message_parts")
    if (( waiting == 0 )); then
      echo "restart not measured: the queue drained before serve was stopped (a larger size waits)"
      stop_sim
      rm -rf "$DATA" "$DATA.log"
      continue
    fi
    t0=$(now_ms)
    start_serve
    for _ in $(seq 1 300); do
      curl -s -o /dev/null -w '%{http_code}' -H "api-key: $KEY" \
        "http://127.0.0.1:$PORT/v1/$SID/messages/status" | grep -q '^[24]' && break
      sleep 0.05
    done
    t_api=$(( $(now_ms) - t0 ))
    for _ in $(seq 1 600); do
      (( $(q "select count(*) from message_parts") > parts_before )) && break
      sleep 0.05
    done
    t_submit=$(( $(now_ms) - t0 ))
    echo "restart with $waiting waiting: API answering after ${t_api} ms (process start included), first submit after ${t_submit} ms; RSS $(rss_mb "$SERVE_PID") MB"
  fi
  stop_serve
  stop_sim
  rm -rf "$DATA" "$DATA.log"
done
