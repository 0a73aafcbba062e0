"""Peak RSS of a long run with an open-loop `traffic` guard, first window against last window.

The runner runs one plan: a `traffic` steady-state probe at RATE/s against a local nginx, reused as a guard every
second (its stream keeps running between executions), and a method that waits MINUTES. VmRSS and VmHWM of the
runner are read from /proc/PID/status once a second. Printed: peak RSS over the first and the last window (a third
of the run, at most 10 minutes each), their ratio against the 1.10 target, the requests the guard judged and the
run's ending.
Usage: python3 bench/rss_flat.py FIREDRILL_BIN [MINUTES] [RATE]"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nginx_server import NginxServer  # noqa: E402

TARGET = 1.10


def status_kb(pid, field):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def main():
    binary = sys.argv[1]
    minutes = float(sys.argv[2]) if len(sys.argv) > 2 else 30.0
    rate = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    seconds = int(minutes * 60)
    window = min(600, seconds // 3)
    work = tempfile.mkdtemp(prefix="firedrill-bench-rss-")
    try:
        with NginxServer(workers=1) as nginx:
            plan = os.path.join(work, "rss-flat.yaml")
            with open(plan, "w") as f:
                f.write(f"""apiVersion: firedrill/v1
kind: Experiment
name: rss-flat
title: Peak RSS under a long traffic guard
environment: bench
limits: {{ duration: {seconds + 600}s }}
steady-state:
  - name: availability
    traffic: {{ url: "{nginx.url}", rate: {rate}/s, for: 2s, window: 10s, request-timeout: 2s }}
    expect: {{ success: ">= 99%" }}
guards:
  - use: availability
    every: 1s
method:
  - name: hold
    wait: {seconds}s
""")
            run_dir = os.path.join(work, "run")
            argv = [binary, "run", plan, "--report-dir", run_dir, "--quiet", "--no-store"]
            proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            started = time.monotonic()
            samples = []  # (seconds since start, VmRSS kB)
            deadline = started + seconds + 900
            while proc.poll() is None and time.monotonic() < deadline:
                rss = status_kb(proc.pid, "VmRSS")
                if rss is not None:
                    samples.append((time.monotonic() - started, rss))
                hwm = status_kb(proc.pid, "VmHWM") or 0
                time.sleep(1.0)
            if proc.poll() is None:
                proc.kill()
                sys.exit("the run did not end in time")
            out, err = proc.communicate()
        wall = time.monotonic() - started
        if proc.returncode != 0:
            sys.exit(f"run failed (exit {proc.returncode}):\n{out}\n{err}")
        judged = None
        guard_results = 0
        with open(os.path.join(run_dir, "journal.jsonl")) as journal:
            for line in journal:
                event = json.loads(line)
                data = event.get("data", {})
                if event.get("type") == "probe.result" and data.get("role") == "guard":
                    guard_results += 1
                    observed = data.get("observed") or {}
                    if isinstance(observed, dict) and "rate" in observed:
                        judged = observed.get("rate")
        # The first window starts once the guard stream runs (after the steady-state measurement).
        body = [s for s in samples if s[0] >= 5.0]
        end = body[-1][0] if body else 0
        first = [rss for t, rss in body if t < 5.0 + window]
        last = [rss for t, rss in body if t > end - window]
        if not first or not last:
            sys.exit("too few RSS samples")
        first_peak, last_peak = max(first), max(last)
        ratio = last_peak / first_peak
        print(f"peak RSS, one traffic guard open-loop at {rate} req/s (window 10 s, judged every 1 s) against nginx on 127.0.0.1")
        print(f"  run: {seconds} s method, {wall:.0f} s wall, {len(samples)} RSS samples (VmRSS every 1 s), "
              f"{guard_results} guard results journaled "
              f"(last judged rate {judged} req/s), exit {proc.returncode}")
        startup = next((rss for t, rss in samples if t >= 5.0), 0)
        print(f"  RSS 5 s in (guard stream running) {startup / 1024:.1f} MiB; high-water mark (VmHWM) {hwm / 1024:.1f} MiB")
        print(f"  first {window / 60:g} min peak {first_peak / 1024:.1f} MiB; last {window / 60:g} min peak {last_peak / 1024:.1f} MiB; "
              f"ratio {ratio:.3f} (target <= {TARGET:.2f})")
        step = max(1, seconds // 10)
        trace = ", ".join(f"{t / 60:.1f}m {rss / 1024:.1f}" for t, rss in samples[::step] if t >= 5.0)
        print(f"  RSS trace (MiB): {trace}")
        print("  result: " + ("within target" if ratio <= TARGET else "OUTSIDE target"))
        sys.exit(0 if ratio <= TARGET else 1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
