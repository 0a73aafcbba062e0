#!/usr/bin/env bash
# Open-loop honesty: p99 of the traffic probe at 1,000/s while nginx stalls for exactly 1 s (target >= 0.9 s), next to wrk's.
# Usage: bench/traffic-stall.sh [SECONDS]   (10 by default). Needs nginx and wrk (scripts/install-deps.sh test).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release >/dev/null
python3 bench/traffic.py "$PWD/.build/release/firedrill" stall "${1:-10}"
