#!/usr/bin/env bash
# A/B of two smsgw binaries on bench/compare.sh's smsgw part, alternating A and B so that drift of
# the machine hits both alike; prints every run and the medians. One run of one binary varies by
# up to 8% here, so a change smaller than that needs this, not a single compare.sh.
#
#   bash bench/ab.sh /tmp/smsgw-before build/release/src/app/smsgw        # 3 rounds of 15 s each
#   ROUNDS=5 DURATION=20s bash bench/ab.sh A_BIN B_BIN
#
# Environment: ROUNDS (3), DURATION (15s), and whatever else bench/compare.sh reads.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
die() { echo "ab.sh: $*" >&2; exit 2; }
[[ $# == 2 ]] || die "usage: bench/ab.sh A_BIN B_BIN"
A=$1
B=$2
for bin in "$A" "$B"; do
  [[ -x $bin ]] || die "not an executable: $bin"
done
ROUNDS=${ROUNDS:-3}
export DURATION=${DURATION:-15s}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/smsgw-ab.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# smsgw's column of a compare.sh results row (the third figure from the right).
figure() { grep -E "^$1" "$2" | head -1 | awk '{print $(NF-2)}'; }

printf '%-3s %6s %16s %10s %10s %10s\n' "" round "delivered+cb/s" "p50 ms" "p99 ms" "CPU s/1k"
for ((round = 1; round <= ROUNDS; round++)); do
  for side in A B; do
    bin=$A
    [[ $side == B ]] && bin=$B
    out=$WORK/$side-$round.txt
    SYSTEMS=smsgw SMSGW_BIN=$bin bash "$ROOT/bench/compare.sh" >"$out" 2>&1 ||
      { tail -20 "$out" >&2; die "compare.sh failed for $bin"; }
    printf '%-3s %6d %16s %10s %10s %10s\n' "$side" "$round" "$(figure delivered "$out")" \
      "$(figure 'accept p50' "$out")" "$(figure 'accept p99' "$out")" \
      "$(figure 'CPU s / 1000 msgs \(the system\)' "$out")"
  done
done | tee "$WORK/runs.txt"

median() {  # SIDE COLUMN
  awk -v s="$1" -v c="$2" '$1 == s { print $c }' "$WORK/runs.txt" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
echo "medians over $ROUNDS rounds of $DURATION:"
for side in A B; do
  bin=$A
  [[ $side == B ]] && bin=$B
  printf '%-3s %16s %10s %10s %10s  %s\n' "$side" "$(median "$side" 3)" "$(median "$side" 4)" \
    "$(median "$side" 5)" "$(median "$side" 6)" "$bin"
done
