#!/usr/bin/env bash
# Instructions per accepted message: what one one-recipient POST costs all of `smsgw serve` on an
# API-only node ([simulator] enabled = false, no connector: messages are stored and wait), counted
# by callgrind, so the figure does not move with the machine's load the way requests/s does.
# callgrind's counters are zeroed once serve listens (start-up is not counted) and dumped after
# wrk; the instructions are divided by the requests wrk completed (distinct recipients, so
# libphonenumber's verdict cache does not help).
#
#   make release && bash bench/accept_cost.sh
#   SMSGW_BIN=/tmp/smsgw-old bash bench/accept_cost.sh    # the same for another binary
#
# Environment: DURATION (15s), CONNECTIONS (16), SMSGW_BIN (build/release/src/app/smsgw),
# KEEP=1 keeps the temp dir (callgrind.out.* for callgrind_annotate). Needs valgrind and wrk.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${SMSGW_BIN:-$ROOT/build/release/src/app/smsgw}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-16}

die() { echo "accept_cost.sh: $*" >&2; exit 2; }
[[ -x $BIN ]] || die "no release binary at $BIN; build it first: make release (or set SMSGW_BIN)"
for tool in valgrind callgrind_control callgrind_annotate wrk; do
  command -v "$tool" >/dev/null || die "$tool not found (apt-get install valgrind wrk)"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/smsgw-accept-cost.XXXXXX")
SERVE_PID=
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
cleanup() {
  [[ -n $SERVE_PID ]] && terminate "$SERVE_PID" || true
  if [[ ${KEEP:-0} == 1 ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

account=$("$BIN" account create --name cost --data "$WORK/data" --json)
SID=$(sed -n 's/.*"sid" *: *"\([^"]*\)".*/\1/p' <<<"$account")
KEY=$(sed -n 's/.*"api_key" *: *"\([^"]*\)".*/\1/p' <<<"$account")
[[ -n $SID && -n $KEY ]] || die "cannot read sid/api_key from: $account"
printf '[simulator]\nenabled = false\n[admin]\nenabled = false\n' >"$WORK/smsgw.toml"

valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.out" \
  "$BIN" serve --listen 127.0.0.1:0 --data "$WORK/data" --config "$WORK/smsgw.toml" \
  >"$WORK/serve.log" 2>&1 &
SERVE_PID=$!
PORT=$(wait_line "$WORK/serve.log" 's#.*smsgw listening on http://127\.0\.0\.1:\([0-9]*\).*#\1#p')

cat >"$WORK/send.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["api-key"] = "$KEY"
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, string.format(
    '{"to":"+9198%08d","sender":"ACMEIN","body":"Hello from the accept benchmark"}', n))
end
LUA
callgrind_control -z "$SERVE_PID" >/dev/null 2>&1
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s "$WORK/send.lua" \
  "http://127.0.0.1:$PORT/v1/$SID/messages" >"$WORK/wrk.out"
callgrind_control -d "$SERVE_PID" >/dev/null 2>&1
terminate "$SERVE_PID" || true
SERVE_PID=

REQUESTS=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$WORK/wrk.out")
NON_2XX=$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$WORK/wrk.out")
[[ -n $REQUESTS && $REQUESTS -gt 0 ]] || die "wrk completed no request: $(cat "$WORK/wrk.out")"
[[ -z $NON_2XX ]] || die "$NON_2XX answers were not 2xx"
DUMP=$(ls "$WORK"/callgrind.out.* | head -1)
INSTRUCTIONS=$(callgrind_annotate "$DUMP" 2>/dev/null |
  sed -n 's/^\([0-9,]*\) .*PROGRAM TOTALS.*/\1/p' | tr -d ,)
[[ -n $INSTRUCTIONS ]] || die "no totals in $DUMP"
echo "smsgw $BIN, API-only, wrk -t2 -c$CONNECTIONS -d$DURATION under callgrind"
echo "requests: $REQUESTS   instructions: $INSTRUCTIONS   per request: $((INSTRUCTIONS / REQUESTS))"
