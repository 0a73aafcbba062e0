"""RUNNERS runners contend for PLANS plans through a shared PostgreSQL store (a throw-away local cluster).

Each runner has its own working folder and reports root, as on a machine of its own, so only the store's
advisory locks stand between them. Runner i runs plan i % PLANS, starting at a fixed pseudo-random offset within
SPREAD seconds; the plan's method stamps the wall time, sleeps 2 s and stamps it again. Checked:
  - at most once at a time: no two stamped [start, end] intervals of one plan overlap;
  - no run lost: every runner exited 0 (ran) or 3 refused naming who held the plan; the store records exactly
    the runs that ran, each ended `passed`, and no run of a plan overlapped another in the store either.
Usage: python3 bench/lock_contention.py FIREDRILL_BIN [RUNNERS] [PLANS] [SPREAD]"""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from flood_postgres import Server  # noqa: E402  (the throw-away local PostgreSQL of the flood benchmark)

STAMP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stamp.py")


def plan_text(name, stamps):
    return f"""apiVersion: firedrill/v1
kind: Experiment
name: {name}
title: lock contention {name}
environment: bench
steady-state:
  - name: alive
    command: [true]
method:
  - name: stamp-start
    command: [python3, "{STAMP}", "{stamps}"]
  - name: hold
    command: [sleep, "2"]
  - name: stamp-end
    command: [python3, "{STAMP}", "{stamps}"]
"""


def overlaps(intervals):
    intervals = sorted(intervals)
    return sum(1 for (a, b) in zip(intervals, intervals[1:]) if b[0] < a[1])


def main():
    binary = sys.argv[1]
    runners = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    plans = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    spread = float(sys.argv[4]) if len(sys.argv) > 4 else 12.0
    work = tempfile.mkdtemp(prefix="firedrill-bench-locks-")
    server = Server(max_connections=max(40, runners * 2))
    try:
        server.psql("CREATE DATABASE history")
        dsn = f"postgresql://bench@127.0.0.1:{server.port}/history"
        # The store's schema first, so the runners do not all migrate at once (they may: it is serialised).
        subprocess.run([binary, "history", "--store", dsn], check=True, capture_output=True, timeout=60)
        rng = random.Random(13)
        offsets = sorted(rng.uniform(0, spread) for _ in range(runners))
        jobs = []
        results = []

        def collect(job):
            i, name, folder, stamps, proc, launched = job
            try:
                out, _ = proc.communicate(timeout=180)
            except subprocess.TimeoutExpired:
                proc.kill()
                out, _ = proc.communicate()
            results.append((i, name, folder, stamps, proc.returncode, out, time.monotonic() - launched))

        started = time.monotonic()
        for i in range(runners):
            name = f"contended-{i % plans}"
            folder = os.path.join(work, f"runner-{i:02d}")
            os.makedirs(folder)
            stamps = os.path.join(folder, "stamps")
            with open(os.path.join(folder, "plan.yaml"), "w") as f:
                f.write(plan_text(name, stamps))
            delay = offsets[i] - (time.monotonic() - started)
            if delay > 0:
                time.sleep(delay)
            proc = subprocess.Popen([binary, "run", "plan.yaml", "--store", dsn, "--quiet"], cwd=folder,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            job = (i, name, folder, stamps, proc, time.monotonic())
            # Waited for at once by a thread of its own, so its exit time is its own, not when the launching ended.
            thread = threading.Thread(target=collect, args=(job,))
            thread.start()
            jobs.append(thread)
        for thread in jobs:
            thread.join(timeout=240)
        wall = time.monotonic() - started
        history = subprocess.run([binary, "history", "--store", dsn, "--format", "json"], capture_output=True, text=True, timeout=60)
        stored = json.loads(history.stdout)
    finally:
        server.stop()

    problems = []
    load = os.getloadavg()
    print(f"lock contention: {runners} runners, {plans} plans, each runner its own reports root, started over {spread:g} s, "
          f"one shared PostgreSQL store on 127.0.0.1; {wall:.1f} s wall; load average {load[0]:.1f} on {os.cpu_count()} cores")
    for p in range(plans):
        name = f"contended-{p}"
        mine = [r for r in results if r[1] == name]
        ran = [r for r in mine if r[4] == 0]
        refused = [r for r in mine if r[4] == 3 and f"{name} is being run by " in r[5] and "(pid " in r[5]]
        other = [r for r in mine if r not in ran and r not in refused]
        intervals = []
        for r in ran:
            with open(r[3]) as f:
                times = [float(x) for x in f.read().split()]
            if len(times) != 2:
                problems.append(f"{r[2]}: {len(times)} stamps")
                continue
            intervals.append((times[0], times[1]))
        for r in mine:
            if r[4] != 0 and os.path.exists(r[3]):
                problems.append(f"{r[2]}: refused, yet its method ran")
        records = [s for s in stored if s["plan"] == name]
        store_intervals = [(s["startedAt"], s.get("endedAt") or "") for s in records]
        stored_overlaps = sum(1 for a, b in zip(sorted(store_intervals), sorted(store_intervals)[1:]) if b[0] < a[1])
        lost = len(ran) - sum(1 for s in records if s.get("ending") == "passed")
        stamped_overlaps = overlaps(intervals)
        refusal = sorted(r[6] for r in refused)
        print(f"  {name}: {len(mine)} runners: {len(ran)} ran, {len(refused)} refused naming the holder, {len(other)} other; "
              f"overlapping runs {stamped_overlaps} (stamped), {stored_overlaps} (store); store records {len(records)}, lost {lost}"
              + (f"; a refused runner exits {refusal[len(refusal) // 2] * 1000:.0f} ms after its launch (median)" if refusal else ""))
        for r in other:
            problems.append(f"{r[2]} exited {r[4]}: {r[5].strip()[-300:]}")
        if stamped_overlaps or stored_overlaps:
            problems.append(f"{name}: runs overlapped")
        if lost or len(records) != len(ran):
            problems.append(f"{name}: {len(ran)} ran, {len(records)} in the store")
    total_ran = sum(1 for r in results if r[4] == 0)
    print(f"  all: {total_ran} runs, {runners - total_ran} refusals; at most once at a time: "
          + ("yes" if not any("overlapped" in p for p in problems) else "NO") + "; no run lost: " + ("yes" if not problems else "NO"))
    for p in problems:
        print("  problem: " + p)
    print("  result: " + ("within target" if not problems else "OUTSIDE target"))
    shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if not problems else 1)


if __name__ == "__main__":
    main()
