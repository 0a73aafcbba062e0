"""Measures flood.tcp in the real firedrill runner: time to open N connections to a local listener
and the runner's peak RSS. Usage: python3 bench/flood_tcp.py FIREDRILL_BIN [CONNECTIONS] [HOLD]"""
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tcp_hold_listener import HoldingListener  # noqa: E402

TARGET_OPEN_SECONDS = 5.0
TARGET_RSS_MB = 64.0


def main():
    binary = sys.argv[1]
    connections = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    hold = sys.argv[3] if len(sys.argv) > 3 else "3s"
    listener = HoldingListener()
    work = tempfile.mkdtemp(prefix="firedrill-bench-flood-")
    plan = os.path.join(work, "flood.yaml")
    with open(plan, "w") as f:
        f.write(f"""apiVersion: firedrill/v1
kind: Experiment
name: flood-tcp-bench
title: flood.tcp holds {connections} connections to a local listener
environment: bench
limits: {{ duration: 2m }}
method:
  - name: flood
    flood.tcp: {{ host: 127.0.0.1, port: {listener.port}, connections: {connections}, hold: {hold} }}
""")
    run_dir = os.path.join(work, "run")
    started = time.monotonic()
    proc = subprocess.run([binary, "run", plan, "--report-dir", run_dir, "--quiet"], capture_output=True, text=True, timeout=300)
    wall = time.monotonic() - started
    peak_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
    time.sleep(1.0)
    listener.stop()

    opened = None
    with open(os.path.join(run_dir, "journal.jsonl")) as journal:
        for line in journal:
            event = json.loads(line)
            if event.get("type") == "flood.opened":
                opened = event.get("data", {})
    if proc.returncode != 0 or opened is None:
        print(f"run failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        sys.exit(1)

    open_seconds = opened["open-seconds"]
    print(f"flood.tcp, {connections} connections to 127.0.0.1, hold {hold}")
    print(f"  opened {int(opened['opened'])}, refused {int(opened['refused'])}, failed {int(opened['failed'])}, timed out {int(opened['timed-out'])}")
    print(f"  listener: accepted {listener.accepted}, peak open {listener.peak_open}, closed by the runner {listener.closed}")
    print(f"  time to open all: {open_seconds:.3f} s (target <= {TARGET_OPEN_SECONDS:.0f} s)")
    print(f"  runner peak RSS: {peak_rss_mb:.1f} MB (target <= {TARGET_RSS_MB:.0f} MB)")
    print(f"  whole run: {wall:.2f} s")
    ok = (int(opened["opened"]) == connections and open_seconds <= TARGET_OPEN_SECONDS
          and peak_rss_mb <= TARGET_RSS_MB and listener.closed == connections)
    print("  result: " + ("within targets" if ok else "OUTSIDE targets"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
