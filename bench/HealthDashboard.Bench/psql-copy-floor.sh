#!/usr/bin/env bash
# The PostgreSQL floor under bench part 3's import, measured with psql alone (no .NET): the rows and the roll-up groups
# that part 3's last PostgreSQL round left in hd_bench_import, exported once in binary COPY format, then loaded by
# psql's binary \copy into copies of "Usage" and "UsageDaily" with and without their indexes, three rounds, beside
# psql's CSV \copy of the usage.csv those rows came from into a bare table of text columns (part 3's denominator).
# Part 3's last PostgreSQL round imports the one-day file (usage-day/usage.csv, the default here); for another file,
# pass it and a database that holds exactly its import.
#
#   bash bench/HealthDashboard.Bench/psql-copy-floor.sh [usage.csv [database]]
#
# Needs the server of scripts/test-postgres.sh (127.0.0.1:55432) and a run of part 3 before (hd_bench_import).
set -euo pipefail
S="-X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p ${HEALTHDASHBOARD_PG_PORT:-55432} -U postgres"
CSV=${1:-${TMPDIR:-/tmp}/healthdashboard-bench/csv-a10000-u100000-e40-r1000000-s20261101-g2/usage-day/usage.csv}
DB=${2:-hd_bench_import}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
U=$work/usage.bin; D=$work/daily.bin
psql $S -d "$DB" \
  -c "\\copy (SELECT \"Id\", \"AccountId\", \"UserId\", \"EventTypeId\", \"Timestamp\", \"Count\" FROM \"Usage\" ORDER BY \"Id\") TO '$U' (FORMAT binary)" \
  -c "\\copy (SELECT \"Day\", \"AccountId\", \"EventTypeId\", \"UserId\", \"AtMidnight\", \"Count\", \"LastTimestamp\" FROM \"UsageDaily\" ORDER BY 1, 2, 3, 4, 5) TO '$D' (FORMAT binary)"
psql $S -d postgres -c "DROP DATABASE IF EXISTS hd_bench_copy_floor WITH (FORCE)" -c "CREATE DATABASE hd_bench_copy_floor"
P="psql $S -d hd_bench_copy_floor"
# The two tables' shapes, from the app's schema (pg_dump of hd_bench_import's definitions).
pg_dump -h 127.0.0.1 -p "${HEALTHDASHBOARD_PG_PORT:-55432}" -U postgres -s -t '"Usage"' -t '"UsageDaily"' "$DB" | $P >/dev/null
t() { local name=$1; shift; local s; s=$(date +%s%N); "$@"; echo "$name $(( ($(date +%s%N) - s) / 1000000 )) ms"; }
for round in 1 2 3; do
  $P -c 'DROP TABLE IF EXISTS u_bare, u_brin, d_bare, d_pk, csv_bare, u_all, d_all' \
     -c 'CREATE TABLE u_bare (LIKE "Usage")' -c 'CREATE TABLE u_brin (LIKE "Usage" INCLUDING INDEXES)' \
     -c 'CREATE TABLE d_bare (LIKE "UsageDaily")' -c 'CREATE TABLE d_pk (LIKE "UsageDaily" INCLUDING INDEXES)' \
     -c 'CREATE TABLE u_all (LIKE "Usage" INCLUDING INDEXES)' -c 'CREATE TABLE d_all (LIKE "UsageDaily" INCLUDING INDEXES)' \
     -c 'CREATE TABLE csv_bare (account_id text, user_id text, event_type text, timestamp text, count text)' -c CHECKPOINT
  echo "round $round (load $(cut -d' ' -f1-3 /proc/loadavg))"
  t "  CSV \\copy of usage.csv, bare table of text columns" $P -c "\\copy csv_bare FROM '$CSV' WITH (FORMAT csv, HEADER true)"
  t "  usage rows, binary, bare" $P -c "\\copy u_bare FROM '$U' WITH (FORMAT binary)"
  t "  usage rows, binary, BRIN (time, id)" $P -c "\\copy u_brin FROM '$U' WITH (FORMAT binary)"
  t "  roll-up groups, binary, bare" $P -c "\\copy d_bare FROM '$D' WITH (FORMAT binary)"
  t "  roll-up groups, binary, PK_UsageDaily" $P -c "\\copy d_pk FROM '$D' WITH (FORMAT binary)"
  t "  both, one transaction, with their indexes" $P -c 'BEGIN' -c "\\copy u_all FROM '$U' WITH (FORMAT binary)" -c "\\copy d_all FROM '$D' WITH (FORMAT binary)" -c COMMIT
done
psql $S -d postgres -c "DROP DATABASE hd_bench_copy_floor WITH (FORCE)"
