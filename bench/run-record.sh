#!/usr/bin/env bash
# What the run record costs at the start of a run: `firedrill run` of a one-step command plan, against the same
# plan whose rollbacks name kubectl, aws and railway steps (never run: --rollbacks never), so the run reads
# `kubectl version --client`, `aws --version` and `railway --version` (in parallel, 5 s limit each) before
# `run.started`. Side by side: the installed CLIs' own version commands run one after another, as a script would.
# A tool that is not installed is recorded as missing and costs only the PATH lookup.
# Usage: bench/run-record.sh   (RUNS=5; FIREDRILL_BIN=path to use a given build, else a release build is made)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-5}"
if [ -z "${FIREDRILL_BIN:-}" ]; then swift build -c release >/dev/null; FIREDRILL_BIN="$PWD/.build/release/firedrill"; fi
work="$(mktemp -d "${TMPDIR:-/tmp}/firedrill-record-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT

plan() {
  cat <<YAML
apiVersion: firedrill/v1
kind: Experiment
name: record-bench-$1
title: run record cost
environment: bench
method:
  - name: noop
    command: ["true"]
YAML
  if [ "$1" = tools ]; then
    cat <<YAML
rollbacks:
  - kubernetes.rollout-restart: { deployment: api, namespace: bench }
  - aws.ec2.reboot-instances: { ids: [i-0123456789abcdef0], region: eu-west-1 }
  - railway.restart: { service: api }
YAML
  fi
}

now() { date +%s.%N; }
mean_ms() { awk '{ s += $1 } END { printf "%.0f", s / NR * 1000 }'; }

for kind in none tools; do
  plan "$kind" >"$work/$kind.yaml"
  : >"$work/$kind.times"
  for i in $(seq 1 "$RUNS"); do
    t0=$(now)
    "$FIREDRILL_BIN" run "$work/$kind.yaml" --report-dir "$work/$kind-$i" --reports "$work/reports" --rollbacks never --quiet >/dev/null 2>&1 || true
    t1=$(now)
    echo "$t1 - $t0" | bc -l >>"$work/$kind.times"
  done
done
: >"$work/cli.times"
for i in $(seq 1 "$RUNS"); do
  t0=$(now)
  for cli in "kubectl version --client" "aws --version" "railway --version"; do $cli >/dev/null 2>&1 || true; done
  t1=$(now)
  echo "$t1 - $t0" | bc -l >>"$work/cli.times"
done
printf '%-58s %8s\n' "mean of $RUNS runs" "wall ms"
printf '%-58s %8s\n' "firedrill run, plan uses no external tool" "$(mean_ms <"$work/none.times")"
printf '%-58s %8s\n' "firedrill run, plan uses kubectl + aws + railway" "$(mean_ms <"$work/tools.times")"
printf '%-58s %8s\n' "the three version commands by themselves, in sequence" "$(mean_ms <"$work/cli.times")"
echo "tools as recorded by the last run:"
python3 - "$work/tools-$RUNS/report.json" <<'PY'
import json, sys
for t in json.load(open(sys.argv[1]))["record"]["tools"]:
    print(f'  {t["tool"]:8} {t["status"]:10} {t.get("version") or t.get("detail") or ""}')
PY
