#!/usr/bin/env bash
# The local demo: starts `firedrill sandbox`, runs two real experiments and a real drill against it, and prints
# where each report is. Nothing outside this machine is touched; all traffic stays on 127.0.0.1.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-.build/release/firedrill}"
PORT="${FIREDRILL_DEMO_PORT:-18080}"
STATE=".firedrill/sandbox"
REPORTS="reports"

if curl -s -o /dev/null "http://127.0.0.1:${PORT}/" 2>/dev/null; then
  echo "port ${PORT} is already in use; set FIREDRILL_DEMO_PORT to a free port" >&2
  exit 1
fi
rm -rf "$STATE" && mkdir -p "$STATE" "$REPORTS"
"$BIN" sandbox --port "$PORT" --workers 3 --restart-delay 1s --state-dir "$STATE" >"$STATE/supervisor.out" 2>&1 &
SANDBOX=$!
cleanup() { kill -TERM "$SANDBOX" 2>/dev/null; wait "$SANDBOX" 2>/dev/null; }
trap cleanup EXIT

for _ in $(seq 1 100); do
  curl -sf -o /dev/null "http://127.0.0.1:${PORT}/health" && break
  sleep 0.1
done
curl -sf -o /dev/null "http://127.0.0.1:${PORT}/health" || { echo "the sandbox did not start:"; cat "$STATE/supervisor.out"; exit 1; }
echo "sandbox: 3 workers on http://127.0.0.1:${PORT} (state in ${STATE})"

status=0
step() {
  local title="$1" expect="$2" plan="$3"
  echo
  echo "=== ${title}"
  echo "\$ firedrill run ${plan}"
  "$BIN" run "$plan" --var "port=${PORT}" --var "state-dir=${STATE}" --reports "$REPORTS" --force
  local rc=$?
  if [ "$rc" -ne "$expect" ]; then
    echo "demo: expected exit ${expect}, got ${rc}" >&2
    status=1
  fi
  LAST_RUN=$(ls -td "$REPORTS"/*/ | head -1)
}

step "1/3 experiment: kill one worker while a guard watches /health (expected: passed)" 0 experiments/local-worker-kill.yaml
RUN1=$LAST_RUN
step "2/3 experiment: stop restarts and kill every worker (expected: the guard aborts, the rollback restores service)" 2 experiments/local-total-outage.yaml
RUN2=$LAST_RUN
step "3/3 drill: total outage, runbook re-enables restarts, RTO measured (expected: passed)" 0 drills/local-sandbox-outage.yaml
RUN3=$LAST_RUN

echo
echo "=== reports"
for r in "$RUN1" "$RUN2" "$RUN3"; do
  echo "  ${r}report.md"
  [ -f "${r}report.html" ] && echo "  ${r}report.html"
done
grep -h '"type":"rto.measured"' "${RUN3}journal.jsonl" | python3 -c 'import json,sys
for line in sys.stdin:
    e=json.loads(line)["data"]
    s=e.get("seconds")
    o=e.get("objective")
    print("drill RTO: %s (objective %s): %s" % ("%.3fs" % s if s is not None else "not recovered", "%gs" % o if o else "none", "MET" if e.get("met") else "MISSED"))'
echo "verify any run: firedrill verify ${RUN3}"
exit $status
