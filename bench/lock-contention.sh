#!/usr/bin/env bash
# 20 runners contend for 5 plans through a shared PostgreSQL store's locks: each plan runs at most once at a time,
# and no run is lost (every runner ran, or was refused naming who held the plan; the store has every run that ran).
# Usage: bench/lock-contention.sh [RUNNERS] [PLANS] [SPREAD_SECONDS]   (20, 5 and 12 by default)
# FIREDRILL_BIN=path skips the release build and uses that binary. Needs PostgreSQL (scripts/install-deps.sh test).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${FIREDRILL_BIN:-}" ]; then
  swift build -c release >/dev/null
  FIREDRILL_BIN="$PWD/.build/release/firedrill"
fi
python3 bench/lock_contention.py "$FIREDRILL_BIN" "${1:-20}" "${2:-5}" "${3:-12}"
