#!/usr/bin/env bash
# Wi-Fi Direct benchmark (issue 14), as root: two real hubs in two network namespaces over a group of the SIMULATED
# wpa_supplicant (find 1 s, formation 1.5 s; see tests/.../WifiDirect/SimulatedAir.cs) and two over a plain veth pair
# with mDNS, set up at once; 3 puts of FILE_MIB on each link (WFD_BENCH_RUNS), alternating, medians. Prints: hubs
# start -> B's first shard, put start -> B's last shard and the file throughput, and raw TCP (python3) on each link.
# Usage: sudo tests/bench/wifi-direct.sh [FILE_MIB] (default 64). WFD_BENCH_DIAG=FILE appends both hubs' logs/metrics.
# Needs a Release build of the tests (dotnet build tests/AetherEdge.HostNode.Tests -c Release).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
WFD_BENCH_MIB="${1:-64}" WFD_BENCH_OUT="$out" flock /tmp/aether-netns.lock \
  dotnet test "$here/../AetherEdge.HostNode.Tests" -c Release --no-build --filter "FullyQualifiedName~WifiDirect.WifiDirectBenchmark" >&2
cat "$out"
