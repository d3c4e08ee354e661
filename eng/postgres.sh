#!/usr/bin/env bash
# Starts or stops a throw-away PostgreSQL 15 server for the store tests.
#   eng/postgres.sh start [STATE_DIR]   prints the connection string (e.g. for BACKPACK_TEST_POSTGRES)
#   eng/postgres.sh stop  [STATE_DIR]
# Installs the Debian package when initdb is missing. The server runs as the 'postgres' user (when run as
# root) with trust authentication, listens on 127.0.0.1 only, on a free random port, with fsync off.
# STATE_DIR (default /tmp/backpack-pg) keeps the connection string and where the data lives; the data
# itself lives in a fresh directory under /tmp that the postgres user can reach.
#   export BACKPACK_TEST_POSTGRES="$(eng/postgres.sh start)"; dotnet test ...; eng/postgres.sh stop
set -euo pipefail
STATE="${2:-${BACKPACK_PG_STATE:-/tmp/backpack-pg}}"
BIN=/usr/lib/postgresql/15/bin
as_pg() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$1"; else bash -c "$1"; fi
}
case "${1:-}" in
  start)
    if [ ! -x "$BIN/initdb" ]; then
      { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql; } >&2
    fi
    mkdir -p "$STATE"
    if [ -f "$STATE/conn" ] && [ -f "$STATE/datadir" ] && [ -f "$(cat "$STATE/datadir")/data/postmaster.pid" ]; then
      cat "$STATE/conn"; exit 0
    fi
    DIR=$(mktemp -d /tmp/backpack-pg.XXXXXX)
    chmod 755 "$DIR"
    if [ "$(id -u)" = 0 ]; then chown postgres "$DIR"; fi
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
    as_pg "$BIN/initdb -D $DIR/data -A trust -U backpack >$DIR/initdb.log 2>&1 && $BIN/pg_ctl -D $DIR/data -o '-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off' -l $DIR/log -w start >/dev/null" >&2
    echo "$DIR" > "$STATE/datadir"
    echo "Host=127.0.0.1;Port=$PORT;Username=backpack" > "$STATE/conn"
    cat "$STATE/conn"
    ;;
  stop)
    if [ -f "$STATE/datadir" ]; then
      DIR=$(cat "$STATE/datadir")
      if [ -d "$DIR/data" ]; then as_pg "$BIN/pg_ctl -D $DIR/data -m fast stop" >/dev/null 2>&1 || true; fi
      rm -rf "$DIR"
      rm -f "$STATE/datadir" "$STATE/conn"
    fi
    ;;
  *)
    echo "usage: $0 start|stop [STATE_DIR]" >&2; exit 2;;
esac
