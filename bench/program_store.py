"""Times `firedrill history` and `firedrill due` over a store of RUNS runs of PLANS plans, SQLite and PostgreSQL.

The store is filled by the hidden `firedrill bench-store` command; each command is timed as a whole process
(start-up included), five times, and the median is printed next to the target.
Usage: python3 bench/program_store.py FIREDRILL_BIN [RUNS] [PLANS]"""
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from flood_postgres import Server  # noqa: E402  (the throw-away local PostgreSQL of the flood benchmark)

TARGET_MS = 200
TRIALS = 5


def timed(argv, ok=(0,)):
    """Wall time and CPU time (user + system) of one whole process, in ms. On a busy machine the wall time includes
    waiting for a core; the CPU time is what the process needed, close to its wall time on an idle machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=300)
    elapsed = (time.monotonic() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in ok:
        sys.exit(f"{' '.join(argv[:3])} exited {done.returncode}: {done.stderr.strip()}")
    cpu = ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)) * 1000
    return elapsed, cpu


def bench(binary, label, store, plans_dir, runs, plans):
    start = time.monotonic()
    filled = subprocess.run([binary, "bench-store", store, plans_dir, "--runs", str(runs), "--plans", str(plans)],
                            check=True, capture_output=True, text=True, timeout=1800)
    written = filled.stdout.strip().split(": ")[-1].split(";")[0]
    print(f"{label}: filled with {written} in {time.monotonic() - start:.1f} s")
    commands = {
        "history (table, all runs)": [binary, "history", "--store", store],
        "history PLAN --format json": [binary, "history", "bench-plan-7", "--store", store, "--format", "json"],
        f"due ({plans} plans)": [binary, "due", plans_dir, "--store", store],
    }
    for name, argv in commands.items():
        # `due` exits 1 when a drill is overdue, which the synthetic history has.
        trials = [timed(argv, ok=(0, 1)) for _ in range(TRIALS)]
        times = [t for t, _ in trials]
        cpus = [c for _, c in trials]
        median = statistics.median(times)
        verdict = "ok" if median < TARGET_MS else "OVER TARGET"
        print(f"  {name:30s} median {median:7.1f} ms  (min {min(times):.1f}, max {max(times):.1f}); "
              f"CPU median {statistics.median(cpus):6.1f} ms  target < {TARGET_MS} ms: {verdict}")


def main():
    binary = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    plans = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores when the benchmark started")
    work = tempfile.mkdtemp(prefix="firedrill-bench-program-")
    try:
        bench(binary, "SQLite", os.path.join(work, "history.sqlite"), os.path.join(work, "plans"), runs, plans)
        server = Server(max_connections=20)
        try:
            server.psql("CREATE DATABASE history")
            dsn = f"postgresql://bench@127.0.0.1:{server.port}/history"
            bench(binary, "PostgreSQL", dsn, os.path.join(work, "plans"), runs, plans)
        finally:
            server.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
