#!/usr/bin/env bash
# `firedrill history` and `firedrill due` over a store of 10,000 runs of 100 plans, SQLite and PostgreSQL.
# Target: < 200 ms each (whole process, start-up included).
# Usage: bench/program-store.sh [RUNS] [PLANS]   (10000 and 100 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release >/dev/null
python3 bench/program_store.py "$PWD/.build/release/firedrill" "${1:-10000}" "${2:-100}"
