#!/usr/bin/env bash
# Sets up what the tests need (idempotently), builds, runs every test project
# and prints one closing line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
scripts/setup.sh test || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
if ! dotnet build Waymark.slnx -c Debug -v quiet -nologo; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi
passed=0; failed=0; status=0
failures=$(mktemp)
for project in tests/*/; do
  name=$(basename "$project")
  exe="$project/bin/Debug/net10.0/$name"
  [ -x "$exe" ] || continue
  echo "=== $name"
  log=$(mktemp)
  "$exe" -noColor -parallelMode collections 2>&1 | tee "$log" | grep -v -E '^\s*(warn|info): |^      (Note|Participant)' || true
  summary=$(grep -E "Total: [0-9]+" "$log" | tail -n 1)
  total=$(sed -E 's/.*Total: ([0-9]+).*/\1/' <<<"$summary")
  errs=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$summary")
  fails=$(sed -E 's/.*Failed: ([0-9]+).*/\1/' <<<"$summary")
  skipped=$(sed -E 's/.*Skipped: ([0-9]+).*/\1/' <<<"$summary")
  if [ -z "$summary" ]; then
    echo "$name: no test summary (the runner crashed?)"
    failed=$((failed + 1)); status=1
  else
    passed=$((passed + total - fails - skipped - errs))
    failed=$((failed + fails + errs))
    [ "$fails" = 0 ] && [ "$errs" = 0 ] || status=1
  fi
  # Keep each failed test's name and first lines of its reason for the end.
  awk -v p="$name" '/\[FAIL\]/ {n=12; print "--- " p ":"} n>0 {print; n--}' "$log" >>"$failures"
  rm -f "$log"
done
if [ -s "$failures" ]; then
  echo "=== Failed tests"
  cat "$failures"
fi
rm -f "$failures"
echo "$passed passed, $failed failed"
exit $status
