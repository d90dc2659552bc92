# Helpers shared by the flash-scripts. Source after setting: script_name, dry_run, EXIT_USAGE.
# shellcheck shell=bash
# The sourcing script defines these:
# shellcheck disable=SC2154

# die CODE MESSAGE...: one line on stderr naming the script, then exit CODE.
die() {
  local code="$1"
  shift
  echo "$script_name: error: $*" >&2
  exit "$code"
}

# run CMD...: runs the command, or with --dry-run only prints it.
run() {
  if [ "$dry_run" -eq 1 ]; then
    echo "would run: $*"
  else
    echo "+ $*"
    "$@"
  fi
}

# need_value OPTION VALUE...: an option's value must be present and must not look like another option.
need_value() {
  if [ $# -lt 2 ] || [ -z "$2" ] || [[ "$2" == -* ]]; then
    die "$EXIT_USAGE" "$1 needs a value (see --help)"
  fi
}
