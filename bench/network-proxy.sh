#!/usr/bin/env bash
# network.proxy with no toxic vs direct loopback vs socat as a plain relay, side by side in one run, against a
# local nginx: a large transfer (curl), many small requests (wrk -t2 -c50), p50/p99 added latency over 1,000
# keep-alive requests; then with `latency: 100ms` (downstream) the measured added delay at p50/p99.
# Targets: throughput >= 0.8 x direct, p99 added <= 1 ms, the 100 ms toxic within +-2 ms at p50 and p99.
# Usage: bench/network-proxy.sh [SECONDS]   (wrk seconds, 10 by default). Needs nginx, wrk, curl and socat
# (scripts/install-deps.sh test).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release >/dev/null
python3 bench/network_proxy.py "$PWD/.build/release/firedrill" "${1:-10}"
