#!/usr/bin/env bash
# CPU per 1,000 http guard executions (target: under one core at 1,000/s).
# Usage: bench/guard-cost.sh [SECONDS]   (10 by default). Needs nginx and wrk (scripts/install-deps.sh test).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release >/dev/null
python3 bench/traffic.py "$PWD/.build/release/firedrill" guard-cost "${1:-10}"
