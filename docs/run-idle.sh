#!/usr/bin/env bash
# Idle cost and first delivery after idle, production mode, on a private redis-server:
#   docs/run-idle.sh BINDIR LABEL   (BINDIR holds server, worker and loadtest built from ./cmd)
# Starts server + worker, waits 15 s, measures the CPU of server, worker, that Redis and the
# PostgreSQL backends of its database over 60 s of idleness (/proc/<pid>/stat), then one file
# (the first delivery after idle) and, with PACED=1, 500 files at 50/s.
RPORT=${RPORT:-16399}; redis-server --port $RPORT --save "" --appendonly no --daemonize no >/dev/null 2>&1 & RPID=$!; sleep 0.5
set -uo pipefail
bin=$1; label=$2; port=${PORT:-18391}
token=bench-admin-token-$(date +%s)-$(openssl rand -hex 8)
db=scoopa_wake_$$_$label
export SCOOPA_ADMIN_TOKEN=$token SCOOPA_HTTP_ADDR=127.0.0.1:$port SCOOPA_PUBLIC_URL=http://127.0.0.1:$port \
  SCOOPA_RATE_LIMIT=0 SCOOPA_LOG_LEVEL=warn SCOOPA_METRICS_ADDR=off SCOOPA_ALLOW_PRIVATE_TARGETS=true \
  SCOOPA_DATA_DIR=$(mktemp -d)
psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $db"
export SCOOPA_DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db?sslmode=disable" \
  SCOOPA_REDIS_URL=redis://127.0.0.1:$RPORT/0 SCOOPA_QUEUE=wake$$$label SCOOPA_SECRET_KEY=bench-secret-key-0123456789abcdef-0123
"$bin/server" >${TMPDIR:-/tmp}/$label.server.log 2>&1 & server=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
"$bin/worker" >${TMPDIR:-/tmp}/$label.worker.log 2>&1 & worker=$!
sleep 15
ticks() { awk '{print $14+$15}' /proc/$1/stat 2>/dev/null || echo 0; }
pgsum() { local t=0; for p in $(psql -h 127.0.0.1 -U postgres -Atc "select pid from pg_stat_activity where datname='$db'"); do t=$((t+$(ticks $p))); done; echo $t; }
rpid=$RPID
s0=$(ticks $server); w0=$(ticks $worker); r0=$(ticks $rpid); p0=$(pgsum); t0=$(date +%s.%N)
sleep 60
s1=$(ticks $server); w1=$(ticks $worker); r1=$(ticks $rpid); p1=$(pgsum); t1=$(date +%s.%N)
hz=$(getconf CLK_TCK)
echo "$label idle 60s: server $(echo "scale=3;($s1-$s0)*100/$hz/($t1-$t0)"|bc)% worker $(echo "scale=3;($w1-$w0)*100/$hz/($t1-$t0)"|bc)% redis(private) $(echo "scale=3;($r1-$r0)*100/$hz/($t1-$t0)"|bc)% postgres(our backends) $(echo "scale=3;($p1-$p0)*100/$hz/($t1-$t0)"|bc)%"
# first delivery after idle: one file
"$bin/loadtest" -url "http://127.0.0.1:$port" -token "$token" -server-pid "$server" -worker-pid "$worker" -timeout 1m -files ${FIRST:-1} -rate 1 2>/dev/null 
if [ -n "${PACED:-}" ]; then
  "$bin/loadtest" -url "http://127.0.0.1:$port" -token "$token" -server-pid "$server" -worker-pid "$worker" -timeout 3m -files 500 -rate 50 2>/dev/null
fi
kill $server $worker; wait $server $worker 2>/dev/null; kill $RPID
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"

