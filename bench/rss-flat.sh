#!/usr/bin/env bash
# A long run with a `traffic` guard at 200 req/s: is the runner's peak RSS flat?
# Target: the last 10 minutes' peak RSS at most 10% above the first 10 minutes' peak.
# Usage: bench/rss-flat.sh [MINUTES] [RATE]   (30 and 200 by default; windows are a third of the run, at most 10 min)
# FIREDRILL_BIN=path skips the release build and uses that binary. Needs nginx (scripts/install-deps.sh test).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${FIREDRILL_BIN:-}" ]; then
  swift build -c release >/dev/null
  FIREDRILL_BIN="$PWD/.build/release/firedrill"
fi
python3 bench/rss_flat.py "$FIREDRILL_BIN" "${1:-30}" "${2:-200}"
