#!/usr/bin/env bash
# scale-peer.sh -- issue 17 with a peer at 100,000 files: two paired hubs where B already holds its share, then
# start-up, idle CPU of both, RSS, status and the cost of one more put. Building B's store by pulling 1.5 M shards
# takes hours here, so B is seeded instead, honestly:
#   1. A's store is built as a user would (`aether put DIR` of N small files, one process);
#   2. B gets a copy of A's shard files, manifests and index rows, marked as arrived by sync (file_id NULL: what a
#      pull writes), i.e. a full replica;
#   3. B keeps only the shard indexes its own plan gives it (KEEP_PARITY: even or odd shard indexes; with two hubs of
#      equal allocation every 256-byte file has one plan shape, and B's own prune run on the full replica dropped
#      exactly the odd indexes), which is where B's prune would end after ~70 minutes of deleting at this machine's pace.
# Usage: bash tests/bench/scale-peer.sh [PATH/TO/aether.dll]    (after a Release build)
# Env: N 100000, WORK /var/tmp/scale-peer (kept between runs: STAGE=run reuses the built homes), STAGE all|build|run,
#      INTERVAL 30 (the hub's default), IDLE_S 60, KEEP_PARITY 0, PORT_BASE 47716.
set -u -o pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
D=${1:-$ROOT/hostnode/AetherEdge.HostNode/bin/Release/net10.0/aether.dll}
N=${N:-100000}; W=${WORK:-/var/tmp/scale-peer}; STAGE=${STAGE:-all}
INTERVAL=${INTERVAL:-30}; IDLE_S=${IDLE_S:-60}; KEEP_PARITY=${KEEP_PARITY:-0}; PB=${PORT_BASE:-47716}
SP=($PB $((PB + 100))); HP=($((PB + 1)) $((PB + 101)))
PY=/usr/bin/python3
now() { date +%s.%N; }
calc() { awk "BEGIN{ printf \"$1\", $2 }"; }
cpu_of() { awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$1/stat"; }
rss_of() { awk '/^VmRSS/{ printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
metric() { curl -s --max-time 5 "http://127.0.0.1:$1/metrics" | awk -v m="$2" '$1==m{print $2}'; }
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done' EXIT
trap "exit 143" TERM INT

if [ "$STAGE" != run ]; then
  rm -rf "$W"; mkdir -p "$W"
  dotnet "$D" init --home "$W/a" --kind hub --allocation 200GB >/dev/null || exit 1
  dotnet "$D" init --home "$W/b" --kind hub --allocation 200GB >/dev/null || exit 1
  dotnet "$D" pair --home "$W/a" --no-mdns --port $((PB + 2)) --interface 127.0.0.1 --timeout 60 >"$W/pair.log" 2>&1 &
  pid=$!; PIDS+=("$pid")
  for i in $(seq 1 120); do code=$(grep -oE '\b[0-9]{6}\b' "$W/pair.log" | head -1); [ -n "$code" ] && break; sleep 0.25; done
  dotnet "$D" pair --home "$W/b" --code "$code" --peer 127.0.0.1:$((PB + 2)) >/dev/null || exit 1
  wait "$pid"
  "$PY" - "$W/data" "$N" <<'PYEOF'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    d = os.path.join(root, "%03d" % (i // 1000))
    if i % 1000 == 0:
        os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%06d.bin" % i), "wb") as f:
        f.write(os.urandom(256))
PYEOF
  t0=$(now)
  /usr/bin/time -f "%U %S" -o "$W/put.time" dotnet "$D" put "$W/data" --home "$W/a" --data-shards 10 --parity-shards 5 >/dev/null 2>"$W/put.err" || exit 1
  echo "# A's store: $N files put in $(calc "%.0f" "$(now) - $t0") s ($(awk '{ printf "%.0f", $1 + $2 }' "$W/put.time") CPU s)"
  t0=$(now)
  rm -rf "$W/b/shards" "$W/b/manifests" "$W/b/index.db"
  cp -a "$W/a/shards" "$W/a/manifests" "$W/b/" && cp "$W/a/index.db" "$W/b/index.db" || exit 1
  "$PY" - "$W/b" "$KEEP_PARITY" <<'PYEOF'
import os, sqlite3, sys
home, keep = sys.argv[1], int(sys.argv[2])
db = sqlite3.connect(os.path.join(home, "index.db"))
gone = [r[0] for r in db.execute("SELECT id FROM shards WHERE shard_index % 2 != ?", (keep,))]
db.execute("DELETE FROM shards WHERE shard_index % 2 != ?", (keep,))
db.execute("UPDATE shards SET file_id = NULL, shard_index = NULL")
db.commit()
for i in gone:
    os.unlink(os.path.join(home, "shards", i[:2], i[2:4], i))
print("# B seeded: %d shards kept, %d dropped" % (db.execute("SELECT COUNT(*) FROM shards").fetchone()[0], len(gone)))
PYEOF
  echo "# B's store seeded in $(calc "%.0f" "$(now) - $t0") s"
  [ "$STAGE" = build ] && exit 0
fi

start() {   # $1 index, $2 home name -> PID, START (process start to sync port + /metrics answering)
  local i=$1 o=$((1 - $1)) t0
  t0=$(now)
  dotnet "$D" hub --home "$W/$2" --no-mdns --port "${SP[$i]}" --http-port "${HP[$i]}" --peers "127.0.0.1:${SP[$o]}" \
    --sync-interval "$INTERVAL" >>"$W/hub-$2.log" 2>&1 &
  PID=$!; PIDS+=("$PID")
  for n in $(seq 1 1200); do
    if curl -s --max-time 1 "http://127.0.0.1:${HP[$i]}/metrics" >/dev/null 2>&1 && (exec 3<>"/dev/tcp/127.0.0.1/${SP[$i]}") 2>/dev/null; then break; fi
    sleep 0.05
  done
  START=$(calc "%.2f" "$(now) - $t0")
}
walked() { tail -n +$(($2 + 1)) "$W/hub-$1.log" | grep -q "store walk done"; }

echo "# scale-peer: N=$N interval=${INTERVAL}s idle=${IDLE_S}s; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
LA=$(cat "$W/hub-a.log" 2>/dev/null | wc -l); LB=$(cat "$W/hub-b.log" 2>/dev/null | wc -l)
start 0 a; A=$PID; sa=$START
start 1 b; B=$PID; sb=$START
# Settled: B's used bytes still after two intervals, and both hubs' background store walks done.
last=-1; same=0; t0=$(now)
while [ "$same" -lt 2 ] || ! walked a "$LA" || ! walked b "$LB"; do
  sleep "$INTERVAL"
  u=$(metric "${HP[1]}" device_storage_used_bytes)
  if [ "${u:-0}" = "$last" ] && [ "${u:-0}" != 0 ]; then same=$((same + 1)); else same=0; fi
  last=${u:-0}
  [ "$(calc "%d" "$(now) - $t0")" -ge 1800 ] && { echo "# not settled within 1800 s" >&2; break; }
done
settle=$(calc "%.0f" "$(now) - $t0")
ca0=$(cpu_of "$A"); cb0=$(cpu_of "$B"); t0=$(now); sleep "$IDLE_S"
ca1=$(cpu_of "$A"); cb1=$(cpu_of "$B"); dt=$(calc "%.3f" "$(now) - $t0")
ia=$(calc "%.2f" "($ca1 - $ca0) * 100 / $dt"); ib=$(calc "%.2f" "($cb1 - $cb0) * 100 / $dt")
ra=$(rss_of "$A"); rb=$(rss_of "$B")
t0=$(now); dotnet "$D" status --home "$W/a" >/dev/null 2>&1; st=$(calc "%.2f" "$(now) - $t0")
head -c 256 /dev/urandom >"$W/one.bin"
ca0=$(cpu_of "$A"); cb0=$(cpu_of "$B"); t0=$(now)
dotnet "$D" put "$W/one.bin" --home "$W/a" >/dev/null 2>&1
sleep $((2 * INTERVAL))
ca1=$(cpu_of "$A"); cb1=$(cpu_of "$B"); dt=$(calc "%.3f" "$(now) - $t0")
ch=$(calc "%.2f" "($ca1 - $ca0) + ($cb1 - $cb0) - ($ia + $ib) / 100 * $dt")
echo "| files | start A / B s | settled s | idle CPU A / B % | RSS A / B MiB | status s | change CPU s |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
echo "| $N | $sa / $sb | $settle | $ia / $ib | $ra / $rb | $st | $ch |"
echo "# load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
