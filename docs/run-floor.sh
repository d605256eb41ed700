#!/usr/bin/env bash
# The least the pieces of a delivery cost on this machine, with nothing of
# ours behind them: what the CPU targets of docs/BENCHMARKS.md are up
# against. Needs PostgreSQL and Redis on 127.0.0.1 and pgbench, redis-cli.
#
#   docs/run-floor.sh [RATE]     # paced at RATE per second (50), at full speed one
#                                # at a time, then 16 at a time (a busy system)
#
# - HTTP: one POST of 1 KiB answered 204, between two Go processes over a
#   kept-alive connection (docs/floor): the CPU of the sender (the
#   worker's part of a delivery) and of the receiver (the server's part of
#   an upload), per request.
# - PostgreSQL: the CPU of one backend per statement (pgbench, one
#   connection, prepared): SELECT 1, and the insert of one row committed
#   alone (the least durable write), paced at 3×RATE (a delivery commits at
#   least twice: its call before the upload's answer, its attempt after).
# - Redis: redis-server's CPU per command (INCR, one connection, paced
#   with redis-cli -i), its idle CPU over the same time taken off.
# - The blob: an upload's file stored as the local blob store stores it
#   (a file without a name written in tmp/, then linked under files/), 2,000
#   of 1 KiB, in three fresh directories under $TMPDIR (/tmp), where the
#   benchmark scripts keep the system's data: the CPU, mostly the kernel's,
#   per file stored. On ext4 it depends on the block group the directory
#   landed in, so each directory is printed with its figure.
# - Under load: the same pieces 16 at a time, as fast as they are answered
#   (16 HTTP connections, 16 PostgreSQL clients, 16 Redis clients with
#   redis-benchmark): what a delivery's pieces cost when nothing sleeps.
set -euo pipefail
rate=${1:-50}
cd "$(dirname "$0")/.."
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/floor" ./docs/floor
port=18398
hz=$(getconf CLK_TCK)

post() { # post RATE N [C]: a fresh receiver, floor send RATE N [C] to it, then its figures
  "$bin/floor" serve 127.0.0.1:$port >"$bin/serve.out" & sp=$!
  sleep 0.5
  "$bin/floor" send "http://127.0.0.1:$port/" "$@"
  kill "$sp"; wait "$sp" || true
  cat "$bin/serve.out"
}
echo "== HTTP, one POST of 1 KiB at a time"
for r in "$rate" 1000; do post "$r" $((r * 10)); done
echo "== HTTP, 16 POSTs of 1 KiB at a time, as fast as answered"
post 0 100000 16

echo "== The blob of an upload, stored as the local blob store does, 2,000 in each of three fresh directories"
for _ in 1 2 3; do
  d=$(mktemp -d); "$bin/floor" file "$d" 2000; rm -rf "$d"
done

echo "== PostgreSQL, one connection, the backend's CPU per statement"
db=scoopa_floor_$$
psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $db"
trap 'psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"; rm -rf "$bin"' EXIT
psql -q -h 127.0.0.1 -U postgres "$db" -c "CREATE TABLE t (id bigserial PRIMARY KEY, n int, name text, at timestamptz DEFAULT now())"
echo "SELECT 1;" >"$bin/select.sql"
echo "INSERT INTO t (n, name) VALUES (1, 'file-000123.txt');" >"$bin/insert.sql"
pg() { # pg SCRIPT CLIENTS [RATE]: 10 s of SCRIPT, paced at RATE per second if given
  local script=$1 c=$2 r=${3:-} args=()
  [ -n "$r" ] && args=(-R "$r")
  pgbench -n -h 127.0.0.1 -U postgres -M prepared -f "$bin/$script.sql" "${args[@]}" -T 10 -c "$c" -j "$(( c < 2 ? c : 2 ))" "$db" >"$bin/pgbench.out" 2>&1 &
  local pb=$! pids=""
  for _ in $(seq 20); do
    pids=$(psql -h 127.0.0.1 -U postgres -Atc "SELECT pid FROM pg_stat_activity WHERE datname = '$db' AND application_name = 'pgbench'")
    [ "$(echo "$pids" | grep -c .)" -ge "$c" ] && break; sleep 0.1
  done
  sleep 1
  local t0 t1 tps
  # A backend of the previous run may still be listed while it exits: one
  # gone by now counts nothing.
  ticks() { for p in $pids; do awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null || true; done | awk '{s += $1} END {print s + 0}'; }
  t0=$(ticks)
  sleep 7
  t1=$(ticks)
  wait "$pb"
  # The next run counts pgbench's backends: these must be gone first.
  for _ in $(seq 50); do
    [ -z "$(psql -h 127.0.0.1 -U postgres -Atc "SELECT pid FROM pg_stat_activity WHERE datname = '$db' AND application_name = 'pgbench'")" ] && break
    sleep 0.1
  done
  tps=$(awk '/^tps = / {print $3}' "$bin/pgbench.out")
  echo "$script, $c client(s), $(printf '%.0f' "$tps") statements/s: backend CPU $(echo "scale=3; ($t1 - $t0) * 1000 / $hz / ($tps * 7)" | bc) ms per statement"
}
pg select 1 $((rate * 3)); pg insert 1 $((rate * 3)); pg select 1; pg insert 1; pg select 16; pg insert 16

echo "== Redis, one connection, redis-server's CPU per command"
rcpu() { redis-cli INFO cpu | awk -F: '/^used_cpu_(sys|user):/ {s += $2} END {printf "%.6f", s}'; }
n=$((rate * 10))
c0=$(rcpu); sleep 10; c1=$(rcpu)
idle=$(echo "$c1 - $c0" | bc)
c0=$(rcpu)
redis-cli -r "$n" -i "$(echo "scale=4; 1 / $rate" | bc)" INCR "scoopa:floor:$$" >/dev/null
c1=$(rcpu)
redis-cli DEL "scoopa:floor:$$" >/dev/null
echo "INCR at $rate/s: $n commands, redis-server CPU $(echo "scale=3; ($c1 - $c0 - $idle) * 1000 / $n" | bc) ms per command (idle $(echo "scale=3; $idle * 100 / 10" | bc) % of a core taken off)"
n=200000
c0=$(rcpu)
redis-benchmark -h 127.0.0.1 -c 16 -n "$n" -q INCR "scoopa:floor:$$" | tr '\r' '\n' | tail -1
c1=$(rcpu)
redis-cli DEL "scoopa:floor:$$" >/dev/null
echo "INCR, 16 clients: $n commands, redis-server CPU $(echo "scale=4; ($c1 - $c0) * 1000 / $n" | bc) ms per command"
