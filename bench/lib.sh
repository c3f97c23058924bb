# Shared by the bench scripts (sourced): the script's own die(), WORK, PORT (and PORTS), SID, KEY
# and CONNECTIONS are the caller's.

# terminate PID: SIGTERM, up to 20 s to exit, then SIGKILL; returns the process's exit status.
terminate() {
  local pid=$1 code=0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "pid $pid ignored SIGTERM for 20 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || code=$?
  return "$code"
}

# wait_line FILE SED_EXPR: prints the first capture once FILE has a matching line (30 s).
wait_line() {
  local v=
  for _ in $(seq 1 300); do
    v=$(sed -n "$2" "$1" 2>/dev/null | head -1)
    [[ -n $v ]] && { echo "$v"; return 0; }
    sleep 0.1
  done
  cat "$1" >&2
  die "no line matching $2 in $1"
}

# wait_bound URL CONNECTOR: until two nodes on the PostgreSQL store URL each lease one of
# CONNECTOR's two bind slots (1 minute at most); a node alone at first leases both, and gives one
# back once it sees the other.
wait_bound() {
  local nodes
  for _ in $(seq 1 600); do
    nodes=$(psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "select count(distinct split_part(owner, '/', 1)) from bind_leases where connector = '$2' and expires_at > (extract(epoch from clock_timestamp()) * 1000)::bigint")
    (( nodes == 2 )) && return 0
    sleep 0.1
  done
  die "the two nodes did not share the connector's binds within a minute"
}

# post_messages COUNT TYPE TEXT: COUNT messages to 100 distinct numbers a request (a request sends
# a repeated number once), CONNECTIONS requests at a time, from one curl process (wrk cannot stop
# after a number of requests); every request must be answered 200. The requests go to PORT, or
# in turn to each of the ports in PORTS (space-separated: the nodes of a cluster) when it is set.
post_messages() {
  local requests=$(( $1 / 100 ))
  local to ports
  to=$(for i in $(seq 10000 10099); do printf '"+9198765%s",' "$i"; done)
  printf '{"to":[%s],"sender":"BENCH","type":"%s","body":"%s"}' "${to%,}" "$2" "$3" \
    >"$WORK/body.json"
  read -r -a ports <<<"${PORTS:-$PORT}"
  for ((i = 0; i < requests; i++)); do
    echo "http://127.0.0.1:${ports[i % ${#ports[@]}]}/v1/$SID/messages"
  done >"$WORK/urls"
  xargs -a "$WORK/urls" curl -sS -Z --parallel-max "$CONNECTIONS" -H "api-key: $KEY" \
    -H 'Content-Type: application/json' --data-binary @"$WORK/body.json" \
    -w '\n%{http_code}\n' >"$WORK/post.out" 2>"$WORK/post.err" || true
  local ok
  ok=$(grep -c '^200$' "$WORK/post.out" || true)
  (( ok == requests )) || { cat "$WORK/post.err" >&2; die "only $ok of $requests requests answered 200"; }
}

# carrier_toml PORT WINDOW TPS: a config whose one connector, "carrier", binds an SMSC on
# 127.0.0.1:PORT (the embedded simulator off); TPS 0 is unthrottled.
carrier_toml() {
  cat <<TOML
[simulator]
enabled = false

[[smsc]]
name = "carrier"
host = "127.0.0.1"
port = $1
system_id = "smsgw"
password = "smsgw"
window = $2
tps = $3
TOML
}
