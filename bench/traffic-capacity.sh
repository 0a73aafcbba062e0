#!/usr/bin/env bash
# The traffic probe at concurrency 64 against wrk -t2 -c64 on a local nginx (target >= 0.7 x wrk).
# Usage: bench/traffic-capacity.sh [SECONDS]   (10 by default). Needs nginx and wrk (scripts/install-deps.sh test).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release >/dev/null
python3 bench/traffic.py "$PWD/.build/release/firedrill" capacity "${1:-10}"
