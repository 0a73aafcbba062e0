"""Firedrill vs Chaos Toolkit, side by side in one run, on the same local server.

For each tool and guard interval: an http probe guard, a 0.1 s command, a 10 s wait (or a blocking 10 s command),
and a rollback that stamps the time it started. The server is SIGKILLed at a random instant during the wait; the
figure is kill -> first rollback step start. Also: whether rollbacks ran at all, wall time and peak RSS of a trivial
plan (median of 5). Every loop is bounded in count and time; all traffic goes to 127.0.0.1.
"""
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
FIREDRILL = sys.argv[1]
CHAOS = sys.argv[2]
TRIALS = int(os.environ.get("TRIALS", "5"))
random.seed(int(os.environ.get("SEED", "7")))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port):
    proc = subprocess.Popen([sys.executable, os.path.join(HERE, "health_server.py"), str(port)])
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("health server did not start")


def firedrill_plan(port, every, stamp, blocking):
    hold = '  - name: block\n    command: [sleep, "10"]\n' if blocking else "  - name: hold\n    wait: 10s\n"
    return f"""apiVersion: firedrill/v1
kind: Experiment
name: bench-abort
title: abort latency benchmark
environment: local
steady-state:
  - name: health
    http: {{ url: "http://127.0.0.1:{port}/health" }}
    expect: {{ status: 200 }}
guards:
  - use: health
    every: {every}
method:
  - name: short
    command: [sleep, "0.1"]
{hold}rollbacks:
  - name: stamp
    command: [{sys.executable}, {os.path.join(HERE, "stamp.py")}, {stamp}]
"""


def chaos_experiment(port, every_s, stamp, blocking):
    probe = {"name": "health", "type": "probe", "tolerance": 200,
             "provider": {"type": "http", "url": f"http://127.0.0.1:{port}/health", "timeout": 1}}
    method = [{"type": "action", "name": "short", "provider": {"type": "process", "path": "sleep", "arguments": "0.1"}}]
    if blocking:
        method.append({"type": "action", "name": "block", "provider": {"type": "process", "path": "sleep", "arguments": "10"}})
    else:
        method[0]["pauses"] = {"after": 10}
    return {
        "title": "abort latency benchmark", "description": "bench",
        "controls": [{"name": "safeguard", "provider": {"type": "python", "module": "chaosaddons.controls.safeguards",
                                                         "arguments": {"probes": [dict(probe, frequency=every_s)]}}}],
        "steady-state-hypothesis": {"title": "healthy", "probes": [probe]},
        "method": method,
        "rollbacks": [{"type": "action", "name": "stamp",
                       "provider": {"type": "process", "path": sys.executable, "arguments": [os.path.join(HERE, "stamp.py"), stamp]}}],
    }


def run_trial(tool, every, blocking, workdir):
    port = free_port()
    server = start_server(port)
    stamp = os.path.join(workdir, f"stamp-{tool}-{time.time_ns()}")
    if tool == "firedrill":
        plan = os.path.join(workdir, "plan.yaml")
        with open(plan, "w") as f:
            f.write(firedrill_plan(port, every, stamp, blocking))
        cmd = [FIREDRILL, "run", plan, "--quiet", "--reports", os.path.join(workdir, "reports"), "--force"]
    else:
        exp = os.path.join(workdir, "exp.json")
        with open(exp, "w") as f:
            json.dump(chaos_experiment(port, 1 if every == "1s" else 0.1, stamp, blocking), f)
        cmd = [CHAOS, "--no-log-file", "run", "--no-verify-tls", "--journal-path", os.path.join(workdir, "journal.json"), exp]
    start = time.time()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=workdir)
    # The wait (or blocking command) starts after the steady state and the 0.1 s command: kill inside it.
    time.sleep(1.5 + random.uniform(0.5, 6.0))
    killed_at = time.time()
    server.send_signal(signal.SIGKILL)
    server.wait()
    exited_at = None
    deadline = time.time() + 40
    while time.time() < deadline:
        if proc.poll() is not None:
            exited_at = time.time()
            break
        time.sleep(0.005)
    if exited_at is None:
        proc.kill()
        proc.wait()
    stamps = open(stamp).read().split() if os.path.exists(stamp) else []
    latency = float(stamps[0]) - killed_at if stamps else None
    reaction = exited_at - killed_at if exited_at else None
    return {"latency": latency, "reaction": reaction, "rolled_back": bool(stamps), "exit": proc.returncode, "wall": time.time() - start}


def trivial(tool, workdir):
    if tool == "firedrill":
        plan = os.path.join(workdir, "trivial.yaml")
        with open(plan, "w") as f:
            f.write("apiVersion: firedrill/v1\nkind: Experiment\nname: trivial\ntitle: trivial\nenvironment: local\n"
                    "method:\n  - command: [\"true\"]\n")
        cmd = [FIREDRILL, "run", plan, "--quiet", "--reports", os.path.join(workdir, "reports"), "--force"]
    else:
        exp = os.path.join(workdir, "trivial.json")
        with open(exp, "w") as f:
            json.dump({"title": "trivial", "description": "trivial",
                       "method": [{"type": "action", "name": "t", "provider": {"type": "process", "path": "true"}}]}, f)
        cmd = [CHAOS, "--no-log-file", "run", "--journal-path", os.path.join(workdir, "tj.json"), exp]
    # Peak RSS through GNU time: a child forked from this Python starts with Python's own high-water mark, which
    # ru_maxrss keeps across exec, so os.wait4 would report the larger of the two processes.
    rss_file = os.path.join(workdir, "maxrss")
    walls, rss = [], []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file] + cmd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=workdir)
        walls.append(time.perf_counter() - t0)
        with open(rss_file) as f:
            rss.append(int(f.read().split()[-1]) / 1024)
    return statistics.median(walls), max(rss)


def fmt(values):
    vals = [v for v in values if v is not None]
    if not vals:
        return "no rollback ran"
    return f"min {min(vals):.3f}s  median {statistics.median(vals):.3f}s  max {max(vals):.3f}s"


def main():
    workdir = tempfile.mkdtemp(prefix="firedrill-bench-")
    print(f"trials per row: {TRIALS}; server SIGKILLed at a random instant during the wait\n")
    rows = []
    for label, tool, every, blocking in [
        ("firedrill, guard every 1s, 10s wait", "firedrill", "1s", False),
        ("chaos,     guard every 1s, 10s wait", "chaos", "1s", False),
        ("firedrill, guard every 100ms, 10s wait", "firedrill", "100ms", False),
        ("firedrill, guard every 1s, blocking 10s command", "firedrill", "1s", True),
        ("chaos,     guard every 1s, blocking 10s command", "chaos", "1s", True),
        ("firedrill, guard every 100ms, blocking 10s command", "firedrill", "100ms", True),
    ]:
        results = [run_trial(tool, every, blocking, workdir) for _ in range(TRIALS)]
        ran = sum(r["rolled_back"] for r in results)
        rows.append((label, fmt([r["latency"] for r in results]), f"{100 * ran // TRIALS}%", [r["exit"] for r in results],
                     fmt([r["reaction"] for r in results])))
        print(f"{label}\n    kill -> first rollback step starts: {rows[-1][1]}\n"
              f"    kill -> run exits:                  {rows[-1][4]}\n"
              f"    rollbacks ran: {rows[-1][2]}; exit codes {rows[-1][3]}", flush=True)
    fw, fr = trivial("firedrill", workdir)
    cw, cr = trivial("chaos", workdir)
    print()
    print(f"trivial plan, run wall time (median of 5): firedrill {fw:.3f}s, chaos {cw:.3f}s, ratio {fw / cw:.2f}")
    print(f"trivial plan, peak RSS:                    firedrill {fr:.1f} MB, chaos {cr:.1f} MB, ratio {fr / cr:.2f}")


if __name__ == "__main__":
    main()
