#!/usr/bin/env bash
# Acceptance benchmark: the release smsgw on a fresh data dir, wrk posting one-recipient JSON sends
# to POST /v1/{sid}/messages. Prints requests/s, latency percentiles, the count of non-2xx
# answers, and checks that the database holds a message for every 2xx (the durability promise).
#
#   make release && bash bench/accept.sh          # or: make bench
#   DURATION=5s CONNECTIONS=16 THREADS=1 bash bench/accept.sh
#
# Environment: DURATION (20s), CONNECTIONS (64), THREADS (2), PORT (0 = a free one),
# SMSGW_BIN (build/release/src/app/smsgw), KEEP=1 keeps the temp dir for inspection.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${SMSGW_BIN:-$ROOT/build/release/src/app/smsgw}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
PORT=${PORT:-0}

die() { echo "accept.sh: $*" >&2; exit 2; }

[[ -x $BIN ]] || die "no release binary at $BIN; build it first: make release (or set SMSGW_BIN)"
command -v wrk >/dev/null || die "wrk not found; install it: apt-get install wrk (or: make deps)"
command -v sqlite3 >/dev/null || die "sqlite3 not found; install it: apt-get install sqlite3"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/smsgw-accept.XXXXXX")
DATA=$WORK/data
SERVER_PID=

stop_server() {
  [[ -n $SERVER_PID ]] || return 0
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do  # up to 10 s for a graceful stop
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "accept.sh: server ignored SIGTERM; killing it" >&2
      kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
  fi
  local code=0
  wait "$SERVER_PID" 2>/dev/null || code=$?
  SERVER_PID=
  return "$code"
}

cleanup() {
  stop_server || true
  if [[ ${KEEP:-0} == 1 ]]; then
    echo "kept $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- an account, then the server
account=$("$BIN" account create --name bench --data "$DATA" --json)
SID=$(sed -n 's/.*"sid" *: *"\([^"]*\)".*/\1/p' <<<"$account")
KEY=$(sed -n 's/.*"api_key" *: *"\([^"]*\)".*/\1/p' <<<"$account")
[[ -n $SID && -n $KEY ]] || die "cannot read sid/api_key from: $account"

"$BIN" serve --listen "127.0.0.1:$PORT" --data "$DATA" >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
BOUND=
for _ in $(seq 1 300); do  # up to 30 s for the listening line
  BOUND=$(sed -n 's#.*smsgw listening on http://127\.0\.0\.1:\([0-9]*\).*#\1#p' "$WORK/serve.log")
  [[ -n $BOUND ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve.log" >&2; die "server exited"; }
  sleep 0.1
done
[[ -n $BOUND ]] || { cat "$WORK/serve.log" >&2; die "server did not start in 30 s"; }
URL="http://127.0.0.1:$BOUND/v1/$SID/messages"

# --- the load. No per-response Lua callback: it would cost wrk as much CPU as the server spends
# on a request, on the same two cores. wrk counts non-2xx/3xx answers itself (errors.status).
cat >"$WORK/send.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["api-key"] = "$KEY"
wrk.body = '{"to":"+919876543210","sender":"ACMEIN","body":"Hello from the accept benchmark"}'

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local bad = e.status
  local ok = summary.requests - bad
  io.write("---- accept benchmark\n")
  io.write(string.format("requests/s:   %.0f\n", summary.requests / seconds))
  io.write(string.format("latency ms:   p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("responses:    2xx %d  non-2xx %d\n", ok, bad))
  io.write(string.format("socket errors: connect %d  read %d  write %d  timeout %d\n",
    e.connect, e.read, e.write, e.timeout))
  io.write(string.format("ok_2xx=%d\nnon_2xx=%d\n", ok, bad))
end
LUA

echo "smsgw $BIN on 127.0.0.1:$BOUND; wrk -t$THREADS -c$CONNECTIONS -d$DURATION"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/send.lua" "$URL" \
  | tee "$WORK/wrk.out"

OK=$(sed -n 's/^ok_2xx=//p' "$WORK/wrk.out")
NON_2XX=$(sed -n 's/^non_2xx=//p' "$WORK/wrk.out")
[[ -n $OK ]] || die "wrk printed no counts"

# --- durability check: a graceful stop, then count what the database holds.
stop_code=0
stop_server || stop_code=$?
DB=$DATA/smsgw.db
STORED=$(sqlite3 "$DB" 'select count(*) from messages')
echo "stored messages: $STORED   2xx responses: $OK   non-2xx: $NON_2XX   server exit: $stop_code"

# wrk stops at the deadline without reading the answers still in flight, so the database may hold
# up to one message per connection more than wrk counted. Fewer would mean a lost message.
status=0
if (( STORED < OK )); then
  echo "FAIL: $((OK - STORED)) acknowledged messages are missing from the database" >&2
  status=1
elif (( STORED > OK + CONNECTIONS )); then
  echo "FAIL: $((STORED - OK)) more messages stored than acknowledged (more than in flight)" >&2
  status=1
else
  echo "OK: every 2xx is stored ($((STORED - OK)) more were in flight when wrk stopped)"
fi
if (( NON_2XX > 0 )); then
  echo "FAIL: $NON_2XX non-2xx responses" >&2
  status=1
fi
if (( stop_code != 0 )); then
  echo "FAIL: the server exited $stop_code on SIGTERM" >&2
  status=1
fi
exit "$status"
