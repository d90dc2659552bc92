#!/usr/bin/env bash
# Forwarding benchmark: relayed (A-B-C) vs direct (A-C) throughput of real hubs on loopback and the
# relay's peak memory. Usage: tests/bench/mesh-relay.sh [FILE_MIB ...]   (default 128 512)
# Env: RELAY_BUFFER (hub --relay-buffer, default 16MB); HUB_ENV="K=V ..." (extra environment for the hubs);
# PROFILE=gc-verbose|cpu-sampling PROFILE_NODES=a,b,c PROFILE_DIR=DIR (dotnet-trace of the hubs during the transfer);
# GCDUMP_AFTER=SECONDS (a dotnet-gcdump of B that long after C's first byte). Details: mesh_relay.py's docstring.
# Needs a Release build of the hub (dotnet build hostnode/AetherEdge.HostNode -c Release).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec /usr/bin/python3 "$here/mesh_relay.py" "$@"
