#!/usr/bin/env bash
# Report rendering at scale: a synthetic one-hour drill journal with 50,000 probe results (written through the
# real Journal API by `firedrill bench-journal`), then `firedrill report` rendering all four formats (JSON,
# Markdown, HTML, JUnit) under /usr/bin/time -v. Prints wall time and peak RSS per run and checks the targets:
# < 1 s and < 100 MB peak RSS (release build).
# Usage: bench/report-render.sh   (PROBE_EVENTS=50000 RUNS=5 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
PROBE_EVENTS="${PROBE_EVENTS:-50000}"
RUNS="${RUNS:-5}"
swift build -c release >/dev/null
bin="$PWD/.build/release/firedrill"
if [ ! -x /usr/bin/time ]; then echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; fi

# tmpfs when there is one: the journal fsyncs every event, and the disk is not what is measured here.
base="${TMPDIR:-/tmp}"
if [ -d /dev/shm ] && [ -w /dev/shm ]; then base=/dev/shm; fi
work="$(mktemp -d "$base/firedrill-report-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
run="$work/run"

"$bin" bench-journal "$run" --probe-events "$PROBE_EVENTS"
"$bin" verify "$run" >/dev/null
printf 'journal: %s bytes\n' "$(wc -c <"$run/journal.jsonl")"

worst_s=0
worst_kb=0
for i in $(seq 1 "$RUNS"); do
  /usr/bin/time -f '%e %M' -o "$work/time.txt" "$bin" report "$run" >/dev/null
  read -r seconds kb <"$work/time.txt"
  printf 'run %d: %.2f s, peak RSS %d MB\n' "$i" "$seconds" "$((kb / 1024))"
  worst_s="$(awk -v a="$worst_s" -v b="$seconds" 'BEGIN { print (b > a) ? b : a }')"
  if [ "$kb" -gt "$worst_kb" ]; then worst_kb="$kb"; fi
done
for f in report.json report.md report.html junit.xml; do
  printf '%-12s %9d bytes\n' "$f" "$(wc -c <"$run/$f")"
done
best="$(awk -v kb="$worst_kb" -v s="$worst_s" 'BEGIN { ok = (s < 1.0 && kb < 100 * 1024); print ok ? "MET" : "MISSED" }')"
printf 'worst of %d: %.2f s, %d MB peak RSS (target < 1 s, < 100 MB): %s\n' "$RUNS" "$worst_s" "$((worst_kb / 1024))" "$best"
[ "$best" = MET ]
