#!/usr/bin/env bash
# Runs the whole suite serially and, when it fails, repeats the failing tests and
# their recorded issues at the very end, where a truncated CI log still shows them.
# Without arguments it then runs a short fuzz run of the loader (FIREDRILL_FUZZ_CASES cases,
# 1000 by default, 0 to skip); `make fuzz` runs the long one.
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
fuzz_cases=${FIREDRILL_FUZZ_CASES:-1000}
if [ "$#" -eq 0 ] && [ "$fuzz_cases" -gt 0 ]; then
    echo
    echo "==== short fuzz run: $fuzz_cases mutated plans through validate and plan ===="
    python3 fuzz/fuzz.py --binary .build/debug/firedrill --cases "$fuzz_cases" --seed "${FIREDRILL_FUZZ_SEED:-1}"
    fuzz_status=$?
    if [ "$status" -eq 0 ]; then status=$fuzz_status; fi
fi
exit "$status"
