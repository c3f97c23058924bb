#!/usr/bin/env bash
# System calls per accepted message of `smsgw serve` under bench/compare.sh's smsgw load (one
# recipient per POST, a receipt and two callbacks per message), by call: a count that does not
# drift with the machine's speed the way throughput does, and on a virtual machine where a system
# call is dear, a fair predictor of a change's cost. perf counts the syscalls tracepoints over
# WINDOW seconds of the load (after 3 s of warm-up); messages are counted from the database.
#
#   make release && bash bench/syscalls.sh
#   SMSGW_BIN=/tmp/smsgw-old bash bench/syscalls.sh    # the same for another binary
#
# Environment: SMSGW_BIN (build/release/src/app/smsgw), WINDOW (10 s), DURATION (20s), and
# whatever else bench/compare.sh reads. Needs perf (Debian linux-perf) and root or
# kernel.perf_event_paranoid <= -1 for the tracepoints.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${SMSGW_BIN:-$ROOT/build/release/src/app/smsgw}
WINDOW=${WINDOW:-10}
export DURATION=${DURATION:-20s}
die() { echo "syscalls.sh: $*" >&2; exit 2; }
[[ -x $BIN ]] || die "no release binary at $BIN; build it first: make release (or set SMSGW_BIN)"
command -v perf >/dev/null || die "perf not found (apt-get install linux-perf)"
BIN=$(realpath "$BIN")

CALLS="pwrite64 pread64 fdatasync sendmsg sendto recvfrom futex epoll_wait epoll_ctl"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/smsgw-syscalls.XXXXXX")
COMPARE_PID=
cleanup() {
  [[ -n $COMPARE_PID ]] && { kill -TERM "$COMPARE_PID" 2>/dev/null || true; wait "$COMPARE_PID" 2>/dev/null || true; }
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

SYSTEMS=smsgw SMSGW_BIN=$BIN bash "$ROOT/bench/compare.sh" >"$WORK/compare.txt" 2>&1 &
COMPARE_PID=$!
serve=
for _ in $(seq 1 600); do
  serve=$(pgrep -f -x "$BIN serve .*" | head -1 || true)
  [[ -n $serve ]] && pgrep -x wrk >/dev/null && break
  sleep 0.1
done
[[ -n $serve ]] || die "serve did not start: $(tail -5 "$WORK/compare.txt")"
data=$(tr '\0' '\n' <"/proc/$serve/cmdline" | sed -n '/^--data$/{n;p}')
[[ -n $data ]] || die "cannot find serve's --data"
count() { sqlite3 -readonly "$data/smsgw.db" 'SELECT coalesce(max(rowid), 0) FROM messages'; }

sleep 3
events=(-e raw_syscalls:sys_enter)
for call in $CALLS; do events+=(-e "syscalls:sys_enter_$call"); done
before=$(count)
perf stat -x, "${events[@]}" -p "$serve" -o "$WORK/stat.csv" -- sleep "$WINDOW" >/dev/null 2>&1 ||
  die "perf stat failed (root, or kernel.perf_event_paranoid = -1, is needed)"
after=$(count)
wait "$COMPARE_PID" || die "compare.sh failed: $(tail -5 "$WORK/compare.txt")"
COMPARE_PID=
messages=$((after - before))
((messages > 0)) || die "no message accepted in the window"

echo "smsgw $BIN: system calls of serve per accepted message, ${WINDOW} s of bench/compare.sh load"
echo "messages accepted in the window: $messages"
awk -F, -v m="$messages" '$3 ~ /sys_enter/ {
    name = $3; sub(/.*sys_enter_?/, "", name); if (name == "") name = "all"
    printf "%-12s %10d %8.2f\n", name, $1, $1 / m }' "$WORK/stat.csv" | sort -k3 -nr
grep -E '^delivered' "$WORK/compare.txt" | awk '{print "delivered and called back/s (this run):", $(NF-2)}'
