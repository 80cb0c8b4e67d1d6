#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server for the tests, on loopback only, and prints the connection string the
# tests read from HEALTHDASHBOARD_TEST_POSTGRES:
#
#   export HEALTHDASHBOARD_TEST_POSTGRES="$(scripts/test-postgres.sh)"
#
# Installs Debian's `postgresql` package when no server binaries are found (any major version: the newest
# /usr/lib/postgresql/*/bin is used). The cluster lives in $HEALTHDASHBOARD_PG_DIR (default
# /tmp/healthdashboard-pg), listens on 127.0.0.1:$HEALTHDASHBOARD_PG_PORT (default 55432) and trusts loopback
# connections (a test server holds nothing worth a password). Its collation is C, byte order as on SQLite.
# Running it again while the server runs just prints the connection string. `scripts/test-postgres.sh stop` stops it.
set -euo pipefail

dir="${HEALTHDASHBOARD_PG_DIR:-/tmp/healthdashboard-pg}"
port="${HEALTHDASHBOARD_PG_PORT:-55432}"

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
bin="$(find_bin)"
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "test-postgres: installing Debian's postgresql package" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
  bin="$(find_bin)"
fi

# initdb and the server refuse to run as root: run them as the package's postgres user then.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-}" = "stop" ]; then
  as_owner "$bin/pg_ctl" -D "$dir/data" stop -m fast >&2 || true
  exit 0
fi

if [ ! -f "$dir/data/PG_VERSION" ]; then
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
fi

if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >&2
fi

echo "Host=127.0.0.1;Port=$port;Username=postgres;Password=postgres"
