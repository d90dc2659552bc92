#!/usr/bin/env bash
# scale-bench.sh -- a hub holding many files (issue 17): idle CPU, change cost, RSS, status latency and
# start-up time of two paired hubs on loopback against the number of files stored.
#
# Usage: bash tests/bench/scale-bench.sh [PATH/TO/aether.dll]      (default: the Release build)
# Needs: dotnet, curl, /usr/bin/python3.
# Env (defaults in brackets):
#   SIZES          "1000 10000 100000"   files stored on hub A (small files, one `aether put DIR`)
#   FILE_BYTES     256                   bytes per file
#   K, M           10, 5                 the put's data and parity shards (15 shards a file, the default)
#   SYNC_INTERVAL  30                    hub --sync-interval (30 is the hub's default)
#   IDLE_S         60                    idle measurement window (CPU from /proc utime+stime)
#   SETTLE_S       1800                  longest wait for B to finish pulling before the idle window
#   QUICK          unset                 1: SIZES="300 3000", SYNC_INTERVAL=5, IDLE_S=20
#   SOLO           unset                 1: hub A alone (no B, no settle, no change cost): start-up, idle CPU,
#                                        RSS, status and ls of a store of N files; what 100,000 files can do in
#                                        a session (B pulling 1.5 M shards takes hours on this machine)
#   WALK_S         30                    A alone: seconds after start-up before its RSS is read (the background
#                                        store walk runs meanwhile; it is paced to 10,000 files/s)
#   KEEP                                 a directory to copy the hub logs to
#   PORT_BASE      47216                 sync port of A (B: +100; http: +1; pairing: +2)
# Output: one line per size: files, seconds to build the store (and its CPU seconds), A alone: start-up to
# serving, idle CPU % over IDLE_S, RSS after WALK_S, `aether status` and `aether ls` wall seconds (asked while
# A runs, as a user would); then with B: B's start-up, settle time, idle CPU % of A and B, RSS of A and B (MiB),
# change cost (CPU seconds both hubs spent over the idle rate in the two rounds after one put).
set -u -o pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DLL=${1:-$ROOT/hostnode/AetherEdge.HostNode/bin/Release/net10.0/aether.dll}
if [ -n "${QUICK:-}" ]; then
  SIZES=${SIZES:-"300 3000"}; SYNC_INTERVAL=${SYNC_INTERVAL:-5}; IDLE_S=${IDLE_S:-20}
fi
SIZES=${SIZES:-"1000 10000 100000"}
FILE_BYTES=${FILE_BYTES:-256}
K=${K:-10}
M=${M:-5}
SYNC_INTERVAL=${SYNC_INTERVAL:-30}
IDLE_S=${IDLE_S:-60}
SETTLE_S=${SETTLE_S:-1800}
WALK_S=${WALK_S:-30}
PY=/usr/bin/python3
[ -f "$DLL" ] || { echo "aether.dll not found at $DLL (dotnet build hostnode/AetherEdge.HostNode -c Release)" >&2; exit 2; }
W=$(mktemp -d /var/tmp/scale.XXXXXX)
PIDS=()
bye() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  sleep 1
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
  [ -n "${KEEP:-}" ] && mkdir -p "$KEEP" && cp "$W"/*.log "$KEEP"/ 2>/dev/null
  rm -rf "$W"
}
trap bye EXIT
trap "exit 143" TERM INT
ax() { dotnet "$DLL" "$@"; }
axbg() { exec dotnet "$DLL" "$@"; }   # only with &: the PID is dotnet itself
now() { date +%s.%N; }
metric() { curl -s --max-time 5 "http://127.0.0.1:$1/metrics" | awk -v m="$2" '$1==m{print $2}'; }
cpu_of() { awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$1/stat"; }   # USER_HZ is 100 on Linux
rss_of() { awk '/^VmRSS/{ printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
calc() { awk "BEGIN{ printf \"$1\", $2 }"; }
PORT_BASE=${PORT_BASE:-47216}   # another run on the same machine: another base
SYNC_PORT=("$PORT_BASE" $((PORT_BASE + 100)))
HTTP_PORT=($((PORT_BASE + 1)) $((PORT_BASE + 101)))
PAIR_PORT=$((PORT_BASE + 2))

pair_homes() {   # $1 showing home, $2 joining home
  local code="" i pid
  axbg pair --home "$1" --no-mdns --port $PAIR_PORT --interface 127.0.0.1 --timeout 60 >"$W/pair.log" 2>&1 &
  pid=$!; PIDS+=("$pid")
  for i in $(seq 1 120); do code=$(grep -oE '\b[0-9]{6}\b' "$W/pair.log" | head -1); [ -n "$code" ] && break; sleep 0.25; done
  ax pair --home "$2" --code "$code" --peer 127.0.0.1:$PAIR_PORT >/dev/null 2>&1 || { echo "pairing failed: $(cat "$W/pair.log")" >&2; return 1; }
  wait "$pid" 2>/dev/null
}

start_hub() {   # $1 index (0 = a, 1 = b) -> sets HUB_PID, HUB_START_S (process start to /metrics answering)
  local i=$1 other=$((1 - $1)) t0 n
  local name=$([ "$i" = 0 ] && echo a || echo b)
  t0=$(now)
  axbg hub --home "$W/$name" --no-mdns --port "${SYNC_PORT[$i]}" --http-port "${HTTP_PORT[$i]}" \
    --peers "127.0.0.1:${SYNC_PORT[$other]}" --sync-interval "$SYNC_INTERVAL" >>"$W/hub-$name.log" 2>&1 &
  HUB_PID=$!; PIDS+=("$HUB_PID")
  for n in $(seq 1 600); do
    # Serving = the sync port accepts and /metrics answers.
    if curl -s --max-time 1 "http://127.0.0.1:${HTTP_PORT[$i]}/metrics" >/dev/null 2>&1 && (exec 3<>"/dev/tcp/127.0.0.1/${SYNC_PORT[$i]}") 2>/dev/null; then
      break
    fi
    sleep 0.05
  done
  HUB_START_S=$(calc "%.2f" "$(now) - $t0")
}

# B is settled when its used bytes did not move for two intervals.
settle() {
  local t0 last=-1 same=0 u
  t0=$(now)
  while :; do
    u=$(metric "${HTTP_PORT[1]}" device_storage_used_bytes)
    if [ "${u:-0}" = "$last" ] && [ "${u:-0}" != 0 ]; then same=$((same + 1)); else same=0; fi
    last=${u:-0}
    [ "$same" -ge 2 ] && break
    [ "$(calc "%d" "$(now) - $t0")" -ge "$SETTLE_S" ] && { echo "# B did not settle within $SETTLE_S s" >&2; break; }
    sleep "$SYNC_INTERVAL"
  done
  SETTLE_TIME=$(calc "%.0f" "$(now) - $t0")
}

echo "# scale-bench: K=$K M=$M file=${FILE_BYTES}B interval=${SYNC_INTERVAL}s idle=${IDLE_S}s; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| files | build store s (CPU s) | A alone: start s | idle CPU % | RSS MiB | status s | ls s | start B s | settle s | idle CPU A % | idle CPU B % | RSS A MiB | RSS B MiB | change CPU s |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for N in $SIZES; do
  rm -rf "$W/a" "$W/b" "$W/data"
  ax init --home "$W/a" --kind hub --allocation 200GB >/dev/null || exit 1
  ax init --home "$W/b" --kind hub --allocation 200GB >/dev/null || exit 1
  pair_homes "$W/a" "$W/b" || exit 1
  "$PY" - "$W/data" "$N" "$FILE_BYTES" <<'EOF'
import os, sys
root, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(n):
    d = os.path.join(root, "%03d" % (i // 1000))
    if i % 1000 == 0:
        os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%06d.bin" % i), "wb") as f:
        f.write(os.urandom(size))
EOF
  t0=$(now)
  /usr/bin/time -f "%U %S" -o "$W/put.time" dotnet "$DLL" put "$W/data" --home "$W/a" --data-shards "$K" --parity-shards "$M" >"$W/put.out" 2>"$W/put.err" ||
    { echo "put failed: $(tail -3 "$W/put.err")" >&2; exit 1; }
  build="$(calc "%.1f" "$(now) - $t0") ($(awk '{ printf "%.1f", $1 + $2 }' "$W/put.time"))"
  start_hub 0; A=$HUB_PID; sa=$HUB_START_S
  # A alone: its store walk runs in the background, then idle CPU, RSS, and status/ls as a user would ask them.
  sleep "$WALK_S"
  ra0=$(rss_of "$A")
  c0=$(cpu_of "$A"); t0=$(now); sleep "$IDLE_S"; c1=$(cpu_of "$A")
  ia0=$(calc "%.2f" "($c1 - $c0) * 100 / ($(now) - $t0)")
  t0=$(now); ax status --home "$W/a" >/dev/null 2>&1; st=$(calc "%.2f" "$(now) - $t0")
  t0=$(now); ax ls --home "$W/a" >"$W/ls.out" 2>&1; ls_s=$(calc "%.2f" "$(now) - $t0")
  ax ls --home "$W/a" --json 2>/dev/null | "$PY" -c 'import json,sys; json.load(sys.stdin)' || echo "# ls --json is not valid JSON at $N files" >&2
  if [ -n "${SOLO:-}" ]; then
    echo "| $N | $build | $sa | $ia0 | $ra0 | $st | $ls_s | | | | | | | |"
    kill "$A" 2>/dev/null; wait "$A" 2>/dev/null
    cat "$W/hub-a.log" >>"$W/all-hubs.log" 2>/dev/null; rm -f "$W/hub-a.log"
    continue
  fi
  start_hub 1; B=$HUB_PID; sb=$HUB_START_S
  settle
  sleep 2
  ca0=$(cpu_of "$A"); cb0=$(cpu_of "$B"); t0=$(now)
  sleep "$IDLE_S"
  ca1=$(cpu_of "$A"); cb1=$(cpu_of "$B"); dt=$(calc "%.3f" "$(now) - $t0")
  ia=$(calc "%.2f" "($ca1 - $ca0) * 100 / $dt"); ib=$(calc "%.2f" "($cb1 - $cb0) * 100 / $dt")
  ra=$(rss_of "$A"); rb=$(rss_of "$B")
  # Change: one more file on A; CPU of both hubs over two intervals, less the idle rate.
  head -c "$FILE_BYTES" /dev/urandom >"$W/one.bin"
  ca0=$(cpu_of "$A"); cb0=$(cpu_of "$B"); t0=$(now)
  ax put "$W/one.bin" --home "$W/a" --data-shards "$K" --parity-shards "$M" >/dev/null 2>&1
  sleep $((2 * SYNC_INTERVAL))
  ca1=$(cpu_of "$A"); cb1=$(cpu_of "$B"); dt=$(calc "%.3f" "$(now) - $t0")
  ch=$(calc "%.2f" "($ca1 - $ca0) + ($cb1 - $cb0) - ($ia + $ib) / 100 * $dt")
  echo "| $N | $build | $sa | $ia0 | $ra0 | $st | $ls_s | $sb | $SETTLE_TIME | $ia | $ib | $ra | $rb | $ch |"
  kill "$A" "$B" 2>/dev/null; wait "$A" "$B" 2>/dev/null
  cat "$W/hub-a.log" "$W/hub-b.log" >>"$W/all-hubs.log" 2>/dev/null; rm -f "$W/hub-a.log" "$W/hub-b.log"
done
