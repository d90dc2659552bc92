#!/usr/bin/env bash
# Install the AetherEdge hub on Raspberry Pi OS (Debian bookworm/trixie, arm64):
#   apt prerequisites, the published `aether` binary under /opt/aether, a system user `aether`
#   with home /var/lib/aether, and the aether-hub systemd unit (Type=notify).
# Every step goes through run(); --dry-run prints the plan without changing the system.
set -euo pipefail

script_name="install-hub"

readonly EXIT_USAGE=2
readonly EXIT_NOT_ROOT=3
readonly EXIT_MISSING=4

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/.." && pwd)"
project="$repo_root/hostnode/AetherEdge.HostNode/AetherEdge.HostNode.csproj"
unit_source="$script_dir/aether-hub.service"

rid="linux-arm64"
self_contained=1
publish_dir=""
prefix="/opt/aether"
home="/var/lib/aether"
user="aether"
unit_path="/etc/systemd/system/aether-hub.service"
do_apt=1
do_start=1
dry_run=0
readonly apt_packages=(wpasupplicant bluez avahi-daemon i2c-tools)

usage() {
  cat <<'USAGE'
Usage: install-hub.sh [options]

Installs the AetherEdge hub on Raspberry Pi OS: apt prerequisites (wpasupplicant, bluez,
avahi-daemon, i2c-tools), `aether` published for linux-arm64 into /opt/aether, system user
`aether` with home /var/lib/aether, and the systemd unit aether-hub.service running
`aether hub --home /var/lib/aether`.

  --publish-dir DIR       install an already published build from DIR (e.g. published on a PC
                          with: dotnet publish hostnode/AetherEdge.HostNode -c Release -r linux-arm64)
                          instead of running dotnet publish here (needs the .NET SDK)
  --rid RID               runtime identifier for dotnet publish: linux-arm64 (default), linux-arm, linux-x64
  --framework-dependent   publish without the runtime (needs the .NET 10 runtime on the Pi)
  --self-contained        publish with the runtime (default)
  --prefix DIR            install directory (default /opt/aether)
  --no-apt                skip apt-get (packages already present)
  --no-start              install and enable the unit but do not start it now
  --dry-run               print what would be done, change nothing
  -h, --help              this help

Exit codes: 2 bad arguments, 3 not root, 4 something needed is missing (dotnet, publish dir).
USAGE
}

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$script_dir/lib/common.sh"

while [ $# -gt 0 ]; do
  case "$1" in
    --publish-dir) need_value "$@"; publish_dir="$2"; shift 2 ;;
    --rid) need_value "$@"; rid="$2"; shift 2 ;;
    --prefix) need_value "$@"; prefix="$2"; shift 2 ;;
    --framework-dependent) self_contained=0; shift ;;
    --self-contained) self_contained=1; shift ;;
    --no-apt) do_apt=0; shift ;;
    --no-start) do_start=0; shift ;;
    --dry-run) dry_run=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "$EXIT_USAGE" "unknown argument '$1' (see --help)" ;;
  esac
done

case "$rid" in
  linux-arm64|linux-arm|linux-x64) ;;
  *) die "$EXIT_USAGE" "--rid must be linux-arm64, linux-arm or linux-x64, got '$rid'" ;;
esac

case "$prefix" in
  /*) ;;
  *) die "$EXIT_USAGE" "--prefix must be an absolute path, got '$prefix'" ;;
esac

if [ "$dry_run" -eq 0 ] && [ "$(id -u)" -ne 0 ]; then
  die "$EXIT_NOT_ROOT" "run as root (sudo $0 ...) or use --dry-run to see the plan"
fi

[ -f "$unit_source" ] || die "$EXIT_MISSING" "unit file $unit_source is missing (run from a checkout of the repository)"

if [ -n "$publish_dir" ]; then
  [ -f "$publish_dir/aether" ] || die "$EXIT_MISSING" "--publish-dir '$publish_dir' has no 'aether' executable"
elif ! command -v dotnet >/dev/null 2>&1; then
  if [ "$dry_run" -eq 1 ]; then
    echo "note: dotnet SDK not found; a real run needs it, or --publish-dir with a build made elsewhere"
  else
    die "$EXIT_MISSING" "dotnet SDK not found: install .NET 10 SDK, or publish on another machine and pass --publish-dir DIR"
  fi
fi

echo "step 1: prerequisites"
if [ "$do_apt" -eq 1 ]; then
  run apt-get update
  run apt-get install -y --no-install-recommends "${apt_packages[@]}"
else
  echo "skipped (--no-apt): needs ${apt_packages[*]}"
fi

echo "step 2: publish aether for $rid"
staging="$publish_dir"
if [ -z "$staging" ]; then
  staging="$repo_root/artifacts/publish/$rid"
  if [ "$self_contained" -eq 1 ]; then
    sc_args=(--self-contained true)
  else
    sc_args=(--self-contained false)
  fi
  run dotnet publish "$project" -c Release -r "$rid" "${sc_args[@]}" -o "$staging"
fi

echo "step 3: install into $prefix"
run install -d -m 0755 "$prefix"
run cp -a "$staging/." "$prefix/"
run ln -sfn "$prefix/aether" /usr/local/bin/aether

echo "step 4: system user $user with home $home"
if id -u "$user" >/dev/null 2>&1; then
  echo "user $user exists"
else
  run useradd --system --home-dir "$home" --create-home --shell /usr/sbin/nologin --user-group "$user"
fi
run install -d -m 0750 -o "$user" -g "$user" "$home"
for group in i2c bluetooth netdev; do
  if getent group "$group" >/dev/null 2>&1; then
    run usermod -a -G "$group" "$user"
  else
    echo "group $group not present; skipped"
  fi
done

echo "step 4b: Wi-Fi Direct (wpa_supplicant P2P, for kits without a router)"
# aether hub talks to /run/wpa_supplicant/p2p-dev-wlan0 (group netdev). Addresses on a group come from
# wpa_supplicant's IP allocation in the 4-way handshake (ip_addr_*), so no DHCP server runs on the group.
# Persistent groups with persistent_reconnect=1 let trusted devices reconnect with no button or PIN.
p2p_conf=/etc/wpa_supplicant/wpa_supplicant.conf
p2p_settings="ctrl_interface=DIR=/run/wpa_supplicant GROUP=netdev
update_config=1
device_name=aether-$(hostname)
device_type=1-0050F204-2
persistent_reconnect=1
p2p_go_intent=14
p2p_no_group_iface=0
max_num_sta=7
ip_addr_go=192.168.42.1
ip_addr_mask=255.255.255.0
ip_addr_start=192.168.42.10
ip_addr_end=192.168.42.99"
if grep -qs '^persistent_reconnect=1' "$p2p_conf"; then
  echo "$p2p_conf already has the P2P settings"
elif [ "$dry_run" -eq 1 ]; then
  echo "would append Wi-Fi Direct settings to $p2p_conf:"
  printf '%s\n' "$p2p_settings" | sed 's/^/  /'
else
  install -d -m 0755 /etc/wpa_supplicant
  printf '%s\n' "$p2p_settings" >> "$p2p_conf"
fi
# Who else touches wlan0: dhcpcd (Pi OS bullseye) reads the file above; NetworkManager (bookworm) adds wlan0 over
# D-Bus and does not read it, but Debian's wpa_supplicant.service (-O DIR=/run/wpa_supplicant GROUP=netdev) still
# opens /run/wpa_supplicant/p2p-dev-wlan0, and aether hub SETs persistent_reconnect and ip_addr_* there at start.
# Either keeps wlan0's station link; both are kept off the p2p-* group interfaces (dhcpcd's hooks are a known cause
# of groups removed with reason=UNAVAILABLE). NetworkManager's own Wi-Fi P2P (nmcli type wifi-p2p) stays unused.
dhcpcd_conf="${AETHER_DHCPCD_CONF:-/etc/dhcpcd.conf}"         # overridable for tests
nm_dir="${AETHER_NM_DIR:-/etc/NetworkManager}"
if [ -f "$dhcpcd_conf" ]; then
  if grep -qs '^denyinterfaces p2p-\*' "$dhcpcd_conf"; then
    echo "$dhcpcd_conf already keeps dhcpcd off p2p-*"
  elif [ "$dry_run" -eq 1 ]; then
    echo "would append to $dhcpcd_conf: denyinterfaces p2p-*"
  else
    printf 'denyinterfaces p2p-*\n' >> "$dhcpcd_conf"
  fi
fi
nm_conf="$nm_dir/conf.d/aether-p2p.conf"
if [ -d "$nm_dir" ]; then
  if [ "$dry_run" -eq 1 ]; then
    echo "would write $nm_conf: [keyfile] unmanaged-devices=interface-name:p2p-*"
  else
    install -d -m 0755 "$nm_dir/conf.d"
    printf '[keyfile]\nunmanaged-devices=interface-name:p2p-*\n' > "$nm_conf"
  fi
fi
echo "note: NetworkManager or dhcpcd keep wlan0; aether drives P2P on p2p-dev-wlan0 and its groups (p2p-wlan0-N)."
echo "      Without a P2P-capable radio the hub logs one line and runs on its other links."

echo "step 5: systemd unit $unit_path"
if [ "$prefix" = "/opt/aether" ]; then
  run install -m 0644 "$unit_source" "$unit_path"
elif [ "$dry_run" -eq 1 ]; then
  echo "would write: $unit_path from $unit_source with /opt/aether replaced by $prefix"
else
  sed "s|/opt/aether|$prefix|g" "$unit_source" > "$unit_path"
  chmod 0644 "$unit_path"
fi
run systemctl daemon-reload
if [ "$do_start" -eq 1 ]; then
  run systemctl enable --now aether-hub.service
else
  run systemctl enable aether-hub.service
fi

echo "step 6: checks"
if [ -e /dev/i2c-1 ]; then
  echo "I2C bus 1 present (fuel gauge on pins 3/5: i2cdetect -y 1 should show 36)"
else
  echo "hint: I2C is off; for a UPS HAT / MAX17048 gauge run: sudo raspi-config nonint do_i2c 0 (then reboot)"
fi
echo "the hub's home is $home (owned by $user): its files, trust circle and shard store live there"
echo "logs: journalctl -u aether-hub -f    status: sudo -u $user $prefix/aether status --home $home"
echo "files: sudo -u $user $prefix/aether ls --home $home"
if [ "$dry_run" -eq 1 ]; then
  echo "done (dry run: nothing was changed)"
else
  echo "done"
fi
