#!/usr/bin/env bash
# The project's one test command (README, .ci/run): builds everything, including the
# nanoFramework-subset check of shared-core, runs every test project, then prints one
# closing line "tests: N passed, N failed, N skipped".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

echo "== build (Release, warnings are errors, includes the nano-subset check)"
dotnet build AetherEdge.sln -c Release -nologo -v q

echo "== test"
status=0
dotnet test AetherEdge.sln -c Release --no-build -nologo -v q \
  --logger "trx" --results-directory "$results" \
  --blame-hang-timeout 5m || status=$?

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  # vstest leaves notExecuted at 0 for skipped tests; their results say outcome="NotExecuted".
  n=$({ grep -o '<UnitTestResult [^>]*outcome="NotExecuted"' "$trx" || true; } | wc -l)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
done

if [ "$failed" -gt 0 ] && command -v python3 >/dev/null; then
  echo "== failed tests"
  python3 - "$results" <<'PY'
import glob, html, re, sys
for path in glob.glob(sys.argv[1] + "/*.trx"):
    text = open(path, encoding="utf-8-sig").read()
    for m in re.finditer(r'<UnitTestResult [^>]*testName="([^"]+)"[^>]*outcome="Failed".*?<Message>(.*?)</Message>', text, re.S):
        print("FAILED " + m.group(1))
        print("  " + html.unescape(m.group(2))[:2000].replace("\n", "\n  "))
PY
fi

if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "no test ran" >&2
  status=1
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
