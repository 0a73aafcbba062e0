#!/usr/bin/env bash
# flood.postgres in the real runner against a local PostgreSQL with max_connections=100.
# Prints the time until the server refuses new clients, as the runner saw it and as an outside
# client (an ordinary role, polling with psql) saw it. Target: <= 1 s.
# Usage: bench/flood-postgres.sh [MAX_CONNECTIONS] [TRIALS]   (100 and 5 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release >/dev/null
python3 bench/flood_postgres.py "$PWD/.build/release/firedrill" "${1:-100}" "${2:-5}"
