#!/usr/bin/env bash
# Discovery-latency benchmark (not a test): aether vs python-zeroconf vs avahi in two network
# namespaces (aemdbA/aemdbB, 10.77.1.0/24). Needs root, iproute2, avahi-daemon, python3-zeroconf.
# usage: sudo tests/bench/discovery-latency.sh [ROUNDS]   (default 10 rounds per cell, ~2-3 min)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dll="$root/hostnode/AetherEdge.HostNode/bin/Release/net10.0/aether.dll"
if [ ! -f "$dll" ]; then
  dotnet build "$root/hostnode/AetherEdge.HostNode/AetherEdge.HostNode.csproj" -c Release -nologo -v q >/dev/null
fi
DOTNET="$(command -v dotnet)"
export AETHER_DLL="$dll" DOTNET ROUNDS="${1:-10}"
exec /usr/bin/python3 "$root/tests/bench/discovery_latency.py"
