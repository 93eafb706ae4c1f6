#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 as the postgres user in a temp dir on a free port.
# Prints "export TEST_DATABASE_URL=…; export PG_TMP=…" for eval. Stop with .ci/pg-stop.sh.
set -euo pipefail
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
[ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL 15 not found in $PG_BIN" >&2; exit 1; }
PG_TMP=$(mktemp -d /tmp/teknikprao-pg.XXXXXX)
chown postgres:postgres "$PG_TMP" 2>/dev/null || true
chmod 700 "$PG_TMP"
PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
as_pg "$PG_BIN/initdb" -D "$PG_TMP/data" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >"$PG_TMP/initdb.log" 2>&1
as_pg "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 60 \
  -o "-p $PORT -k $PG_TMP -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
echo "export PG_TMP=$PG_TMP PG_BIN=$PG_BIN"
echo "export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PORT/postgres"
