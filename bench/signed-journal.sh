#!/usr/bin/env bash
# Signing's cost at scale: the synthetic one-hour drill journal with 50,000 probe results written through the
# real Journal API (`firedrill bench-journal`, fsync per event), unsigned and signed (ed25519 checkpoints every
# 200 events or 5 s, and the seal), side by side: writing it, rendering its four reports under /usr/bin/time -v,
# and `firedrill verify` (with --trust for the signed one). Targets: render < 1 s and < 100 MB peak RSS for both,
# verify of the signed journal < 1 s (release build). Each figure is the worst of RUNS runs.
# Usage: bench/signed-journal.sh   (PROBE_EVENTS=50000 RUNS=5 by default; NO_BUILD=1 uses the release build as it is)
set -euo pipefail
cd "$(dirname "$0")/.."
PROBE_EVENTS="${PROBE_EVENTS:-50000}"
RUNS="${RUNS:-5}"
[ -n "${NO_BUILD:-}" ] || swift build -c release >/dev/null
bin="$PWD/.build/release/firedrill"
if [ ! -x /usr/bin/time ]; then echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; fi

# tmpfs when there is one: the journal fsyncs every event, and the disk is not what is measured here.
base="${TMPDIR:-/tmp}"
if [ -d /dev/shm ] && [ -w /dev/shm ]; then base=/dev/shm; fi
work="$(mktemp -d "$base/firedrill-signed-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
"$bin" key generate --out "$work/keys" >/dev/null

# timed CMD...: runs CMD RUNS times; prints "<worst seconds> <worst peak KB> <best seconds>".
timed() {
  local worst_s=0 worst_kb=0 best_s=999 seconds kb
  for _ in $(seq 1 "$RUNS"); do
    /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" >/dev/null 2>&1
    read -r seconds kb <"$work/time.txt"
    worst_s="$(awk -v a="$worst_s" -v b="$seconds" 'BEGIN { print (b > a) ? b : a }')"
    best_s="$(awk -v a="$best_s" -v b="$seconds" 'BEGIN { print (b < a) ? b : a }')"
    if [ "$kb" -gt "$worst_kb" ]; then worst_kb="$kb"; fi
  done
  echo "$worst_s $worst_kb $best_s"
}

declare -A write render verify size events
for mode in unsigned signed; do
  key=()
  trust=()
  if [ "$mode" = signed ]; then key=(--signing-key "$work/keys/firedrill.key"); trust=(--trust "$work/keys/firedrill.pub"); fi
  worst=0
  for i in $(seq 1 "$RUNS"); do
    rm -rf "$work/$mode"
    /usr/bin/time -f '%e' -o "$work/time.txt" "$bin" bench-journal "$work/$mode" --probe-events "$PROBE_EVENTS" "${key[@]}" >/dev/null
    worst="$(awk -v a="$worst" -v b="$(cat "$work/time.txt")" 'BEGIN { print (b > a) ? b : a }')"
  done
  write[$mode]="$worst"
  "$bin" verify "$work/$mode" "${trust[@]}" >"$work/verify.txt"
  events[$mode]="$(grep -o 'sealed: [0-9]* events' "$work/verify.txt" | grep -o '[0-9]*')"
  size[$mode]="$(wc -c <"$work/$mode/journal.jsonl")"
  render[$mode]="$(timed "$bin" report "$work/$mode")"
  verify[$mode]="$(timed "$bin" verify "$work/$mode" "${trust[@]}")"
done

printf '%-34s %18s %18s\n' "" unsigned signed
printf '%-34s %18s %18s\n' "journal events (incl. checkpoints)" "${events[unsigned]}" "${events[signed]}"
printf '%-34s %18s %18s\n' "journal bytes" "${size[unsigned]}" "${size[signed]}"
printf '%-34s %17ss %17ss\n' "write (bench-journal, worst)" "${write[unsigned]}" "${write[signed]}"
for what in render verify; do
  declare -n figures="$what"
  read -r us ukb ub <<<"${figures[unsigned]}"
  read -r ss skb sb <<<"${figures[signed]}"
  printf '%-34s %10ss %4d MB %10ss %4d MB\n' "$what (worst of $RUNS)" "$us" "$((ukb / 1024))" "$ss" "$((skb / 1024))"
  printf '%-34s %10ss %7s %10ss\n' "$what (best of $RUNS)" "$ub" "" "$sb"
done
read -r rus rukb _ <<<"${render[unsigned]}"
read -r rss rskb _ <<<"${render[signed]}"
read -r vss _ _ <<<"${verify[signed]}"
ok="$(awk -v a="$rus" -v b="$rss" -v c="$vss" -v d="$rukb" -v e="$rskb" \
  'BEGIN { print (a < 1.0 && b < 1.0 && c < 1.0 && d < 100 * 1024 && e < 100 * 1024) ? "MET" : "MISSED" }')"
printf 'targets: render < 1 s and < 100 MB (both), verify signed < 1 s: %s\n' "$ok"
[ "$ok" = MET ]
