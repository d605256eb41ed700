#!/usr/bin/env bash
# Runs the four load scenarios of docs/BENCHMARKS.md against a fresh system
# on this machine, in production mode (PostgreSQL + Redis, separate worker)
# or embedded mode. Loopback only; every run is bounded in count and time.
#
#   docs/run-benchmarks.sh production   # needs PostgreSQL and Redis on 127.0.0.1
#   docs/run-benchmarks.sh embedded
#   docs/run-benchmarks.sh production limits   # only the delivery-limit scenario
#   docs/run-benchmarks.sh production compare REV [ROUNDS]
#       the two throughput scenarios and the paced one with the server and
#       worker built from git revision REV and from the work tree,
#       alternately, ROUNDS times (1)
#
# In production mode the load tool also reports the CPU time of the
# benchmark database's PostgreSQL backends and of redis-server.
set -euo pipefail
mode=${1:?usage: $0 production|embedded [limits | compare REV [ROUNDS]]}
only=${2:-}
cd "$(dirname "$0")/.."
bin=$(mktemp -d)
go build -o "$bin/server" ./cmd/server
go build -o "$bin/worker" ./cmd/worker
go build -o "$bin/loadtest" ./cmd/loadtest
go build -o "$bin/floor" ./docs/floor
new=$bin
if [ "$only" = compare ]; then
  rev=${3:?usage: $0 production compare REV [ROUNDS]}
  old=$(mktemp -d); src=$(mktemp -d)
  git archive "$rev" | tar -x -C "$src"
  (cd "$src" && go build -o "$old/server" ./cmd/server && go build -o "$old/worker" ./cmd/worker)
  rm -rf "$src"
fi
port=18290
token=bench-admin-token-$(date +%s)-$(openssl rand -hex 8)

start() { # start [extra env...]: a fresh system
  export SCOOPA_ADMIN_TOKEN=$token SCOOPA_HTTP_ADDR=127.0.0.1:$port SCOOPA_PUBLIC_URL=http://127.0.0.1:$port \
    SCOOPA_RATE_LIMIT=0 SCOOPA_LOG_LEVEL=warn SCOOPA_METRICS_ADDR=off SCOOPA_ALLOW_PRIVATE_TARGETS=true \
    SCOOPA_DATA_DIR=$(mktemp -d) "$@"
  if [ "$mode" = production ]; then
    db=scoopa_bench_$$
    psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    export SCOOPA_DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db?sslmode=disable" \
      SCOOPA_REDIS_URL=redis://127.0.0.1:6379/0 SCOOPA_QUEUE=bench$$ SCOOPA_SECRET_KEY=bench-secret-key-0123456789abcdef-0123
  fi
  "$sys/server" >"$bin/server.log" 2>&1 & server=$!
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
  worker=$server
  if [ "$mode" = production ]; then "$sys/worker" >"$bin/worker.log" 2>&1 & worker=$!; sleep 1; fi
}
stop() {
  kill "$server" 2>/dev/null || true
  [ "$worker" = "$server" ] || kill "$worker" 2>/dev/null || true
  wait 2>/dev/null || true
  if [ "$mode" = production ]; then
    psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
    redis-cli --scan --pattern "asynq:{bench$$}:*" | xargs -r redis-cli del >/dev/null
    redis-cli --scan --pattern "scoopa:{bench$$}*" | xargs -r redis-cli del >/dev/null
  fi
}
run() { # run NAME loadtest-args...
  local name=$1; shift
  echo "== $mode: $name: loadtest $*"
  local backends=()
  [ "$mode" = production ] && backends=(-pg-url "$SCOOPA_DATABASE_URL" -redis-url "$SCOOPA_REDIS_URL")
  "$bin/loadtest" -url "http://127.0.0.1:$port" -token "$token" -server-pid "$server" -worker-pid "$worker" -timeout 5m "${backends[@]}" "$@" 2>/dev/null || true
  # What one upload's file cost the kernel in this run's data dir: on ext4
  # it depends on the block group the directory landed in (docs/BENCHMARKS.md,
  # "The floor").
  echo "data dir:    $("$bin/floor" file "$SCOOPA_DATA_DIR" 500 2>&1 | sed 's/^500 blobs of 1 KiB under [^:]*: //')"
  echo
}
sys=$new
trap stop EXIT

if [ "$only" = compare ]; then
  for round in $(seq "${4:-1}"); do
    for side in old new; do
      sys=${!side}
      start; run "round $round, $side ($([ $side = old ] && echo "$rev" || echo work tree)): 2,000 files to 1 webhook" -files 2000 -concurrency 16; stop
    done
    for side in old new; do
      sys=${!side}
      start; run "round $round, $side: 500 files to 20 webhooks" -files 500 -webhooks 20 -concurrency 16; stop
    done
    for side in old new; do
      sys=${!side}
      start; run "round $round, $side: 500 files paced at 50/s" -files 500 -rate 50; stop
    done
  done
  trap - EXIT
  exit 0
fi

if [ "$only" = limits ]; then
  start; run "1,000 files to 2 webhooks, webhook 0 limited to 20 requests/s" -files 1000 -webhooks 2 -limit-rate 20; stop
  start; run "the same 1,000 files to the unlimited webhook alone" -files 1000 -webhooks 1; stop
  trap - EXIT
  exit 0
fi
start; run "2,000 files to 1 webhook, as fast as accepted" -files 2000 -concurrency 16; stop
start; run "500 files to 20 webhooks" -files 500 -webhooks 20 -concurrency 16; stop
start; run "500 files paced at 50/s" -files 500 -rate 50; stop
start SCOOPA_RETRY_DELAYS=1s,1s,1s; run "200 files whose first attempt fails, retry delay 1s" -files 200 -fail-first; stop
trap - EXIT
