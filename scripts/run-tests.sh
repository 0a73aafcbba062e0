#!/usr/bin/env bash
# Runs the whole suite serially and, when it fails, repeats the failing tests and
# their recorded issues at the very end, where a truncated CI log still shows them.
set -uo pipefail
cd "$(dirname "$0")/.."
swift=${SWIFT:-swift}
log=.build/test-output.log
mkdir -p .build
"$swift" test --no-parallel "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
    echo
    echo "==== failed tests and their issues (full output: $log) ===="
    grep -E '✘|recorded an issue|Expectation failed|error:|Fatal error|Caught signal' "$log" | grep -v 'passed after' | head -60
fi
exit "$status"
