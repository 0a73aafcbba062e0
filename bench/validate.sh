#!/usr/bin/env bash
# Generates 1,000 plan files (copies of every example plan with distinct names) and times `firedrill validate` on
# all of them in one call. Target: under 1 s in total on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --static-swift-stdlib >/dev/null
BIN="$PWD/.build/release/firedrill"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
examples=(experiments/*.yaml drills/*.yaml)
for i in $(seq 0 999); do
  src=${examples[$((i % ${#examples[@]}))]}
  sed "s/^name: \(.*\)$/name: \1-$i/" "$src" > "$dir/plan-$i.yaml"
done
echo "plans: $(ls "$dir" | wc -l) files, $(cat "$dir"/*.yaml | wc -l) lines"
best=999
for run in 1 2 3 4 5; do
  start=$EPOCHREALTIME
  "$BIN" validate --quiet "$dir" > "$dir.out" || { cat "$dir.out"; exit 1; }
  end=$EPOCHREALTIME
  t=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
  echo "run $run: $(tail -1 "$dir.out") in ${t}s"
  best=$(awk -v a="$t" -v b="$best" 'BEGIN { print (a < b) ? a : b }')
done
echo "firedrill validate, 1,000 plans: best of 5 = ${best}s (target < 1s)"
