#!/usr/bin/env bash
# syncthing-bench.sh -- the reference: how fast Syncthing (Debian's 1.19) syncs data between devices on
# THIS machine (loopback only), next to a raw loopback TCP copy and a plain `cp` of the same data in the
# same run. aether-vs-syncthing.sh (beside this file) runs it before the aether hubs.
#
# Usage: bash tests/bench/syncthing-bench.sh        (needs: syncthing, socat, curl, /usr/bin/python3)
# Env (defaults in brackets):
#   BENCH_BIG_MIB      size of the single random file in MiB                        [1024]
#   BENCH_SMALL_FILES  number of 1 MiB random files in the second case              [1000]
#   BENCH_CASES        cases to run, space separated                                ["big small"]
#   BENCH_DEVICES      2 (A sends to B) or 3 (A sends to B and C, all connected)     [2]
#   BENCH_BASELINES    1 runs raw-tcp and disk-cp before each case, 0 skips them     [1]
#   BENCH_TMP          parent dir for the temp tree                                 [/var/tmp]
#   BENCH_DEADLINE_S   hard limit for the whole script (watchdog)                   [570]
#   BENCH_KEEP_LOGS    if set to a dir, copy syncthing logs there before cleanup
#
# Output (stdout): one line per measurement, e.g.
#   raw-tcp case=big bytes=1073741824 seconds=0.363 MiBps=2822.4
#   disk-cp case=big bytes=1073741824 seconds=0.171 MiBps=5982.6
#   syncthing case=big devices=2 bytes=1073741824 seconds=5.676 MiBps=180.4
# plus '# ...' detail lines: scan time on A, per device CPU seconds, peak RSS (VmHWM), bytes written to
# storage (/proc/PID/io write_bytes) during the sync, ratios, sha256 check.
# Cases: big = one random file of BENCH_BIG_MIB MiB; small = BENCH_SMALL_FILES random files of 1 MiB.
# Each case uses fresh syncthing homes (fresh keys + database). A is send-only with the fs watcher on
# (1 s delay); the others are receive-only. Timing starts when the data is renamed into A's folder and
# POST /rest/db/scan is sent; it stops when every receiver's /rest/db/status is idle with everything in
# sync and its /rest/db/completion says 100. sha256 of each receiver's files is checked afterwards.
#
# Safety: syncthing cannot reach the internet (global and local discovery, relays, NAT/UPnP, STUN,
# usage and crash reporting, auto-upgrade all off); it listens and dials on 127.0.0.1 only, and the
# GUI/REST binds 127.0.0.1 only. Only processes started by this script (tracked by PID and start
# time) are ever signalled.

set -u -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
BIG_MIB=${BENCH_BIG_MIB:-1024}
DEVICES=${BENCH_DEVICES:-2}
BASELINES=${BENCH_BASELINES:-1}
NSMALL=${BENCH_SMALL_FILES:-1000}
CASES=${BENCH_CASES:-"big small"}
DEADLINE_S=${BENCH_DEADLINE_S:-570}
SYNC_TIMEOUT_S=${BENCH_SYNC_TIMEOUT_S:-240}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
ST=$(command -v syncthing) || { echo "syncthing not installed (apt-get install -y syncthing)" >&2; exit 2; }
command -v socat >/dev/null || { echo "socat not installed (apt-get install -y socat)" >&2; exit 2; }
command -v curl  >/dev/null || { echo "curl not installed" >&2; exit 2; }

WORK=$(mktemp -d "${BENCH_TMP:-/var/tmp}/stbench.XXXXXX")
declare -A PID_START=()  # pid -> start time (clock ticks) of every process this script started
WATCHDOG_PID=""

log() { echo "[$(date +%T)] $*" >&2; }
pstart() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $20}'; }   # field 22 of /proc/PID/stat
track_pid() { local st; st=$(pstart "$1"); [ -n "$st" ] && PID_START[$1]=$st; return 0; }
pstate() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $1}'; }
ours() {   # alive (not a zombie), same pid AND same start time as when we started it
  [ -n "${PID_START[$1]:-}" ] && [ "$(pstart "$1")" = "${PID_START[$1]}" ] && [ "$(pstate "$1")" != Z ]
}

stop_pid() {             # stop one process we started (guarded against pid reuse): TERM, wait, then KILL
  local pid=$1 i
  [ -n "$pid" ] || return 0
  if ours "$pid"; then
    kill -TERM "$pid" 2>/dev/null
    for i in $(seq 1 100); do ours "$pid" || break; sleep 0.1; done
    ours "$pid" && kill -KILL "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null
  unset "PID_START[$pid]"
  return 0
}

# shellcheck disable=SC2317  # reached through the EXIT trap
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local p
  for p in "${!PID_START[@]}"; do stop_pid "$p"; done
  if [ -n "${BENCH_KEEP_LOGS:-}" ]; then
    mkdir -p "$BENCH_KEEP_LOGS" && find "$WORK" -name '*.log' -exec cp {} "$BENCH_KEEP_LOGS"/ \; 2>/dev/null
  fi
  rm -rf "$WORK"
  if [ -n "$WATCHDOG_PID" ]; then kill -TERM "$WATCHDOG_PID" 2>/dev/null; wait "$WATCHDOG_PID" 2>/dev/null; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# Watchdog: if the script runs past DEADLINE_S, TERM the main shell (-> cleanup).
MAIN_PID=$$; MAIN_START=$(pstart $$); SCRIPT_T0=$(date +%s)
( sp=""; trap '[ -n "$sp" ] && kill "$sp" 2>/dev/null; exit 0' TERM
  sleep "$DEADLINE_S" & sp=$!; wait "$sp"
  if [ "$(pstart "$MAIN_PID")" = "$MAIN_START" ]; then
    echo "watchdog: exceeded ${DEADLINE_S}s, aborting" >&2; kill -TERM "$MAIN_PID"
  fi ) &
WATCHDOG_PID=$!

H() { "$PY" "$HERE/bench_helper.py" "$@"; }

now() { date +%s.%N; }
rate() { awk -v b="$1" -v s="$2" 'BEGIN{ printf "%.1f", (s>0)? b/1048576/s : 0 }'; }
fmt3() { awk -v x="$1" 'BEGIN{ printf "%.3f", x }'; }
jget() { "$PY" -c 'import json,sys; d=json.loads(sys.argv[1]); v=d.get(sys.argv[2]); print("%.3f"%v if isinstance(v,float) else v)' "$1" "$2"; }
declare -A RESULT_MiBps

# ---------------------------------------------------------------- baselines
RAW_REPS=${BENCH_RAW_REPS:-3}
median() { sort -g | awk '{a[NR]=$1} END{ if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2 }'; }

tcp_once() {  # $1 case $2 src $3 dst $4 socat buffer bytes  -> prints seconds
  local cname=$1 src=$2 dst=$3 buf=$4 port t0 t1 rpid
  port=$(H free_ports 1); rm -rf "$dst"; mkdir -p "$dst"; sync
  if [ "$cname" = big ]; then
    timeout 150 socat -b "$buf" -u "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr" "CREATE:$dst/big.bin" & rpid=$!
  else   # many files: one tar stream with 1 MiB records
    ( timeout 150 socat -b "$buf" -u "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr" - | timeout 150 tar -B -b 2048 -C "$dst" -xf - ) & rpid=$!
  fi
  track_pid "$rpid"
  for _ in $(seq 1 100); do ss -ltn "sport = :$port" | grep -q LISTEN && break; sleep 0.05; done
  t0=$(now)
  if [ "$cname" = big ]; then
    timeout 120 socat -b "$buf" -u "OPEN:$src/big.bin" "TCP:127.0.0.1:$port"
  else
    tar -b 2048 -C "$src" -cf - . | timeout 120 socat -b "$buf" -u - "TCP:127.0.0.1:$port"
  fi
  wait "$rpid"; t1=$(now); unset "PID_START[$rpid]"
  awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}'
}

raw_tcp() {   # $1 case, $2 src dir (contains the data), $3 bytes
  local cname=$1 src=$2 bytes=$3 dst="$WORK/tcp_dst" i t all=() s ok s8
  for i in $(seq 1 "$RAW_REPS"); do all+=("$(tcp_once "$cname" "$src" "$dst" 1048576)"); done
  ok=verify-fail; diff -rq "$src" "$dst" >/dev/null && ok=verified
  s=$(printf '%s\n' "${all[@]}" | median)
  RESULT_MiBps[raw-tcp-$cname]=$(rate "$bytes" "$s")
  echo "raw-tcp case=$cname bytes=$bytes seconds=$(fmt3 "$s") MiBps=$(rate "$bytes" "$s")"
  echo "# raw-tcp case=$cname detail: socat -b 1MiB over 127.0.0.1 into files on the same disk ($( [ "$cname" = big ] && echo 'single file' || echo 'tar -b 2048 stream')), no fsync; median of $RAW_REPS runs: $(for t in "${all[@]}"; do printf '%ss/%sMiBps ' "$(fmt3 "$t")" "$(rate "$bytes" "$t")"; done)$ok"
  s8=$(tcp_once "$cname" "$src" "$dst" 8192)
  echo "# raw-tcp case=$cname detail: same with socat's default 8 KiB buffer: seconds=$(fmt3 "$s8") MiBps=$(rate "$bytes" "$s8") (syscall-bound; shows how much buffer size matters in this VM)"
  rm -rf "$dst"
}

disk_cp() {   # $1 case, $2 src dir, $3 bytes
  local cname=$1 src=$2 bytes=$3 dst="$WORK/cp_dst" t0 t1 t2 i all=() alls=() s ss
  for i in $(seq 1 "$RAW_REPS"); do
    rm -rf "$dst"; sync
    t0=$(now); cp -r "$src" "$dst"; t1=$(now); sync; t2=$(now)
    all+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')"); alls+=("$(awk -v a="$t0" -v b="$t2" 'BEGIN{print b-a}')")
  done
  s=$(printf '%s\n' "${all[@]}" | median); ss=$(printf '%s\n' "${alls[@]}" | median)
  RESULT_MiBps[disk-cp-$cname]=$(rate "$bytes" "$s")
  echo "disk-cp case=$cname bytes=$bytes seconds=$(fmt3 "$s") MiBps=$(rate "$bytes" "$s")"
  echo "# disk-cp case=$cname detail: cp -r without fsync, median of $RAW_REPS; cp+sync median seconds=$(fmt3 "$ss") MiBps=$(rate "$bytes" "$ss")"
  rm -rf "$dst"
}

# ---------------------------------------------------------------- syncthing devices
start_instance() {   # $1 home  $2 logfile  -> sets LAST_PID (child of this shell)
  STNORESTART=1 STNOUPGRADE=1 STNODEFAULTFOLDER=1 \
    "$ST" serve --home="$1" --no-browser --no-restart --no-upgrade --no-default-folder \
    >"$2" 2>&1 &
  LAST_PID=$!
  track_pid "$LAST_PID"
  # syncthing 1.19 always runs a small monitor process that spawns the real
  # syncthing as its child (--no-restart only stops it from restarting it).
  # Track the child too, for CPU accounting and as a fallback when stopping.
  LAST_CHILD=""
  local i
  for i in $(seq 1 100); do
    LAST_CHILD=$(cat "/proc/$LAST_PID"/task/*/children 2>/dev/null | awk 'NF{print $1; exit}')   # any thread (Go forks from any OS thread)
    [ -n "$LAST_CHILD" ] && break; sleep 0.05
  done
  [ -n "$LAST_CHILD" ] && track_pid "$LAST_CHILD"
}

NAMES=(A B C)

run_syncthing_case() {   # $1 case, $2 src dir, $3 bytes, $4 nfiles
  local cname=$1 src=$2 bytes=$3 nfiles=$4 d="$WORK/st_$1" i j n=$DEVICES
  local ids=() keys=() ports=() guis=() pids=() kids=() specs=() all
  read -r -a all < <(H free_ports $((2 * n)))
  for ((i = 0; i < n; i++)); do
    local name=${NAMES[$i]}
    mkdir -p "$d/$name/home" "$d/$name/bench/.stfolder"
    "$ST" generate --home="$d/$name/home" --no-default-folder >"$d/gen-$name.log" 2>&1 || { log "generate $name failed"; return 1; }
    ids+=("$("$ST" serve --home="$d/$name/home" --device-id)")
    keys+=("$(sed -n 's:.*<apikey>\(.*\)</apikey>.*:\1:p' "$d/$name/home/config.xml")")
    ports+=("${all[$i]}"); guis+=("${all[$((n + i))]}")
  done
  for ((i = 0; i < n; i++)); do
    local peers=() type=receiveonly watch=0 rescan=3600
    for ((j = 0; j < n; j++)); do [ "$j" != "$i" ] && peers+=("${ids[$j]}@${NAMES[$j]}@${ports[$j]}"); done
    # A: send-only, fs watcher on (1 s delay), rescan every 30 s. The others: receive-only, watcher off.
    [ "$i" = 0 ] && { type=sendonly; watch=1; rescan=30; }
    H st_config "$d/${NAMES[$i]}/home/config.xml" "${ids[$i]}" "${NAMES[$i]}" "${ports[$i]}" "${guis[$i]}" \
      "$d/${NAMES[$i]}/bench" "$type" "$watch" "$rescan" "${peers[@]}" || return 1
  done
  for ((i = 0; i < n; i++)); do
    start_instance "$d/${NAMES[$i]}/home" "$d/${NAMES[$i]}.log"; pids+=("$LAST_PID"); kids+=("$LAST_CHILD")
    [ -n "$LAST_CHILD" ] || { log "syncthing child process of ${NAMES[$i]} did not start"; tail -n 5 "$d/${NAMES[$i]}.log" >&2; return 1; }
    specs+=("${NAMES[$i]}@${guis[$i]}@${keys[$i]}@${ids[$i]}@$LAST_PID,$LAST_CHILD")
    log "case=$cname syncthing ${NAMES[$i]} pid=$LAST_PID/$LAST_CHILD (listen 127.0.0.1:${ports[$i]}, gui ${guis[$i]})"
  done
  local conn
  conn=$(H st_ready 60 "${specs[@]}") || { log "instances did not connect"; tail -n 5 "$d"/*.log >&2; return 1; }
  log "$conn"
  # Loopback-only check: every socket owned by our syncthing processes must be on 127.0.0.1.
  local socks foreign pat
  pat=$(IFS='|'; echo "${pids[*]}|${kids[*]}")
  socks=$(ss -tuanp 2>/dev/null | grep -E "pid=($pat)," || true)
  foreign=$(echo "$socks" | awk 'NF{ if ($5 !~ /^127\.0\.0\.1:/ || ($6 !~ /^127\.0\.0\.1:/ && $6 !~ /^\*:/ && $6 !~ /^0\.0\.0\.0:\*/)) print }')
  [ -n "$foreign" ] && { echo "# WARNING non-loopback sockets:"; while read -r line; do echo "#   $line"; done <<<"$foreign"; }
  echo "# syncthing case=$cname sockets: $(echo "$socks" | grep -c .) total, all on 127.0.0.1: $([ -z "$foreign" ] && echo yes || echo NO)"
  sync
  local res left tmo
  left=$(( DEADLINE_S - ($(date +%s) - SCRIPT_T0) - 30 ))          # never outlive the watchdog
  tmo=$(( left < SYNC_TIMEOUT_S ? left : SYNC_TIMEOUT_S )); [ "$tmo" -lt 5 ] && tmo=5
  res=$(H st_measure "$src" "$d/A/bench" "$bytes" "$nfiles" "$tmo" "${specs[@]}")
  if [ "$(jget "$res" ok)" != True ]; then
    echo "syncthing case=$cname devices=$n bytes=$bytes seconds=TIMEOUT MiBps=0"; echo "# $res"; return 1
  fi
  local s ok=sha256-match
  s=$(jget "$res" seconds)
  # verify bytes on disk (not timed): sha256 of every receiver's files vs the source manifest
  for ((i = 1; i < n; i++)); do
    diff -q <(H manifest "$d/${NAMES[$i]}/bench/data") "$WORK/manifest_$cname" >/dev/null || ok="SHA256-MISMATCH-on-${NAMES[$i]}"
  done
  RESULT_MiBps[syncthing-$cname]=$(rate "$bytes" "$s")
  echo "syncthing case=$cname devices=$n bytes=$bytes seconds=$s MiBps=$(rate "$bytes" "$s")"
  echo "# syncthing case=$cname detail: scan(hash)_on_A_s=$(jget "$res" scanA_seconds) $("$PY" -c '
import json, sys
d = json.loads(sys.argv[1])["devices"]
cpu = sum(v["cpu_s"] for v in d.values())
print(" ".join("%s: cpu_s=%.2f peak_rss_MiB=%.0f written_MiB=%.0f" % (k, v["cpu_s"], v["peak_rss_MiB"], v["written_MiB"]) for k, v in sorted(d.items()))
      + " | cpu_s_total=%.2f cpu_s_per_GiB=%.2f" % (cpu, cpu * 1073741824 / int(sys.argv[2])))' "$res" "$bytes") verify=$ok"
  for ((i = 0; i < n; i++)); do
    curl -s -m 5 -X POST -H "X-API-Key: ${keys[$i]}" "http://127.0.0.1:${guis[$i]}/rest/system/shutdown" >/dev/null || true
  done
  for ((i = 0; i < n; i++)); do stop_pid "${pids[$i]}"; stop_pid "${kids[$i]}"; done
  if [ -n "${BENCH_KEEP_LOGS:-}" ]; then
    mkdir -p "$BENCH_KEEP_LOGS"
    for ((i = 0; i < n; i++)); do cp "$d/${NAMES[$i]}.log" "$BENCH_KEEP_LOGS/$cname-${NAMES[$i]}.log"; done
  fi
  rm -rf "$d"
  [ "$ok" = sha256-match ]
}

# ---------------------------------------------------------------- main
echo "# $("$ST" --version)"
echo "# host: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/{printf "%.0f GiB RAM", $2/1048576}' /proc/meminfo), tmp=$WORK ($(df -T "$WORK" | awk 'NR==2{print $2}'))"
RC=0
for c in $CASES; do
  case $c in
    big)   bytes=$((BIG_MIB * 1048576)); nfiles=1; name=big;  label="1 file of ${BIG_MIB} MiB" ;;
    small) bytes=$((NSMALL * 1048576)); nfiles=$NSMALL; name=small; label="${NSMALL} files of 1 MiB" ;;
    *) log "unknown case $c"; continue ;;
  esac
  log "case=$name: generating $label of random data"
  src="$WORK/src_$name"
  H gen_data "$name" "$src" "$BIG_MIB" "$NSMALL"
  H manifest "$src" > "$WORK/manifest_$name"
  echo "# case=$name: $label, $bytes bytes"
  if [ "$BASELINES" = 1 ]; then
    raw_tcp "$name" "$src" "$bytes"
    disk_cp "$name" "$src" "$bytes"
  fi
  run_syncthing_case "$name" "$src" "$bytes" "$nfiles" || RC=1
  rm -rf "$src" "$WORK/manifest_$name"
  st=${RESULT_MiBps[syncthing-$name]:-0}; rt=${RESULT_MiBps[raw-tcp-$name]:-0}; cpr=${RESULT_MiBps[disk-cp-$name]:-0}
  [ "$BASELINES" = 1 ] && echo "# ratio case=$name syncthing/raw-tcp=$(awk -v a="$st" -v b="$rt" 'BEGIN{printf "%.3f", (b>0)?a/b:0}') syncthing/disk-cp=$(awk -v a="$st" -v b="$cpr" 'BEGIN{printf "%.3f", (b>0)?a/b:0}')"
done
exit $RC
