#!/usr/bin/env bash
# aether-vs-syncthing.sh -- the project's same-run head-to-head (issue 13): aether hubs on loopback
# against Syncthing (syncthing-bench.sh beside this file) on the same data shapes, one after the other,
# repeated and interleaved so the ratios compare runs that shared the machine's load.
#
# Usage: bash tests/bench/aether-vs-syncthing.sh [PATH/TO/aether.dll]      (default: the Release build)
# Needs: dotnet, syncthing, socat, curl, /usr/bin/time, /usr/bin/python3.
# Env (defaults in brackets):
#   CASES          "big small"     big = one BIG_MIB file; small = NSMALL files of 1 MiB
#   BIG_MIB        1024
#   NSMALL         1000
#   HUBS           2               2: A puts, B must end up able to rebuild alone; 3: A puts, B and C
#                                  together must hold k shards' worth (Syncthing: full replicas on B and C)
#   K, M           5, 5            the put's data and parity shards
#   SYNC_INTERVAL  1               hub --sync-interval (empty = the hub's default)
#   PUT_MODE       auto            each: one `aether put FILE` per file; folder: `aether put DIR`;
#                                  library: the benchmark project's `put-folder` (the library folder put,
#                                  for before the verb exists); auto: folder when `aether put --help`
#                                  mentions DIR, else each
#   REPEAT         1               repetitions; each runs Syncthing then aether per case
#   WAIT_S         900             how long to wait for the receivers after the puts
#   SKIP_SYNCTHING                 set to run aether only
#   BASELINES      0               1 adds syncthing-bench's raw-tcp and disk-cp lines
#   KEEP                           a directory to copy the hub logs to
#   BENCH_DLL                      AetherEdge.Benchmarks.dll for PUT_MODE=library (default: its Release build)
#   PUT_ARGS                       extra arguments to `aether put` (e.g. --no-hub: every shard written by the put
#                                  process, as before the hub took puts over; default: the hub streams them)
#   STAGES         0               1 prints each hub's aether_stage_seconds_total/bytes (per stage) after a case
#
# Equivalence: Syncthing ends with a full replica on each receiver (either device alone can serve the
# data). aether puts with K, M on A; with two equal hubs the plan gives B K shards of every file, so B
# alone can rebuild too. t0 = start of the put(s) on A (Syncthing's t0 includes A's scan and hash);
# t1 = the receivers' /metrics device_storage_used_bytes (shards fsynced and indexed) sum to >= the data
# size. Per device: CPU seconds (utime+stime), peak RSS (VmHWM; for the put processes GNU time's max RSS)
# and bytes written to storage (/proc/PID/io write_bytes; for the put processes GNU time's outputs).
# Output: one line per system, shape and repetition, '# ' detail lines, and a summary (min / median, and
# the same-run ratio aether time / Syncthing time, goal <= 0.5).
set -u -o pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DLL=${1:-$ROOT/hostnode/AetherEdge.HostNode/bin/Release/net10.0/aether.dll}
BENCH_DLL=${BENCH_DLL:-$ROOT/tests/AetherEdge.Benchmarks/bin/Release/net10.0/AetherEdge.Benchmarks.dll}
CASES=${CASES:-"big small"}
BIG_MIB=${BIG_MIB:-1024}
NSMALL=${NSMALL:-1000}
HUBS=${HUBS:-2}
K=${K:-5}
M=${M:-5}
SYNC_INTERVAL=${SYNC_INTERVAL-1}
PUT_MODE=${PUT_MODE:-auto}
REPEAT=${REPEAT:-1}
read -r -a PUT_EXTRA <<<"${PUT_ARGS:-}"
WAIT_S=${WAIT_S:-900}
PY=/usr/bin/python3
[ -f "$DLL" ] || { echo "aether.dll not found at $DLL (dotnet build hostnode/AetherEdge.HostNode -c Release)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time not installed (apt-get install time)" >&2; exit 2; }
case $HUBS in 2|3) ;; *) echo "HUBS must be 2 or 3" >&2; exit 2 ;; esac
W=$(mktemp -d /var/tmp/avs.XXXXXX)
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
axbg() { exec dotnet "$DLL" "$@"; }   # only with &: the PID in PIDS is dotnet itself
H() { "$PY" "$HERE/bench_helper.py" "$@"; }
now() { date +%s.%N; }
metric() { curl -s "http://127.0.0.1:$1/metrics" | awk -v m="$2" '$1==m{print $2}'; }
used_of() { local v; v=$(metric "$1" device_storage_used_bytes); echo "${v:-0}"; }
calc() { awk "BEGIN{ printf \"$1\", $2 }"; }
NAMES=(a b c)
SYNC_PORT=(46216 46316 46416)
HTTP_PORT=(46217 46317 46417)
PAIR_PORT=46218

if [ "$PUT_MODE" = auto ]; then
  PUT_MODE=each
  ax put --help 2>&1 | grep -qiE 'folder|directory|recursive' && PUT_MODE=folder
fi
if [ "$PUT_MODE" = library ] && [ ! -f "$BENCH_DLL" ]; then
  echo "PUT_MODE=library needs $BENCH_DLL (dotnet build tests/AetherEdge.Benchmarks -c Release)" >&2; exit 2
fi

pair_homes() {   # $1 showing home, $2 joining home
  local code="" i pid
  axbg pair --home "$1" --no-mdns --port $PAIR_PORT --interface 127.0.0.1 --timeout 60 >"$W/pair.log" 2>&1 &
  pid=$!; PIDS+=("$pid")
  for i in $(seq 1 120); do code=$(grep -oE '\b[0-9]{6}\b' "$W/pair.log" | head -1); [ -n "$code" ] && break; sleep 0.25; done
  ax pair --home "$2" --code "$code" --peer 127.0.0.1:$PAIR_PORT >/dev/null 2>&1 || { echo "pairing failed: $(cat "$W/pair.log")" >&2; return 1; }
  wait "$pid" 2>/dev/null
  return 0
}

# Prints "seconds cpu_s peak_rss_kib written_bytes count" over the put processes' GNU time records.
put_totals() {
  awk '{ s += $1; cpu += $2 + $3; if ($4 > rss) rss = $4; out += $5 * 512; n++ } END { printf "%.3f %.3f %d %d %d", s, cpu, rss, out, n }' "$1"
}

run_aether() {   # $1 case, $2 data dir, $3 bytes -> prints the result line, sets LAST_SECONDS
  local cname=$1 data=$2 bytes=$3 i j n=$HUBS
  LAST_SECONDS=""
  rm -rf "$W/a" "$W/b" "$W/c"
  for ((i = 0; i < n; i++)); do
    ax init --home "$W/${NAMES[$i]}" --kind hub --allocation 40GB >/dev/null || { echo "init failed" >&2; return 1; }
  done
  for ((i = 0; i < n; i++)); do
    for ((j = i + 1; j < n; j++)); do pair_homes "$W/${NAMES[$i]}" "$W/${NAMES[$j]}" || return 1; done
  done
  local si=() hubs=()
  [ -n "$SYNC_INTERVAL" ] && si=(--sync-interval "$SYNC_INTERVAL")
  for ((i = 0; i < n; i++)); do
    local peers=()
    for ((j = 0; j < n; j++)); do [ "$j" != "$i" ] && peers+=("127.0.0.1:${SYNC_PORT[$j]}"); done
    axbg hub --home "$W/${NAMES[$i]}" --no-mdns --port "${SYNC_PORT[$i]}" --http-port "${HTTP_PORT[$i]}" \
      --peers "$(IFS=,; echo "${peers[*]}")" "${si[@]}" >"$W/hub-${NAMES[$i]}-$cname.log" 2>&1 &
    PIDS+=($!); hubs+=($!)
  done
  for i in $(seq 1 120); do
    local up=0
    for ((j = 0; j < n; j++)); do [ "$(metric "${HTTP_PORT[$j]}" mesh_peers_connected)" -ge 1 ] 2>/dev/null && up=$((up + 1)); done
    [ "$up" = "$n" ] && break; sleep 0.5
  done
  sleep 2; sync
  local before=()
  for ((i = 0; i < n; i++)); do before+=("$(H proc "${hubs[$i]}")"); done
  : >"$W/puts.time"
  local timed=(/usr/bin/time -a -o "$W/puts.time" -f "%e %U %S %M %O" dotnet "$DLL" put "${PUT_EXTRA[@]}")
  local t0 tput t1 f id="" failed=0
  t0=$(now)
  case $PUT_MODE in
    each)
      for f in "$data"/*; do
        local out
        out=$("${timed[@]}" "$f" --home "$W/a" --data-shards "$K" --parity-shards "$M" --json) || { echo "put failed $f" >&2; failed=1; }
        [ -z "$id" ] && id=$(sed -n 's/.*"fileId":"\([0-9a-f]*\)".*/\1/p' <<<"$out")
      done ;;
    folder)
      "${timed[@]}" "$data" --home "$W/a" --data-shards "$K" --parity-shards "$M" >/dev/null || { echo "put failed" >&2; failed=1; } ;;
    library)
      /usr/bin/time -a -o "$W/puts.time" -f "%e %U %S %M %O" dotnet "$BENCH_DLL" put-folder "$W/a" "$data" "$K" "$M" >/dev/null || { echo "put failed" >&2; failed=1; } ;;
  esac
  tput=$(now)
  local used=0 _
  for _ in $(seq 1 $((WAIT_S * 20))); do
    [ "$failed" = 1 ] && break
    used=0
    for ((i = 1; i < n; i++)); do used=$((used + $(used_of "${HTTP_PORT[$i]}"))); done
    [ "$used" -ge "$bytes" ] && break; sleep 0.05
  done
  t1=$(now)
  local s ps detail="" cpu_total pt
  s=$(calc %.3f "$t1 - $t0"); ps=$(calc %.3f "$tput - $t0")
  read -r -a pt < <(put_totals "$W/puts.time")
  cpu_total=${pt[1]}
  for ((i = 0; i < n; i++)); do
    local b a stored
    read -r -a b <<<"${before[$i]}"; read -r -a a < <(H proc "${hubs[$i]}")
    stored=$(used_of "${HTTP_PORT[$i]}")
    local cpu=${a[0]} wr=${a[1]}
    cpu=$(calc %.2f "$cpu - ${b[0]}"); wr=$((wr - b[1]))
    [ "$i" = 0 ] && wr=$((wr + pt[3]))   # A's bytes include the put processes'
    cpu_total=$(calc %.2f "$cpu_total + $cpu")
    detail+="${NAMES[$i]^^}: hub_cpu_s=$cpu hub_peak_rss_MiB=$((a[2] / 1024)) written_MiB=$((wr / 1048576)) stored_MiB=$((stored / 1048576)) "
  done
  local verify=unchecked
  if [ -n "$id" ] && [ "$cname" = big ]; then
    ax get "$id" --home "$W/b" -o "$W/check.bin" >/dev/null 2>&1 && cmp -s "$W/check.bin" "$data/big.bin" && verify=B-alone-rebuilds-identical || verify=GET-FAILED
    rm -f "$W/check.bin"
  fi
  [ "$used" -ge "$bytes" ] || s=TIMEOUT
  [ "$failed" = 1 ] && s=PUT-FAILED
  echo "aether case=$cname hubs=$n put=$PUT_MODE k=$K m=$M bytes=$bytes seconds=$s MiBps=$(calc %.1f "$bytes / 1048576 / ($s + 1e-9)" 2>/dev/null)"
  echo "# aether case=$cname detail: put_s=$ps puts=${pt[4]} put_cpu_s=${pt[1]} put_peak_rss_MiB=$((pt[2] / 1024)) put_written_MiB=$((pt[3] / 1048576)) | $detail| cpu_s_total=$cpu_total cpu_s_per_GiB=$(calc %.2f "$cpu_total * 1073741824 / $bytes") receivers_used=$used verify=$verify"
  if [ "${STAGES:-0}" = 1 ]; then
    for ((i = 0; i < n; i++)); do
      echo "# aether case=$cname stages ${NAMES[$i]^^}: $(curl -s "http://127.0.0.1:${HTTP_PORT[$i]}/metrics" |
        awk '/^aether_stage_(seconds|bytes)_total\{/ { match($1, /stage="[^"]*"/); st = substr($1, RSTART + 7, RLENGTH - 8);
             if ($1 ~ /seconds/) sec[st] = $2; else by[st] = $2 }
             END { for (st in sec) if (sec[st] > 0) printf "%s=%.2fs/%dMiB ", st, sec[st], by[st] / 1048576 }')"
    done
  fi
  for i in "${hubs[@]}"; do kill "$i" 2>/dev/null; done
  for i in "${hubs[@]}"; do wait "$i" 2>/dev/null; done
  [[ $s =~ ^[0-9.]+$ ]] && LAST_SECONDS=$s
  return 0
}

run_syncthing() {   # $1 case -> prints its lines, sets LAST_SECONDS
  local out
  LAST_SECONDS=""
  out=$(BENCH_BIG_MIB=$BIG_MIB BENCH_SMALL_FILES=$NSMALL BENCH_CASES="$1" BENCH_DEVICES=$HUBS BENCH_BASELINES=${BASELINES:-0} \
    bash "$HERE/syncthing-bench.sh" 2>/dev/null)
  grep -E '^(syncthing|raw-tcp|disk-cp|# syncthing case=[a-z]+ detail)' <<<"$out"
  LAST_SECONDS=$(sed -n 's/^syncthing case=.* seconds=\([0-9.]*\) .*/\1/p' <<<"$out")
}

echo "# $(date -u +%FT%TZ) host: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg); $(syncthing --version 2>/dev/null | cut -d' ' -f1-2); dotnet $(dotnet --version)"
echo "# aether: $DLL ($(git -C "$ROOT" log -1 --format=%h 2>/dev/null)), hubs=$HUBS k=$K m=$M sync_interval=${SYNC_INTERVAL:-default} put=$PUT_MODE ${PUT_ARGS:-}"
RESULTS="$W/results"
: >"$RESULTS"
for ((r = 1; r <= REPEAT; r++)); do
  for c in $CASES; do
    case $c in
      big) bytes=$((BIG_MIB * 1048576)) ;;
      small) bytes=$((NSMALL * 1048576)) ;;
      *) echo "unknown case $c" >&2; continue ;;
    esac
    st=""
    if [ -z "${SKIP_SYNCTHING:-}" ]; then
      run_syncthing "$c"; st=$LAST_SECONDS
      [ -n "$st" ] && echo "syncthing $c $st" >>"$RESULTS"
    fi
    rm -rf "$W/data"
    if [ "$c" = big ]; then H gen_data big "$W/data" "$BIG_MIB" 0; else H gen_data small "$W/data" 0 "$NSMALL"; fi
    sync
    run_aether "$c" "$W/data" "$bytes"; ae=$LAST_SECONDS
    rm -rf "$W/data"
    [ -n "$ae" ] && echo "aether $c $ae" >>"$RESULTS"
    if [ -n "$st" ] && [ -n "$ae" ]; then
      echo "ratio $c $(calc %.3f "$ae / $st")" >>"$RESULTS"
      echo "# same-run rep=$r case=$c aether/syncthing time=$(calc %.3f "$ae / $st") (goal <= 0.5)"
    fi
  done
done
echo "# summary over $REPEAT repetition(s): min / median"
sort -k1,1 -k2,2 "$RESULTS" | awk '
  { key = $1 " " $2; v[key, ++cnt[key]] = $3 }
  END {
    for (key in cnt) {
      n = cnt[key]
      for (i = 1; i <= n; i++) a[i] = v[key, i]
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      med = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
      split(key, k, " ")
      printf "summary %s case=%s n=%d min=%.3f median=%.3f%s\n", k[1], k[2], n, a[1], med, (k[1] == "ratio") ? " (aether/syncthing time; goal <= 0.5)" : " s"
    }
  }' | sort
