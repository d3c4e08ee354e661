#!/usr/bin/env bash
# Starts or stops a throw-away PostgreSQL 15 server for the store tests.
#   eng/postgres.sh start   -> prints the connection string (also written to $STATE/conn)
#   eng/postgres.sh stop
# Installs the Debian package when initdb is missing. Runs the server as the 'postgres' user, trust
# authentication, listening on 127.0.0.1 only, on a free random port. State lives in
# ${BACKPACK_PG_STATE:-/tmp/backpack-pg}; export BACKPACK_TEST_POSTGRES="$(eng/postgres.sh start)".
set -euo pipefail
STATE="${BACKPACK_PG_STATE:-/tmp/backpack-pg}"
BIN=/usr/lib/postgresql/15/bin
run_as_pg() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$1"; else bash -c "$1"; fi
}
case "${1:-}" in
  start)
    if [ ! -x "$BIN/initdb" ]; then
      { apt-get update && apt-get install -y postgresql; } >&2
    fi
    if [ -f "$STATE/conn" ] && [ -f "$STATE/data/postmaster.pid" ]; then
      cat "$STATE/conn"; exit 0
    fi
    rm -rf "$STATE"; mkdir -p "$STATE"
    if [ "$(id -u)" = 0 ]; then chown postgres "$STATE"; fi
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
    run_as_pg "$BIN/initdb -D $STATE/data -A trust -U backpack >$STATE/initdb.log 2>&1 && $BIN/pg_ctl -D $STATE/data -o '-p $PORT -k $STATE -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off' -l $STATE/log -w start >/dev/null" >&2
    echo "Host=127.0.0.1;Port=$PORT;Username=backpack" > "$STATE/conn"
    chmod a+r "$STATE/conn" || true
    cat "$STATE/conn"
    ;;
  stop)
    if [ -d "$STATE/data" ]; then
      run_as_pg "$BIN/pg_ctl -D $STATE/data -m fast stop" >&2 || true
    fi
    rm -rf "$STATE"
    ;;
  *)
    echo "usage: $0 start|stop" >&2; exit 2;;
esac
