#!/usr/bin/env bash
# Firedrill vs Chaos Toolkit 1.19 (with chaostoolkit-addons safeguards), side by side in one run:
# guard-breach -> rollback latency, rollback coverage, trivial-plan wall time and peak RSS.
# Usage: bench/abort-latency.sh   (TRIALS=5 SEED=7 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --static-swift-stdlib >/dev/null
if [ ! -x bench/.venv/bin/chaos ]; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install --quiet --disable-pip-version-check 'chaostoolkit==1.19.0' chaostoolkit-addons
fi
bench/.venv/bin/python bench/abort_latency.py "$PWD/.build/release/firedrill" "$PWD/bench/.venv/bin/chaos"
