#!/usr/bin/env bash
# Forwarding benchmark: relayed (A-B-C) vs direct (A-C) throughput of real hubs on loopback and the
# relay's peak memory. Usage: tests/bench/mesh-relay.sh [FILE_MIB ...]   (default 128 512)
# Needs a Release build of the hub (dotnet build hostnode/AetherEdge.HostNode -c Release).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec /usr/bin/python3 "$here/mesh_relay.py" "$@"
