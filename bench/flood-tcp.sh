#!/usr/bin/env bash
# flood.tcp in the real runner: 10,000 connections held against a local listener.
# Prints the time to open them all and the runner's peak RSS (targets: <= 5 s, <= 64 MB).
# Usage: bench/flood-tcp.sh [CONNECTIONS] [HOLD]   (10000 and 3s by default)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release >/dev/null
python3 bench/flood_tcp.py "$PWD/.build/release/firedrill" "${1:-10000}" "${2:-3s}"
