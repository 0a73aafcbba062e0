#!/usr/bin/env bash
# RPO and RTO of a real PostgreSQL failover drill next to ground truth: replication stalled through a proxy
# this script controls (RPO truth: disaster - stall), the promoted standby's own "ready" log line (RTO truth),
# WAL bytes lost next to pg_waldump's end of the old primary's WAL, and false MET verdicts with a replica that
# is already behind. Target: |error| <= every + 50 ms for both, 0 false MET.
# Usage: bench/rpo-rto-accuracy.sh [TRIALS] [BEHIND_TRIALS]   (10 and 3 by default)
#        FIREDRILL_BIN=path/to/firedrill skips the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${FIREDRILL_BIN:-}" ]; then
  swift build -c release >/dev/null
  FIREDRILL_BIN="$PWD/.build/release/firedrill"
fi
python3 bench/rpo_rto_accuracy.py "$FIREDRILL_BIN" "${1:-10}" "${2:-3}"
