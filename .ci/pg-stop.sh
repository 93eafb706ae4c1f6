#!/usr/bin/env bash
# Stops the PostgreSQL started by pg-start.sh (PG_TMP, PG_BIN in the environment) and removes it.
set -u
[ -n "${PG_TMP:-}" ] && [ -d "$PG_TMP/data" ] || exit 0
if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m fast -w stop >/dev/null 2>&1
else "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m fast -w stop >/dev/null 2>&1; fi
rm -rf "$PG_TMP"
