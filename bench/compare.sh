#!/usr/bin/env bash
# Comparison benchmark: the same one-recipient sends, on the same machine, against
#   nginx   a static Kaleyra-shaped 200 for POST /v1/{sid}/messages: the HTTP limit of this box;
#   kannel  Kannel 1.4.5 (bearerbox + smsbox, file store) delivering over SMPP, with a dlr-url;
#   smsgw   `smsgw serve` delivering over SMPP, with an inline GET callback;
# and smsgw's accept rate alone (no callbacks, nothing waited for after wrk), as two more systems:
#   smsgw-api     an API-only node ([simulator] enabled = false, no connector: messages queue);
#   smsgw-accept  the default node, its embedded SMSC simulator delivering while wrk posts.
# and, when SYSTEMS names them (not by default), smsgw's work on the PostgreSQL store (issue 15):
#   smsgw-pg   the smsgw system's work (same load, callback, SMSC, drain and figures), `serve` on a
#              throwaway PostgreSQL (tests/postgres/server.sh, durable: fsync on) instead of SQLite;
#   smsgw-pg2  the same by two `serve` nodes on that database, sharing the SMSC's `binds = 2` (one
#              each; the simulator takes --max-binds 2); wrk's threads alternate between the nodes
#              (one wrk, so its p50/p99 are over every request; THREADS must be even).
#   Their "system" CPU is the nodes' plus the PostgreSQL cluster's: the postmaster and every child
#   of it, live or exited (see pg_ticks).
# Kannel and smsgw talk to the same SMSC (`smsgw smsc-sim`, receipts on, window 100, started fresh
# for each) and call back the same receiver (an nginx answering 204 and logging `$msec`). wrk
# posts for DURATION with CONNECTIONS connections, a distinct recipient per request; then the
# script waits until every accepted message is called back twice (accepted + final). It prints
# accepted/s, delivered-and-called-back/s, accept p50/p99, CPU seconds per 1000 messages (the
# system's own processes; the SMSC, the receiver and wrk separately) and the ratios
# smsgw/kannel and smsgw/nginx; then the accept-alone rates and their ratios to nginx; then the
# PostgreSQL systems' figures, with their ratios to Kannel when Kannel ran.
# docs/performance.md explains how to read it.
#
#   make release && bash bench/compare.sh            # or: make bench
#   SMSGW_BIN=/path/to/smsgw DURATION=10s bash bench/compare.sh
#   SYSTEMS="kannel smsgw" bash bench/compare.sh     # a subset, in that order
#   SYSTEMS="smsgw smsgw-pg smsgw-pg2" bash bench/compare.sh   # SQLite, PostgreSQL with 1 and 2 nodes
#
# Environment: DURATION (20s), CONNECTIONS (50), THREADS (2), WINDOW (100), RECEIPT_DELAY (200 ms),
# DRAIN_TIMEOUT (60 s), IDLE_PCT (90), IDLE_TIMEOUT (20 s),
# SYSTEMS ("nginx kannel smsgw smsgw-api smsgw-accept"; also smsgw-pg, smsgw-pg2),
# KANNEL_LOG_LEVEL (2 = warnings; 1 = info logs 5 lines per message),
# SMSGW_BIN (build/release/src/app/smsgw), NGINX_BIN, BEARERBOX_BIN, SMSBOX_BIN, KEEP=1 keeps the
# temp dir (configs, logs, callback logs, wrk output, smsgw's database; PostgreSQL's server log as
# postgres-SYS.log, not its database).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${SMSGW_BIN:-$ROOT/build/release/src/app/smsgw}
NGINX_BIN=${NGINX_BIN:-/usr/sbin/nginx}
BEARERBOX_BIN=${BEARERBOX_BIN:-/usr/sbin/bearerbox}
SMSBOX_BIN=${SMSBOX_BIN:-/usr/sbin/smsbox}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
WINDOW=${WINDOW:-100}
RECEIPT_DELAY=${RECEIPT_DELAY:-200}
DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-60}
IDLE_PCT=${IDLE_PCT:-90}
IDLE_TIMEOUT=${IDLE_TIMEOUT:-20}
KANNEL_LOG_LEVEL=${KANNEL_LOG_LEVEL:-2}
SYSTEMS=${SYSTEMS:-nginx kannel smsgw smsgw-api smsgw-accept}

die() { echo "compare.sh: $*" >&2; exit 2; }
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
note() { echo "compare.sh: $*" >&2; }

[[ -x $BIN ]] || die "no release binary at $BIN; build it first: make release (or set SMSGW_BIN)"
for sys in $SYSTEMS; do
  case $sys in
    nginx) [[ -x $NGINX_BIN ]] || die "$NGINX_BIN not found; install it: make bench (apt-get install nginx-light)" ;;
    kannel) [[ -x $BEARERBOX_BIN && -x $SMSBOX_BIN ]] ||
      die "$BEARERBOX_BIN / $SMSBOX_BIN not found; install them: make bench (apt-get install kannel)" ;;
    smsgw | smsgw-api | smsgw-accept) ;;
    smsgw-pg | smsgw-pg2) command -v psql >/dev/null || die "psql not found (make deps installs postgresql)" ;;
    *) die "unknown system '$sys' in SYSTEMS (nginx, kannel, smsgw, smsgw-api, smsgw-accept, smsgw-pg, smsgw-pg2)" ;;
  esac
done
[[ " $SYSTEMS " != *" smsgw-pg2 "* ]] || (( THREADS % 2 == 0 )) ||
  die "THREADS must be even with smsgw-pg2 (its wrk threads alternate between the two nodes)"
[[ -x $NGINX_BIN ]] || die "$NGINX_BIN not found (the callback receiver is an nginx too)"
(( THREADS >= 1 && THREADS <= 9 )) || die "THREADS must be 1..9 (one digit of the recipient numbers)"
for tool in wrk curl sqlite3 pgrep; do
  command -v $tool >/dev/null || die "$tool not found (make deps installs it)"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/smsgw-compare.XXXXXX")
chmod 755 "$WORK"
HZ=$(getconf CLK_TCK)
PIDS=()
PGDIR='' PG_URL='' PG_MASTER='' PG_SYS=''  # the PostgreSQL of the system running (start_postgres), if any

# stop_pid PID: terminate (bench/lib.sh), and forget it. Returns its exit code.
stop_pid() {
  local pid=$1 code=0 i
  terminate "$pid" || code=$?
  for i in "${!PIDS[@]}"; do [[ ${PIDS[$i]} == "$pid" ]] && unset 'PIDS[i]'; done
  return "$code"
}

cleanup() {
  local i
  for i in $(printf '%s\n' "${!PIDS[@]}" | sort -rn); do  # newest first
    stop_pid "${PIDS[$i]}" || true
  done
  stop_postgres  # after the nodes, which hand their work back to it as they stop
  if [[ ${KEEP:-0} == 1 ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start NAME CMD...: runs CMD in the background with its output in $WORK/NAME.out; sets PID.
start() {
  local name=$1; shift
  "$@" >"$WORK/$name.out" 2>&1 &
  PID=$!
  PIDS+=("$PID")
}


# wait_http URL [GREP]: until URL answers (and its body matches GREP), 30 s.
wait_http() {
  for _ in $(seq 1 300); do
    if body=$(curl -s --max-time 1 "$1" 2>/dev/null); then
      [[ -z ${2:-} ]] && return 0
      grep -q -- "$2" <<<"$body" && return 0
    fi
    sleep 0.1
  done
  die "$1 did not answer${2:+ with $2} in 30 s"
}

# free_port: sets PORT to a TCP port nobody listens on or is connected from, below the ephemeral
# range, not given out before by this script.
PICKED=" "
free_port() {
  local p hex
  while :; do
    p=$((20000 + RANDOM % 12000))
    [[ $PICKED == *" $p "* ]] && continue
    printf -v hex ':%04X ' "$p"
    grep -q "$hex" /proc/net/tcp /proc/net/tcp6 2>/dev/null && continue
    PICKED+="$p "
    PORT=$p
    return 0
  done
}

# ticks PID...: utime + stime of the processes (all their threads), in clock ticks.
ticks() {
  local t=0 pid f
  for pid in "$@"; do
    f=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
    f=${f##*) }
    read -ra a <<<"$f"
    t=$((t + a[11] + a[12]))
  done
  echo "$t"
}

# pg_ticks: the PostgreSQL cluster's CPU in clock ticks (0 without one). Every process of a cluster
# is the postmaster or a child of it (backends, checkpointer, background and WAL writers,
# autovacuum launcher and workers, ...), and the postmaster reaps its children: so its own utime +
# stime, plus cutime + cstime (the children it has reaped: closed connections, finished autovacuum
# workers), plus the live children's utime + stime, is all of it, whether or not a process outlived
# the measured window.
pg_ticks() {
  local f
  if [[ -z $PG_MASTER ]] || ! f=$(cat "/proc/$PG_MASTER/stat" 2>/dev/null); then echo 0; return 0; fi
  f=${f##*) }
  read -ra a <<<"$f"
  # shellcheck disable=SC2046  # one PID a word
  echo $((a[11] + a[12] + a[13] + a[14] + $(ticks $(pgrep -P "$PG_MASTER"))))
}

# pg_procs: which processes pg_ticks counts now, for the output: the postmaster's PID and its
# children by kind (their titles without "postgres: "; connections as "backend").
pg_procs() {
  echo "postmaster $PG_MASTER and its children, those alive at the end: $(ps -o args= --ppid "$PG_MASTER" |
    awk '{ sub(/^postgres: /, ""); k = (/\[local\]/ ? "backend" : $0); sub(/ +$/, "", k); n[k]++ }
         END { for (k in n) printf "%s%d %s", (s++ ? ", " : ""), n[k], k }')"
}

# machine_ticks: "busy total" over all cores from /proc/stat (busy = all but idle and iowait).
machine_ticks() {
  awk '/^cpu / { t = 0; for (i = 2; i <= 9; i++) t += $i; print t - $5 - $6, t }' /proc/stat
}

# children_cpu FILE: user+sys seconds of the children this shell has waited for, from `times`
# written to FILE by the main shell (a subshell would report its own children).
children_cpu() {
  awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/)
                 printf "%.2f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$1"
}

# wait_idle: until the machine is IDLE_PCT idle over one second (IDLE_TIMEOUT s at most); sets
# IDLE to the last idle share measured.
wait_idle() {
  local deadline=$((SECONDS + IDLE_TIMEOUT)) b0 t0 b1 t1
  while :; do
    read -r b0 t0 <<<"$(machine_ticks)"
    sleep 1
    read -r b1 t1 <<<"$(machine_ticks)"
    IDLE=$(awk -v b=$((b1 - b0)) -v t=$((t1 - t0)) 'BEGIN { printf "%.0f", (t > 0 ? 100 - 100 * b / t : 0) }')
    (( IDLE >= IDLE_PCT )) && return 0
    if (( SECONDS >= deadline )); then
      note "machine only ${IDLE}% idle after ${IDLE_TIMEOUT}s of waiting; measuring anyway (figures will be noisy)"
      return 0
    fi
  done
}

fmt() { awk -v v="$1" -v d="${2:-0}" 'BEGIN { if (v == "" || v == "-") print "-"; else printf "%.*f", d, v }'; }
ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN {
    if (a == "" || b == "" || a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'
}

# ---- shared pieces ---------------------------------------------------------------------------
BODY_TEXT="Hello from the compare benchmark"
# What smsgw answers to a one-recipient send (nginx answers this, byte for byte the same shape).
STATIC_REPLY='{"id":"01a24642-2fdd-7c10-af6c-e28a9a3350cc","sender":"ACMEIN","type":"DEFAULT","body":"'$BODY_TEXT'","createdDateTime":"2026-12-05 12:51:12+00:00","totalCount":1,"data":[{"message_id":"01a24642-2fdd-7c10-af6c-e28a9a3350cc:1","recipient":"919876543210"}],"dlrurl":null,"encoding":"GSM7","segments":1,"error":{}}'

NGINX_USER=
(( EUID == 0 )) && NGINX_USER="user $(id -un) $(id -gn);"

# nginx_conf NAME WORKERS SERVER_BLOCK: a self-contained nginx config in $WORK/NAME.
nginx_conf() {
  local d=$WORK/$1
  mkdir -p "$d"
  cat >"$d/nginx.conf" <<NGINX
$NGINX_USER
worker_processes $2;
pid $d/nginx.pid;
error_log $d/error.log warn;
events { worker_connections 4096; }
http {
  client_body_temp_path $d/body;
  proxy_temp_path $d/proxy;
  fastcgi_temp_path $d/fastcgi;
  uwsgi_temp_path $d/uwsgi;
  scgi_temp_path $d/scgi;
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
$3
}
NGINX
}

# start_nginx NAME: starts it; sets PID (master) and NGINX_PIDS (master and workers).
start_nginx() {
  local d=$WORK/$1
  start "$1" "$NGINX_BIN" -c "$d/nginx.conf" -p "$d" -e "$d/error.log" -g 'daemon off;'
}
nginx_pids() {  # MASTER: the master and its workers
  echo "$1 $(pgrep -P "$1" | tr '\n' ' ')"
}

# The callback receiver: 204 to anything; one access log per system, `$msec $request_uri`.
free_port; RECV_PORT=$PORT
nginx_conf receiver 1 "  log_format cb '\$msec \$request_uri';
  server {
    listen 127.0.0.1:$RECV_PORT;
    location /cb/kannel { access_log $WORK/cb-kannel.log cb; return 204; }
    location /cb/smsgw { access_log $WORK/cb-smsgw.log cb; return 204; }
    location /cb/smsgw-pg { access_log $WORK/cb-smsgw-pg.log cb; return 204; }
    location /cb/smsgw-pg2 { access_log $WORK/cb-smsgw-pg2.log cb; return 204; }
    location / { access_log $WORK/cb-other.log cb; return 204; }
  }"
start_nginx receiver; RECV_MASTER=$PID
wait_http "http://127.0.0.1:$RECV_PORT/ready"
RECV_PIDS=$(nginx_pids "$RECV_MASTER")

# start_sim NAME [ARG...]: a fresh SMSC simulator (ARGs added); sets SIM_PID SIM_PORT SIM_CTL.
start_sim() {
  start "sim-$1" "$BIN" smsc-sim --listen 127.0.0.1:0 --control 127.0.0.1:0 \
    --receipt-delay "$RECEIPT_DELAY" "${@:2}"
  SIM_PID=$PID
  SIM_PORT=$(wait_line "$WORK/sim-$1.out" 's#.*listening on 127\.0\.0\.1:\([0-9]*\), control.*#\1#p')
  SIM_CTL=$(wait_line "$WORK/sim-$1.out" 's#.*control on 127\.0\.0\.1:\([0-9]*\).*#\1#p')
}
sim_stat() {  # JSON-ish counter from GET /stats: sim_stat received submit_sm
  curl -s "http://127.0.0.1:$SIM_CTL/stats" |
    sed -n "s/.*\"$1\":{[^}]*\"$2\":\([0-9]*\).*/\1/p"
}

# The wrk script. A counter per thread makes the recipients distinct: +91 9 <thread> <6 digits> 00
# (ending in 00 keeps clear of the simulator's fault numbers, which end in 9980 and 999x). The
# request is built per request (that is the only Lua per request); no response() callback.
# $1: the file, $2: the Lua body of make(to) returning method, path, headers, body (and, to send
# a thread elsewhere than wrk's URL, of node_of(thread number) returning a wrk.lookup address).
write_lua() {
  cat >"$1" <<LUA
local next_id = 0
function setup(thread)
  thread:set("tid", next_id)
  if node_of then thread.addr = node_of(next_id) end
  next_id = next_id + 1
end
function init(args)
  n = 0
end
$2
function request()
  n = n + 1
  return make(string.format("+919%d%06d00", tid, n))
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("ok_2xx=%d\nnon_2xx=%d\nduration_us=%d\n", summary.requests - e.status,
    e.status, summary.duration))
  io.write(string.format("p50_us=%d\np99_us=%d\nmax_us=%d\n", latency:percentile(50),
    latency:percentile(99), latency.max))
  io.write(string.format("socket_errors=%d\n", e.connect + e.read + e.write + e.timeout))
end
LUA
}

# ---- measurement ------------------------------------------------------------------------------
# Results: R[system.metric].
declare -A R

declare -A P0  # per-process ticks at the start of the load

# cpu_of PID: its CPU seconds since run_load.
cpu_of() { awk -v t=$(( $(ticks "$1") - P0[$1] )) -v hz="$HZ" 'BEGIN { printf "%.2f", t / hz }'; }

# run_load SYS URL LUA SYSTEM_PIDS: idles, snapshots CPU, runs wrk, sets OK and T0 (epoch s).
run_load() {
  local sys=$1 url=$2 lua=$3
  SYS_PIDS=$4
  wait_idle
  R[$sys.idle]=$IDLE
  read -r M_B0 M_T0 <<<"$(machine_ticks)"
  C_SYS0=$(ticks $SYS_PIDS); C_SIM0=$(ticks ${SIM_PID:-}); C_RECV0=$(ticks $RECV_PIDS); C_PG0=$(pg_ticks)
  local p
  for p in $SYS_PIDS; do P0[$p]=$(ticks "$p"); done
  local w0 w1
  times >"$WORK/times0"
  T0=$(date +%s.%N)
  echo "-- $sys: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency $url"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$lua" "$url" >"$WORK/wrk-$sys.out" 2>&1 ||
    { cat "$WORK/wrk-$sys.out" >&2; die "wrk failed against $sys"; }
  times >"$WORK/times1"
  w0=$(children_cpu "$WORK/times0"); w1=$(children_cpu "$WORK/times1")
  R[$sys.wrk_cpu]=$(awk -v a="$w0" -v b="$w1" 'BEGIN { printf "%.2f", b - a }')
  local k
  for k in ok_2xx non_2xx duration_us p50_us p99_us max_us socket_errors; do
    R[$sys.$k]=$(sed -n "s/^$k=//p" "$WORK/wrk-$sys.out")
    [[ -n ${R[$sys.$k]} ]] || { cat "$WORK/wrk-$sys.out" >&2; die "wrk printed no $k for $sys"; }
  done
  OK=${R[$sys.ok_2xx]}
  R[$sys.accepted_s]=$(awk -v n="$OK" -v us="${R[$sys.duration_us]}" 'BEGIN { printf "%.0f", n * 1e6 / us }')
  R[$sys.p50_ms]=$(awk -v v="${R[$sys.p50_us]}" 'BEGIN { printf "%.2f", v / 1000 }')
  R[$sys.p99_ms]=$(awk -v v="${R[$sys.p99_us]}" 'BEGIN { printf "%.2f", v / 1000 }')
  echo "   $OK answered 2xx (${R[$sys.accepted_s]}/s), ${R[$sys.non_2xx]} non-2xx, ${R[$sys.socket_errors]} socket errors"
}

# end_measure SYS MESSAGES: CPU after, per 1000 messages. The system's CPU includes its
# PostgreSQL cluster's (pg_ticks), which is also kept apart as cpu_pg.
end_measure() {
  local sys=$1 msgs=$2 m_b1 m_t1
  read -r m_b1 m_t1 <<<"$(machine_ticks)"
  local c_sys c_sim c_recv c_pg
  c_pg=$(( $(pg_ticks) - C_PG0 ))
  c_sys=$(( $(ticks $SYS_PIDS) - C_SYS0 + c_pg ))
  c_sim=$(( $(ticks ${SIM_PID:-}) - C_SIM0 ))
  c_recv=$(( $(ticks $RECV_PIDS) - C_RECV0 ))
  R[$sys.msgs]=$msgs
  R[$sys.cpu_sys]=$(awk -v t=$c_sys -v hz="$HZ" 'BEGIN { printf "%.2f", t / hz }')
  R[$sys.cpu_sim]=$(awk -v t=$c_sim -v hz="$HZ" 'BEGIN { printf "%.2f", t / hz }')
  R[$sys.cpu_recv]=$(awk -v t=$c_recv -v hz="$HZ" 'BEGIN { printf "%.2f", t / hz }')
  R[$sys.cpu_pg]=$(awk -v t=$c_pg -v hz="$HZ" 'BEGIN { printf "%.2f", t / hz }')
  R[$sys.cpu_machine]=$(awk -v t=$((m_b1 - M_B0)) -v hz="$HZ" 'BEGIN { printf "%.2f", t / hz }')
  R[$sys.window_s]=$(awk -v t=$((m_t1 - M_T0)) -v hz="$HZ" -v n="$(nproc)" 'BEGIN { printf "%.1f", t / hz / n }')
  R[$sys.cpu_other]=$(awk -v m="${R[$sys.cpu_machine]}" -v a="${R[$sys.cpu_sys]}" -v b="${R[$sys.cpu_sim]}" \
    -v c="${R[$sys.cpu_recv]}" -v d="${R[$sys.wrk_cpu]}" 'BEGIN { v = m - a - b - c - d; printf "%.2f", (v < 0 ? 0 : v) }')
  local f
  for f in sys sim recv pg; do
    R[$sys.k_$f]=$(awk -v c="${R[$sys.cpu_$f]}" -v n="$msgs" 'BEGIN { if (n > 0) printf "%.3f", c * 1000 / n; else print "-" }')
  done
  R[$sys.k_wrk]=$(awk -v c="${R[$sys.wrk_cpu]}" -v n="${R[$sys.ok_2xx]}" 'BEGIN { if (n > 0) printf "%.3f", c * 1000 / n; else print "-" }')
}

# cb_stats LOG KEY KIND SENT: parses a callback log (`$msec $request_uri`): distinct KEY values
# seen with KIND=SENT (accepted by the SMSC) and with any other KIND (final status), both, the
# line count and the first and last $msec.
cb_stats() {
  awk -v key="$2" -v kind="$3" -v sent="$4" '
    { q = substr($2, index($2, "?") + 1); n = split(q, kv, "&"); k = ""; s = ""
      for (i = 1; i <= n; i++) {
        eq = index(kv[i], "="); name = substr(kv[i], 1, eq - 1); val = substr(kv[i], eq + 1)
        if (name == key) k = val; else if (name == kind) s = val
      }
      lines++
      if (lines == 1 || $1 < first) first = $1
      if ($1 > last) last = $1
      if (s == sent) { if (!(k in S)) { S[k] = 1; ns++ } }
      else if (!(k in F)) { F[k] = 1; nf++ }
    }
    END { both = 0; for (k in F) if (k in S) both++
          printf "%d %d %d %d %.3f %.3f\n", lines, ns, nf, both, first, last }' "$1"
}

# wait_callbacks SYS LOG EXPECTED: until LOG has 2*EXPECTED lines and then 2 s without a new one;
# gives up after DRAIN_TIMEOUT s, or 15 s without progress.
wait_callbacks() {
  local sys=$1 log=$2 want=$(( 2 * $3 )) lines=0 prev=-1 still=0 start=$SECONDS
  echo "   waiting for $want callbacks (2 per accepted message) ..."
  while :; do
    lines=$(wc -l <"$log" 2>/dev/null || echo 0)
    if (( lines == prev )); then still=$((still + 1)); else still=0; fi
    prev=$lines
    (( lines >= want && still >= 4 )) && break
    if (( still >= 30 )); then note "$sys: callbacks stopped at $lines of $want"; break; fi
    if (( SECONDS - start >= DRAIN_TIMEOUT )); then note "$sys: $lines of $want callbacks after ${DRAIN_TIMEOUT}s"; break; fi
    sleep 0.5
  done
  R[$sys.drain_s]=$((SECONDS - start))
}

# record_callbacks SYS LOG KEY KIND SENT: parses LOG into R.
record_callbacks() {
  local sys=$1 lines ns nf both first last
  read -r lines ns nf both first last <<<"$(cb_stats "$2" "$3" "$4" "$5")"
  R[$sys.cb_lines]=$lines; R[$sys.cb_sent]=$ns; R[$sys.cb_final]=$nf; R[$sys.cb_both]=$both
  R[$sys.delivered_s]=$(awk -v n="$nf" -v t0="$T0" -v t1="$last" 'BEGIN { if (t1 > t0) printf "%.0f", n / (t1 - t0); else print "-" }')
  R[$sys.span_s]=$(awk -v t0="$T0" -v t1="$last" 'BEGIN { printf "%.1f", t1 - t0 }')
  echo "   callbacks: $lines requests; accepted by the SMSC: $ns messages, final: $nf, both: $both;" \
    "last one $(awk -v t0="$T0" -v t1="$last" 'BEGIN { printf "%.1f", t1 - t0 }') s after the first request"
}

# ---- nginx: the HTTP limit ---------------------------------------------------------------------
run_nginx() {
  free_port; local port=$PORT
  nginx_conf limit auto "  server {
    listen 127.0.0.1:$port;
    location / { default_type application/json; return 200 '$STATIC_REPLY'; }
  }"
  start_nginx limit; local master=$PID
  wait_http "http://127.0.0.1:$port/" '"totalCount":1'
  write_lua "$WORK/nginx.lua" "local body = '{\"to\":\"%s\",\"sender\":\"ACMEIN\",\"body\":\"$BODY_TEXT\"}'
function make(to)
  return wrk.format('POST', nil, {['Content-Type'] = 'application/json', ['api-key'] = 'A0123456789abcdef0123456789abcdef'},
    string.format(body, to))
end"
  SIM_PID=
  run_load nginx "http://127.0.0.1:$port/v1/HXSG0000000000SG/messages" "$WORK/nginx.lua" "$(nginx_pids "$master")"
  end_measure nginx "${R[nginx.ok_2xx]}"
  stop_pid "$master" || true
}

# ---- Kannel ---------------------------------------------------------------------------------------
run_kannel() {
  start_sim kannel
  free_port; local admin=$PORT; free_port; local boxp=$PORT; free_port; local sendp=$PORT
  local d=$WORK/kannel
  mkdir -p "$d"
  # Kannel refuses an SMPP group without system-type (an empty one is fine). log-level 2 =
  # warnings: at 1 (info) smsbox writes 5 lines per message, at 0 (debug) every PDU; smsgw logs
  # nothing per message. The store is Kannel's file store (store-type = file; it writes, it does
  # not fsync).
  cat >"$d/kannel.conf" <<KANNEL
group = core
admin-port = $admin
admin-interface = 127.0.0.1
admin-password = bench
admin-allow-ip = "127.0.0.1"
smsbox-port = $boxp
smsbox-interface = 127.0.0.1
box-allow-ip = "127.0.0.1"
store-type = file
store-location = "$d/kannel.store"
dlr-storage = internal
log-file = "$d/bearerbox.log"
log-level = $KANNEL_LOG_LEVEL

group = smsc
smsc = smpp
smsc-id = sim
host = 127.0.0.1
port = $SIM_PORT
transceiver-mode = true
smsc-username = smsgw
smsc-password = smsgw
system-type = ""
max-pending-submits = $WINDOW

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = $boxp
sendsms-port = $sendp
sendsms-interface = 127.0.0.1
log-file = "$d/smsbox.log"
log-level = $KANNEL_LOG_LEVEL

group = sendsms-user
username = bench
password = bench
KANNEL
  # -v 2: warnings and worse on the console (its default is debug).
  start bearerbox "$BEARERBOX_BIN" -v 2 "$d/kannel.conf"; local bb=$PID
  local status="http://127.0.0.1:$admin/status.txt?password=bench"
  wait_http "$status" '(online'
  start smsbox "$SMSBOX_BIN" -v 2 "$d/kannel.conf"; local sb=$PID
  wait_http "$status" 'smsbox:.*on-line'
  # The body is the text; the rest travels in X-Kannel-* headers. dlr-mask 11 = delivered (1) +
  # undelivered (2) + accepted by the SMSC (8); %d in the dlr-url is the report type.
  write_lua "$WORK/kannel.lua" "local headers = {['Content-Type'] = 'text/plain', ['X-Kannel-Username'] = 'bench',
  ['X-Kannel-Password'] = 'bench', ['X-Kannel-From'] = 'ACMEIN', ['X-Kannel-DLR-Mask'] = '11'}
local cb = 'http://127.0.0.1:$RECV_PORT/cb/kannel?to=%s&t=%%d'
function make(to)
  headers['X-Kannel-To'] = to
  headers['X-Kannel-DLR-Url'] = string.format(cb, string.sub(to, 2))
  return wrk.format('POST', nil, headers, '$BODY_TEXT')
end"
  run_load kannel "http://127.0.0.1:$sendp/cgi-bin/sendsms" "$WORK/kannel.lua" "$bb $sb"
  wait_callbacks kannel "$WORK/cb-kannel.log" "${R[kannel.ok_2xx]}"
  record_callbacks kannel "$WORK/cb-kannel.log" to t 8
  end_measure kannel "${R[kannel.cb_final]}"
  R[kannel.smsc_submits]=$(sim_stat received submit_sm)
  R[kannel.smsc_receipts]=$(sim_stat sent deliver_sm)
  local st
  st=$(curl -s "$status")
  R[kannel.check]="bearerbox status: SMS $(grep -m1 '^SMS: received' <<<"$st" | sed 's/^SMS: //'); $(grep -m1 '^DLR: received' <<<"$st" | sed 's/^DLR: /DLR /'); CPU s: bearerbox $(cpu_of "$bb"), smsbox $(cpu_of "$sb")"
  stop_pid "$sb" || true
  stop_pid "$bb" || true
  stop_pid "$SIM_PID" || true
}

# ---- smsgw ----------------------------------------------------------------------------------------
# smsgw_toml SIM_PORT [NODE]: serve's config: the embedded simulator off, callbacks to 127.0.0.1
# allowed, one [[smsc]] to the SMSC on SIM_PORT; the [store] when PG_URL is set; with NODE (one of
# two nodes), its [node] id, the connector's `binds = 2` (the cluster's budget: one each) and an
# admin listener on a free port (two nodes cannot share the default one).
smsgw_toml() {
  cat <<TOML
[simulator]
enabled = false

[webhooks]
allow_targets = ["127.0.0.1/32"]

[[smsc]]
name = "sim"
host = "127.0.0.1"
port = $1
system_id = "smsgw"
password = "smsgw"
bind = "transceiver"
window = $WINDOW
TOML
  if [[ -n ${2:-} ]]; then
    printf 'binds = 2\n\n[node]\nid = "%s"\n\n[admin]\nlisten = "127.0.0.1:0"\n' "$2"
  fi
  if [[ -n $PG_URL ]]; then printf '\n[store]\nurl = "%s"\n' "$PG_URL"; fi
}

# store_q DB SQL: rows of |-separated values from smsgw's SQLite file DB or, with PG_URL set, from
# PostgreSQL (DB unused).
store_q() {
  if [[ -n $PG_URL ]]; then
    psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$PG_URL" -c "$2"
  else
    sqlite3 "$1" "$2"
  fi
}

# start_postgres SYS: a fresh PostgreSQL (tests/postgres/server.sh, durable: fsync on, a Unix socket
# only); sets PGDIR PG_URL PG_MASTER. Not under WORK: under root the server runs as `postgres`.
start_postgres() {
  PGDIR=$(mktemp -d "${TMPDIR:-/tmp}/smsgw-compare-pg.XXXXXX")
  PG_SYS=$1
  sh "$ROOT/tests/postgres/server.sh" start "$PGDIR" durable ||
    die "could not start PostgreSQL (tests/postgres/server.sh)"
  PG_URL="postgresql:///smsgw?host=$PGDIR&user=smsgw"
  PG_MASTER=$(head -1 "$PGDIR/data/postmaster.pid")
}
stop_postgres() {
  [[ -n $PGDIR ]] || return 0
  if [[ ${KEEP:-0} == 1 ]]; then cp "$PGDIR/server.log" "$WORK/postgres-$PG_SYS.log" || true; fi
  sh "$ROOT/tests/postgres/server.sh" stop "$PGDIR" || true
  PGDIR='' PG_URL='' PG_MASTER=''
}

# run_smsgw_on SYS NODES: the smsgw system's work, by one `serve` (NODES 1; on PostgreSQL when
# PG_URL is set, else SQLite) or by two nodes on PostgreSQL (NODES 2), each bound once to the SMSC
# and taking every other wrk thread: one wrk process, so the load's shape is smsgw's and its
# latency percentiles are over every request, not merged from two.
run_smsgw_on() {
  local sys=$1 nodes=$2 d=$WORK/$1 name=serve${1#smsgw}
  local sfx=("") s  # per node: its files' suffix, and its [node] id without the dash
  (( nodes == 2 )) && sfx=(-node-1 -node-2)
  if (( nodes == 2 )); then start_sim "$sys" --max-binds 2; else start_sim "$sys"; fi
  mkdir -p "$d"
  for s in "${sfx[@]}"; do smsgw_toml "$SIM_PORT" "${s#-}" >"$d/smsgw$s.toml"; done
  local account sid key
  account=$("$BIN" account create --name bench --data "$d/data${sfx[0]}" --config "$d/smsgw${sfx[0]}.toml" --json)
  sid=$(sed -n 's/.*"sid" *: *"\([^"]*\)".*/\1/p' <<<"$account")
  key=$(sed -n 's/.*"api_key" *: *"\([^"]*\)".*/\1/p' <<<"$account")
  [[ -n $sid && -n $key ]] || die "cannot read sid/api_key from: $account"
  local gws=() ports=()
  for s in "${sfx[@]}"; do
    start "$name$s" "$BIN" serve --listen 127.0.0.1:0 --data "$d/data$s" --config "$d/smsgw$s.toml"
    gws+=("$PID")
    ports+=("$(wait_line "$WORK/$name$s.out" 's#.*smsgw listening on http://127\.0\.0\.1:\([0-9]*\).*#\1#p')")
  done
  (( nodes == 1 )) || wait_bound "$PG_URL" sim
  for s in "${sfx[@]}"; do
    wait_line "$WORK/$name$s.out" 's#.*smpp\[sim\]: \(bound\) as transceiver.*#\1#p' >/dev/null
  done
  local to_nodes=
  if (( nodes == 2 )); then
    to_nodes="
local nodes = {wrk.lookup('127.0.0.1', '${ports[0]}')[1], wrk.lookup('127.0.0.1', '${ports[1]}')[1]}
function node_of(id) return nodes[id % 2 + 1] end"
    echo "-- $sys: wrk threads 0, 2, ... post to node-1 (port ${ports[0]}), 1, 3, ... to node-2 (port ${ports[1]})"
  fi
  write_lua "$WORK/$sys.lua" "local body = '{\"to\":\"%s\",\"sender\":\"ACMEIN\",\"body\":\"$BODY_TEXT\",' ..
  '\"callback\":{\"url\":\"http://127.0.0.1:$RECV_PORT/cb/$sys\",\"method\":\"GET\"}}'
local headers = {['Content-Type'] = 'application/json', ['api-key'] = '$key'}
function make(to)
  return wrk.format('POST', nil, headers, string.format(body, to))
end$to_nodes"
  run_load "$sys" "http://127.0.0.1:${ports[0]}/v1/$sid/messages" "$WORK/$sys.lua" "${gws[*]}"
  # Every 200 is committed; answers in flight when wrk stopped are stored too: wait for all. (On
  # PostgreSQL, this count's backend is in the measured CPU: milliseconds.)
  sleep 0.5
  local db=$d/data/smsgw.db stored
  stored=$(store_q "$db" 'select count(*) from messages')
  R[$sys.stored]=$stored
  wait_callbacks "$sys" "$WORK/cb-$sys.log" "$stored"
  record_callbacks "$sys" "$WORK/cb-$sys.log" recipient status Sent
  end_measure "$sys" "${R[$sys.cb_final]}"
  R[$sys.smsc_submits]=$(sim_stat received submit_sm)
  R[$sys.smsc_receipts]=$(sim_stat sent deliver_sm)
  local cpu="" i
  if [[ -n $PG_URL ]]; then
    for i in "${!gws[@]}"; do cpu+="serve${sfx[i]} $(cpu_of "${gws[i]}"), "; done
    cpu="; CPU s: ${cpu}PostgreSQL ${R[$sys.cpu_pg]} ($(pg_procs))"
  fi
  local code=0 codes=""
  for i in "${!gws[@]}"; do
    code=0
    stop_pid "${gws[i]}" || code=$?
    codes+="${codes:+ }$code"
  done
  # SQLite keeps a webhook's first attempt on its row, PostgreSQL every attempt in webhook_attempts.
  local not_2xx="(select count(*) from webhook_attempts where http_status not between 200 and 299)"
  [[ -n $PG_URL ]] ||
    not_2xx="((select count(*) from webhooks where first_at is not null and first_http_status not between 200 and 299) + $not_2xx)"
  R[$sys.check]="db: $(store_q "$db" "select
      (select count(*) from messages) || ' messages, ' ||
      (select count(*) from messages where state = 4) || ' Delivered, ' ||
      (select count(*) from message_parts where state <> 0) || ' parts with a receipt, ' ||
      (select count(*) from webhooks where state = 1) || ' of ' || (select count(*) from webhooks) || ' webhooks delivered, ' ||
      (select coalesce(sum(attempts), 0) from webhooks) || ' attempts (' || $not_2xx || ' not 2xx)'"); serve exit $codes$cpu"
  stop_pid "$SIM_PID" || true
}
run_smsgw() { run_smsgw_on smsgw 1; }
run_smsgw-pg() { start_postgres smsgw-pg; run_smsgw_on smsgw-pg 1; stop_postgres; }
run_smsgw-pg2() { start_postgres smsgw-pg2; run_smsgw_on smsgw-pg2 2; stop_postgres; }

# ---- smsgw's accept rate alone -----------------------------------------------------------------
# run_accept_alone SYS CONFIG: serve on a fresh data dir with CONFIG (TOML, may be empty), one
# recipient per POST and no callback; wrk's figures only, then a graceful stop and a count of what
# was stored (every 2xx must be in the database).
run_accept_alone() {
  local sys=$1 d=$WORK/$1
  mkdir -p "$d"
  printf '%s' "$2" >"$d/smsgw.toml"
  local account sid key
  account=$("$BIN" account create --name bench --data "$d/data" --config "$d/smsgw.toml" --json)
  sid=$(sed -n 's/.*"sid" *: *"\([^"]*\)".*/\1/p' <<<"$account")
  key=$(sed -n 's/.*"api_key" *: *"\([^"]*\)".*/\1/p' <<<"$account")
  [[ -n $sid && -n $key ]] || die "cannot read sid/api_key from: $account"
  start "$sys" "$BIN" serve --listen 127.0.0.1:0 --data "$d/data" --config "$d/smsgw.toml"
  local gw=$PID port
  port=$(wait_line "$WORK/$sys.out" 's#.*smsgw listening on http://127\.0\.0\.1:\([0-9]*\).*#\1#p')
  write_lua "$WORK/$sys.lua" "local body = '{\"to\":\"%s\",\"sender\":\"ACMEIN\",\"body\":\"$BODY_TEXT\"}'
local headers = {['Content-Type'] = 'application/json', ['api-key'] = '$key'}
function make(to)
  return wrk.format('POST', nil, headers, string.format(body, to))
end"
  SIM_PID=
  run_load "$sys" "http://127.0.0.1:$port/v1/$sid/messages" "$WORK/$sys.lua" "$gw"
  end_measure "$sys" "${R[$sys.ok_2xx]}"
  local code=0
  stop_pid "$gw" || code=$?
  R[$sys.stored]=$(sqlite3 "$d/data/smsgw.db" 'select count(*) from messages')
  R[$sys.check]="${R[$sys.stored]} messages stored of ${R[$sys.ok_2xx]} answered 2xx; serve exit $code"
}
run_smsgw-api() { run_accept_alone smsgw-api $'[simulator]\nenabled = false\n'; }
run_smsgw-accept() { run_accept_alone smsgw-accept ""; }

# ---- run -------------------------------------------------------------------------------------------
echo "compare.sh: $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(date -u '+%F %T UTC')"
echo "smsgw $BIN; nginx $("$NGINX_BIN" -v 2>&1 | sed 's#.*/##'); kannel $("$BEARERBOX_BIN" --version 2>&1 | sed -n "s/.*version \`\([^']*\)'.*/\1/p" | head -1)"
echo "load: wrk -t$THREADS -c$CONNECTIONS -d$DURATION, one distinct recipient per request; SMSC: smsgw smsc-sim," \
  "receipts after ${RECEIPT_DELAY} ms, window $WINDOW; callbacks to nginx on 127.0.0.1:$RECV_PORT"
for sys in $SYSTEMS; do
  "run_$sys"
done

# ---- report -----------------------------------------------------------------------------------------
has() { [[ " $SYSTEMS " == *" $1 "* ]]; }
get() { if has "$1"; then echo "${R[$1.$2]:--}"; else echo "-"; fi; }
row() {  # LABEL METRIC DECIMALS [noratio]
  local n k s
  n=$(get nginx "$2"); k=$(get kannel "$2"); s=$(get smsgw "$2")
  local rk=- rn=-
  if [[ ${4:-} != noratio ]]; then rk=$(ratio "$s" "$k"); rn=$(ratio "$s" "$n"); fi
  printf '%-38s %12s %12s %12s %13s %12s\n' "$1" "$(fmt "$n" "$3")" "$(fmt "$k" "$3")" "$(fmt "$s" "$3")" "$rk" "$rn"
}
echo
echo "==== results (wrk $DURATION per system, $CONNECTIONS connections; CPU over load + drain)"
printf '%-38s %12s %12s %12s %13s %12s\n' "" nginx kannel smsgw smsgw/kannel smsgw/nginx
rows() {  # ROW_FUNCTION: the table's rows, through ROW_FUNCTION LABEL METRIC DECIMALS [noratio]
  local fn=$1
  $fn "accepted/s" accepted_s 0
  $fn "delivered+called back/s" delivered_s 0
  $fn "accept p50 ms" p50_ms 2
  $fn "accept p99 ms" p99_ms 2
  $fn "CPU s / 1000 msgs (the system)" k_sys 3
  $fn "CPU s / 1000 msgs (SMSC simulator)" k_sim 3
  $fn "CPU s / 1000 msgs (callback receiver)" k_recv 3
  $fn "CPU s / 1000 requests (wrk)" k_wrk 3
  $fn "accepted (2xx)" ok_2xx 0 noratio
  $fn "non-2xx answers" non_2xx 0 noratio
  $fn "socket errors" socket_errors 0 noratio
  $fn "messages with the final callback" cb_final 0 noratio
  $fn "messages with both callbacks" cb_both 0 noratio
  $fn "callback requests" cb_lines 0 noratio
  $fn "submit_sm at the SMSC" smsc_submits 0 noratio
  $fn "receipts sent by the SMSC" smsc_receipts 0 noratio
  $fn "first request to last callback, s" span_s 1 noratio
  $fn "CPU s, the system" cpu_sys 2 noratio
  $fn "CPU s, everything else on the machine" cpu_other 2 noratio
  $fn "measured window, s" window_s 1 noratio
  $fn "machine idle before, %" idle 0 noratio
}
rows row
has kannel && echo "kannel: ${R[kannel.check]}"
has smsgw && echo "smsgw:  ${R[smsgw.check]}"

alone_row() {  # SYS LABEL
  has "$1" || return 0
  printf '%-38s %12s %12s %12s %12s\n' "$2" "$(fmt "${R[$1.accepted_s]}" 0)" \
    "$(fmt "${R[$1.p50_ms]}" 2)" "$(fmt "${R[$1.p99_ms]}" 2)" "$(ratio "${R[$1.accepted_s]}" "$(get nginx accepted_s)")"
}
if has smsgw-api || has smsgw-accept; then
  echo
  echo "==== smsgw accepting alone (one recipient per POST, no callback; wrk $DURATION, $CONNECTIONS connections)"
  printf '%-38s %12s %12s %12s %12s\n' "" accepted/s "p50 ms" "p99 ms" "/ nginx"
  alone_row smsgw-api "API-only node (no connector)"
  alone_row smsgw-accept "embedded SMSC delivering meanwhile"
  for sys in smsgw-api smsgw-accept; do
    has "$sys" && echo "$sys: ${R[$sys.check]}"
  done
fi

# The PostgreSQL systems on the same rows, with their ratios to Kannel where smsgw has one (when
# Kannel ran); then what their CPU counted.
pg_row() {  # LABEL METRIC DECIMALS [noratio]
  local k p1 p2 line r1=- r2=-
  k=$(get kannel "$2"); p1=$(get smsgw-pg "$2"); p2=$(get smsgw-pg2 "$2")
  printf -v line '%-38s %12s %12s' "$1" "$(fmt "$p1" "$3")" "$(fmt "$p2" "$3")"
  if has kannel; then
    if [[ ${4:-} != noratio ]]; then r1=$(ratio "$p1" "$k"); r2=$(ratio "$p2" "$k"); fi
    printf -v line '%s %16s %17s' "$line" "$r1" "$r2"
  fi
  echo "$line"
}
if has smsgw-pg || has smsgw-pg2; then
  echo
  echo "==== smsgw on PostgreSQL, durable (smsgw's work; wrk $DURATION, $CONNECTIONS connections; smsgw-pg2: 2 nodes, 1 bind each)"
  echo "     the system's CPU: the serve node(s) and every process of the PostgreSQL cluster (the postmaster,"
  echo "     its live children and, through its cutime/cstime, those that exited)"
  if has kannel; then
    printf '%-38s %12s %12s %16s %17s\n' "" smsgw-pg smsgw-pg2 smsgw-pg/kannel smsgw-pg2/kannel
  else
    printf '%-38s %12s %12s\n' "" smsgw-pg smsgw-pg2
  fi
  rows pg_row
  pg_row "CPU s / 1000 msgs (PostgreSQL part)" k_pg 3 noratio
  for sys in smsgw-pg smsgw-pg2; do
    has "$sys" && echo "$sys: ${R[$sys.check]}"
  done
fi

# Sanity: every accepted message must have been called back twice.
status=0
for sys in kannel smsgw smsgw-pg smsgw-pg2; do
  has "$sys" || continue
  accepted=${R[$sys.ok_2xx]}
  [[ $sys == smsgw* ]] && accepted=${R[$sys.stored]}
  both=${R[$sys.cb_both]}
  if (( both < ${R[$sys.ok_2xx]} )); then
    echo "FAIL: $sys: ${R[$sys.cb_both]} messages called back twice, fewer than the ${R[$sys.ok_2xx]} answered 2xx" >&2
    status=1
  elif (( both < accepted )); then
    echo "FAIL: $sys: ${R[$sys.cb_both]} messages called back twice of $accepted stored" >&2
    status=1
  fi
  if (( ${R[$sys.non_2xx]} > 0 )); then
    echo "WARN: $sys answered ${R[$sys.non_2xx]} requests with a non-2xx status" >&2
  fi
done
# Accepting alone: every 2xx stored, and nothing but 2xx.
for sys in smsgw-api smsgw-accept; do
  has "$sys" || continue
  if (( ${R[$sys.stored]} < ${R[$sys.ok_2xx]} )); then
    echo "FAIL: $sys: ${R[$sys.stored]} messages stored, fewer than the ${R[$sys.ok_2xx]} answered 2xx" >&2
    status=1
  fi
  if (( ${R[$sys.non_2xx]} > 0 )); then
    echo "FAIL: $sys answered ${R[$sys.non_2xx]} requests with a non-2xx status" >&2
    status=1
  fi
done
echo "total run time: ${SECONDS}s"
exit "$status"
