#!/usr/bin/env bash
# Flash an AetherEdge beacon (ESP32 + .NET nanoFramework) with nanoff:
#   1. nanoFramework firmware (nanoBooter + nanoCLR) for the board's target,
#   2. the beacon application's deployment image (.bin with the app and its assemblies).
# Every step goes through run(); --dry-run prints the plan without touching the board.
set -euo pipefail

script_name="flash-beacon"
# Builtins only: this must work even when PATH lacks coreutils (the nanoff-missing check runs that way).
case "${BASH_SOURCE[0]}" in */*) script_dir="${BASH_SOURCE[0]%/*}" ;; *) script_dir="." ;; esac
script_dir="$(cd "$script_dir" && pwd)"

readonly EXIT_USAGE=2
readonly EXIT_NO_NANOFF=3
readonly EXIT_NO_PORT=4
readonly EXIT_FLASH_FAILED=5
readonly DEFAULT_ADDRESS=0x190000

port=""
board="wroom"
target=""
image=""
address="$DEFAULT_ADDRESS"
fwversion=""
nanoff="${NANOFF:-nanoff}"
do_firmware=1
mass_erase=0
dry_run=0

usage() {
  cat <<'USAGE'
Usage: flash-beacon.sh --port DEVICE [options]

Flashes nanoFramework firmware and the AetherEdge beacon app onto an ESP32 with nanoff.

  --port DEVICE        serial port of the board, e.g. /dev/ttyUSB0 or /dev/ttyACM0 (required)
  --board wroom|wrover module on the board: wroom = ESP32-WROOM-32E (no PSRAM, target ESP32_REV0),
                       wrover = ESP32-WROVER-E (PSRAM, target ESP32_PSRAM_REV0); default wroom
  --target NAME        nanoff target name instead of --board (e.g. ESP32_REV3, ESP32_PSRAM_REV3)
  --image FILE         deployment image (.bin) of the beacon app; without it only firmware is flashed
  --address HEX        flash address of the deployment region (default 0x190000, 4 MB partition table)
  --app-only           skip the firmware update, only deploy --image
  --fwversion VER      firmware version for nanoff (default: latest stable)
  --mass-erase         erase the whole flash before the firmware (wipes a previous app)
  --nanoff PATH        nanoff executable (default: $NANOFF or nanoff on PATH)
  --dry-run            print what would be done, change nothing
  -h, --help           this help

Exit codes: 2 bad arguments, 3 nanoff missing, 4 serial port missing, 5 nanoff failed.
Install nanoff once with: dotnet tool install -g nanoff   (then add ~/.dotnet/tools to PATH)
USAGE
}

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$script_dir/lib/common.sh"

while [ $# -gt 0 ]; do
  case "$1" in
    --port) need_value "$@"; port="$2"; shift 2 ;;
    --board) need_value "$@"; board="$2"; shift 2 ;;
    --target) need_value "$@"; target="$2"; shift 2 ;;
    --image) need_value "$@"; image="$2"; shift 2 ;;
    --address) need_value "$@"; address="$2"; shift 2 ;;
    --fwversion) need_value "$@"; fwversion="$2"; shift 2 ;;
    --nanoff) need_value "$@"; nanoff="$2"; shift 2 ;;
    --app-only) do_firmware=0; shift ;;
    --mass-erase) mass_erase=1; shift ;;
    --dry-run) dry_run=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "$EXIT_USAGE" "unknown argument '$1' (see --help)" ;;
  esac
done

[ -n "$port" ] || die "$EXIT_USAGE" "--port is required, e.g. --port /dev/ttyUSB0 (list ports: nanoff --listports)"

if [ -z "$target" ]; then
  case "$board" in
    wroom) target="ESP32_REV0" ;;
    wrover) target="ESP32_PSRAM_REV0" ;;
    *) die "$EXIT_USAGE" "--board must be wroom or wrover, got '$board'" ;;
  esac
fi

case "$target" in
  ESP32_*|ESP_*) ;;
  *) die "$EXIT_USAGE" "--target '$target' is not an ESP32 nanoff target (ESP32_REV0, ESP32_PSRAM_REV0, ...)" ;;
esac

if ! [[ "$address" =~ ^0x[0-9A-Fa-f]+$ ]]; then
  die "$EXIT_USAGE" "--address must be hexadecimal like 0x190000, got '$address'"
fi

if [ "$do_firmware" -eq 0 ] && [ -z "$image" ]; then
  die "$EXIT_USAGE" "--app-only needs --image FILE"
fi

if [ -n "$image" ] && ! [ -f "$image" ]; then
  die "$EXIT_USAGE" "deployment image '$image' not found (build the beacon app first)"
fi

if ! command -v "$nanoff" >/dev/null 2>&1; then
  if [ "$dry_run" -eq 1 ]; then
    echo "note: nanoff not found ('$nanoff'); install it with: dotnet tool install -g nanoff"
  else
    die "$EXIT_NO_NANOFF" "nanoff not found ('$nanoff'). Install it with: dotnet tool install -g nanoff ; then add ~/.dotnet/tools to PATH (or pass --nanoff PATH)"
  fi
fi

if ! [ -c "$port" ]; then
  if [ "$dry_run" -eq 1 ]; then
    echo "note: serial port $port not present now; plug the board in before a real run"
  else
    die "$EXIT_NO_PORT" "serial port $port not found: is the board plugged in and powered? Try: ls /dev/ttyUSB* /dev/ttyACM* or nanoff --listports (you may need to be in the dialout group)"
  fi
fi

echo "plan: target $target on $port"
step=1
if [ "$do_firmware" -eq 1 ]; then
  echo "step $step: update nanoFramework firmware (hold BOOT if the board does not enter the bootloader)"
  args=(--update --target "$target" --serialport "$port")
  [ -n "$fwversion" ] && args+=(--fwversion "$fwversion")
  [ "$mass_erase" -eq 1 ] && args+=(--masserase)
  run "$nanoff" "${args[@]}" || die "$EXIT_FLASH_FAILED" "nanoff firmware update failed (exit $?): check the cable, the port and the BOOT button"
  step=$((step + 1))
fi

if [ -n "$image" ]; then
  echo "step $step: deploy the beacon app $image at $address"
  run "$nanoff" --target "$target" --serialport "$port" --deploy --image "$image" --address "$address" --reset \
    || die "$EXIT_FLASH_FAILED" "nanoff deploy failed (exit $?): check --address matches the partition table"
fi

if [ "$dry_run" -eq 1 ]; then
  echo "done (dry run: nothing was flashed)"
else
  echo "done: nanoff reset the board; it now runs the beacon app"
fi
