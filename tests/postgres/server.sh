#!/bin/sh
# A throwaway PostgreSQL cluster for the tests (CTest fixture `postgres`, tests/postgres/CMakeLists.txt):
#   server.sh start DIR [durable]  initdb into DIR/data and start it listening on a Unix socket in
#                                  DIR only
#   server.sh stop DIR             stop it (pg_ctl, by the PID in its postmaster.pid), remove DIR
# The superuser is `smsgw` with trust authentication, and a database `smsgw` is created: connect
# with "postgresql:///smsgw?host=DIR&user=smsgw". No TCP port is opened. The server refuses to
# run as root, so under root it runs as the `postgres` system user (Debian's postgresql package
# creates it). fsync is off unless `durable` is given: the tests kill processes, not the machine;
# benchmarks (src/store/postgres/postgres_store_bench.cpp) measure with PostgreSQL's defaults.
set -eu
cmd=${1:?usage: server.sh start|stop DIR [durable]}
dir=${2:?usage: server.sh start|stop DIR [durable]}
durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
if [ "${3:-}" = durable ]; then
  durability=""
fi

bindir=$(pg_config --bindir 2>/dev/null || true)
if [ ! -x "$bindir/initdb" ]; then
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
if [ ! -x "$bindir/initdb" ]; then
  echo "server.sh: no PostgreSQL server (initdb) found; install Debian's postgresql" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

stop() {
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bindir/pg_ctl" stop -D "$dir/data" -m immediate -w >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case $cmd in
  start)
    stop  # a cluster left by an interrupted run
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
      chown postgres "$dir"
    fi
    as_owner "$bindir/initdb" -D "$dir/data" -U smsgw --auth=trust -E UTF8 --locale=C.UTF-8 \
      --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bindir/pg_ctl" start -D "$dir/data" -w -t 60 -l "$dir/server.log" \
      -o "-c listen_addresses= -c unix_socket_directories=$dir $durability -c max_connections=300" \
      >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    as_owner "$bindir/createdb" -h "$dir" -U smsgw smsgw
    ;;
  stop)
    stop
    ;;
  *)
    echo "server.sh: unknown command '$cmd'" >&2
    exit 2
    ;;
esac
