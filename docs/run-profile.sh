#!/usr/bin/env bash
# Where a paced delivery's time goes: one run of files paced at RATE per
# second to one webhook, in production mode, on a private PostgreSQL
# cluster started for the purpose with pg_stat_statements loaded (it needs
# shared_preload_libraries, which the machine's own cluster does not have).
# Redis is private too (a redis-server of its own), so that its commands
# can be counted. Needs PostgreSQL's binaries (initdb, pg_ctl) and
# redis-server.
#
#   docs/run-profile.sh [RATE] [FILES] [REV]
#       RATE per second (50), FILES uploads (1500); REV: build the server
#       and worker from that git revision instead of the work tree
#   PROFILE_SQL='DROP INDEX …' docs/run-profile.sh
#       runs that SQL on the system's database once its schema is in place,
#       before the load: to try what an index or a setting costs
#   PROFILE_OUT=DIR docs/run-profile.sh
#       also keeps the binaries and the CPU profiles in DIR, for
#       go tool pprof (-top -cum, -list, -web)
#
# Prints the load tool's report (CPU per process, PostgreSQL and Redis
# included), PostgreSQL's statements by execution time (calls and time per
# delivery, planning included), and the top of a CPU profile of the server
# and of the worker taken over the middle of the run. Everything it starts
# (cluster, processes, queue keys) is removed at the end.
set -euo pipefail
rate=${1:-50}
files=${2:-1500}
rev=${3:-}
cd "$(dirname "$0")/.."
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
work=$(mktemp -d)
bin=$work/bin
mkdir -p "$bin"
if [ -n "$rev" ]; then
  src=$work/src; mkdir -p "$src"
  git archive "$rev" | tar -x -C "$src"
  (cd "$src" && go build -o "$bin/server" ./cmd/server && go build -o "$bin/worker" ./cmd/worker)
else
  go build -o "$bin/server" ./cmd/server
  go build -o "$bin/worker" ./cmd/worker
fi
go build -o "$bin/loadtest" ./cmd/loadtest
go build -o "$bin/floor" ./docs/floor

pgport=55$((RANDOM % 400 + 100))
pgdata=$work/pg
port=18$((RANDOM % 400 + 500))
mport=$((port + 1))
rport=$((pgport + 1000))
queue=prof$$
token=profile-admin-token-$(openssl rand -hex 12)
server=; worker=; as_pg=()
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  [ -n "$worker" ] && kill "$worker" 2>/dev/null || true
  wait 2>/dev/null || true
  [ -d "$pgdata" ] && "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdata" -m immediate stop >/dev/null 2>&1 || true
  redis-cli -p "$rport" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# The private cluster: the machine's defaults, pg_stat_statements loaded,
# planning tracked; trust auth on a port of its own. PostgreSQL refuses to
# run as root: then it runs as the postgres user.
as_pg=()
if [ "$(id -u)" = 0 ]; then
  as_pg=(runuser -u postgres --)
  chmod 755 "$work"; mkdir -p "$pgdata"; chown postgres "$pgdata"
fi
"${as_pg[@]}" "$pgbin/initdb" -D "$pgdata" -U postgres -A trust >/dev/null
"${as_pg[@]}" tee -a "$pgdata/postgresql.conf" >/dev/null <<EOF
port = $pgport
listen_addresses = '127.0.0.1'
unix_socket_directories = '$pgdata'
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track_planning = on
pg_stat_statements.max = 2000
EOF
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdata" -l "$pgdata/log" -w start >/dev/null
redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --dir "$work" --logfile "$work/redis.log" --pidfile "$work/redis.pid" >/dev/null
for _ in $(seq 50); do redis-cli -p "$rport" ping >/dev/null 2>&1 && break; sleep 0.1; done
psql() { command psql -X -q -h 127.0.0.1 -p "$pgport" -U postgres "$@"; }
psql -c "CREATE DATABASE scoopa" -c "CREATE EXTENSION pg_stat_statements"
psql -d scoopa -c "CREATE EXTENSION pg_stat_statements"

export SCOOPA_ADMIN_TOKEN=$token SCOOPA_HTTP_ADDR=127.0.0.1:$port SCOOPA_PUBLIC_URL=http://127.0.0.1:$port \
  SCOOPA_RATE_LIMIT=0 SCOOPA_LOG_LEVEL=warn SCOOPA_ALLOW_PRIVATE_TARGETS=true SCOOPA_PPROF=true \
  SCOOPA_DATA_DIR=$work/data SCOOPA_DATABASE_URL="postgres://postgres@127.0.0.1:$pgport/scoopa?sslmode=disable" \
  SCOOPA_REDIS_URL=redis://127.0.0.1:$rport/0 SCOOPA_QUEUE=$queue SCOOPA_SECRET_KEY=profile-secret-key-0123456789abcdef-01
SCOOPA_METRICS_ADDR=off "$bin/server" >"$work/server.log" 2>&1 & server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
SCOOPA_METRICS_ADDR=127.0.0.1:$mport "$bin/worker" >"$work/worker.log" 2>&1 & worker=$!
sleep 1
if [ -n "${PROFILE_SQL:-}" ]; then
  echo "== PROFILE_SQL: $PROFILE_SQL"
  psql -d scoopa -c "$PROFILE_SQL"
fi
psql -d scoopa -c "SELECT pg_stat_statements_reset()" -c "SELECT pg_stat_reset()" >/dev/null
redis-cli -p "$rport" config resetstat >/dev/null

secs=$((files / rate))
window=$((secs / 2 > 1 ? secs / 2 : 1))
(sleep $((secs / 4 + 1))
 curl -sf -o "$work/server.prof" "http://127.0.0.1:$port/debug/pprof/profile?seconds=$window" &
 curl -sf -o "$work/worker.prof" "http://127.0.0.1:$mport/debug/pprof/profile?seconds=$window" &
 wait) &
profiler=$!
echo "== $files files paced at $rate/s to one webhook${rev:+ (server and worker of $rev)}"
"$bin/loadtest" -url "http://127.0.0.1:$port" -token "$token" -server-pid "$server" -worker-pid "$worker" \
  -pg-url "$SCOOPA_DATABASE_URL" -redis-url "$SCOOPA_REDIS_URL" -timeout 5m -files "$files" -rate "$rate" 2>/dev/null || true
echo "data dir:    $("$bin/floor" file "$SCOOPA_DATA_DIR" 500 2>&1 | sed 's/^500 blobs of 1 KiB under [^:]*: //') (the blob floor in this run's data dir)"
wait "$profiler" || true

echo
echo "== PostgreSQL statements of the run, by execution + planning time (per delivery: divided by $files)"
psql -d scoopa -P pager=off -c "
SELECT round((total_exec_time + total_plan_time)::numeric, 0) AS ms,
       round(total_plan_time::numeric, 0) AS plan_ms,
       round(((total_exec_time + total_plan_time) * 1000 / $files)::numeric, 1) AS us_per_delivery,
       round((calls::numeric / $files), 2) AS calls_per_delivery,
       round((shared_blks_dirtied::numeric / $files), 2) AS dirtied_per_delivery,
       round((wal_bytes / $files)::numeric, 0) AS wal_b_per_delivery,
       left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS statement
FROM pg_stat_statements
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'scoopa')
ORDER BY total_exec_time + total_plan_time DESC LIMIT 25"
psql -d scoopa -At -c "
SELECT 'all statements: ' || round(sum(total_exec_time + total_plan_time)::numeric, 0) || ' ms, ' ||
       round(sum(calls)::numeric / $files, 1) || ' per delivery, ' ||
       round((sum(wal_bytes) / $files)::numeric, 0) || ' WAL bytes per delivery'
FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'scoopa')"
psql -d scoopa -At -c "SELECT 'transactions: ' || round(xact_commit::numeric / $files, 2) || ' commits per delivery' FROM pg_stat_database WHERE datname = 'scoopa'"
echo
echo "== Redis commands of the run (per delivery: divided by $files)"
redis-cli -p "$rport" info commandstats | tr -d '\r' | awk -F'[:=,]' -v n="$files" '
  /^cmdstat_/ { sub("cmdstat_", "", $1); printf "%-22s %8d calls %6.2f per delivery %8.1f us each\n", $1, $3, $3 / n, $7 }' | sort -k4 -rn | head -20
echo
echo "== Tables: sequential scans and the rows they read, index scans, HOT updates"
psql -d scoopa -P pager=off -c "
SELECT relname, seq_scan, seq_tup_read, idx_scan, n_tup_ins, n_tup_upd, n_tup_hot_upd
FROM pg_stat_user_tables WHERE n_tup_ins + n_tup_upd + seq_scan > 0 ORDER BY seq_tup_read DESC LIMIT 8"
psql -d scoopa -At -c "SELECT 'autovacuum/analyze runs: ' || coalesce(sum(autovacuum_count + autoanalyze_count), 0) FROM pg_stat_user_tables"

if [ -n "${PROFILE_OUT:-}" ]; then
  mkdir -p "$PROFILE_OUT"
  cp "$bin/server" "$bin/worker" "$PROFILE_OUT/"
  cp "$work"/*.prof "$PROFILE_OUT/" 2>/dev/null || true
  psql -d scoopa -At -c "SELECT round(total_exec_time::numeric / calls, 3) || ' ms mean, ' || calls || ' calls: ' || query
    FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'scoopa') AND calls > 0
    ORDER BY total_exec_time DESC LIMIT 10" >"$PROFILE_OUT/statements.txt"
fi
for p in server worker; do
  echo
  echo "== $p: CPU profile over ${window}s of the run (go tool pprof -top)"
  if [ -s "$work/$p.prof" ]; then
    go tool pprof -top -nodecount=25 "$bin/$p" "$work/$p.prof" 2>/dev/null | sed -n '1,32p'
  else
    echo "(no profile)"
  fi
done
