"""Traffic probe and guard benchmarks, each side by side with its peer in one run, against a local nginx.

  capacity    the traffic probe at concurrency 64 vs `wrk -t2 -c64` (target: >= 0.7 x wrk's requests/s)
  stall       open loop at 1,000/s for 10 s while nginx stalls for exactly 1 s: the probe's p99 (target >= 0.9 s)
              next to wrk's (closed loop) p99 under the same stall
  guard-cost  ten http guards every 10 ms (1,000 probe executions/s) during a 10 s method: CPU per 1,000 probes
              (target: under one core)

Usage: python3 bench/traffic.py FIREDRILL_BIN capacity|stall|guard-cost [SECONDS]"""
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nginx_server import NginxServer  # noqa: E402


def write_plan(work, name, body):
    path = os.path.join(work, f"{name}.yaml")
    with open(path, "w") as f:
        f.write(f"""apiVersion: firedrill/v1
kind: Experiment
name: {name}
title: {name} benchmark
environment: bench
limits: {{ duration: 5m }}
{body}""")
        if "method:" not in body:
            f.write("method:\n  - name: nothing\n    wait: 1ms\n")
    return path


def firedrill_check(binary, plan):
    """Runs `firedrill check --json` and returns the first probe's observed fields."""
    proc = subprocess.run([binary, "check", plan, "--json"], capture_output=True, text=True, timeout=300)
    try:
        report = json.loads(proc.stdout)
        return report["probes"][0]["observed"]
    except (ValueError, KeyError, IndexError):
        sys.exit(f"firedrill check failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")


def wrk(url, seconds, connections=64, threads=2):
    proc = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                          capture_output=True, text=True, timeout=seconds + 60)
    out = proc.stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    p99 = parse_latency(re.search(r"99%\s+(\S+)", out).group(1))
    return {"rate": rate, "requests": requests, "p99": p99, "raw": out}


def parse_latency(text):
    match = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    value, unit = float(match.group(1)), match.group(2)
    return value * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def ms(seconds):
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.3f} s"


def capacity(binary, seconds):
    work = tempfile.mkdtemp(prefix="firedrill-bench-traffic-")
    try:
        with NginxServer(workers=1) as nginx:
            plan = write_plan(work, "traffic-capacity", f"""steady-state:
  - name: capacity
    traffic: {{ url: "{nginx.url}", concurrency: 64, for: {seconds}s }}
""")
            wrk(nginx.url, 2)  # warm-up
            peer = wrk(nginx.url, seconds)
            ours = firedrill_check(binary, plan)
            peer2 = wrk(nginx.url, seconds)
            ours2 = firedrill_check(binary, plan)
        peer_rate = (peer["rate"] + peer2["rate"]) / 2
        our_rate = (ours["rate"] + ours2["rate"]) / 2
        print(f"capacity, 64 connections to nginx (1 worker) on 127.0.0.1, {seconds} s each, alternated twice")
        for label, a, b in (("round 1", peer, ours), ("round 2", peer2, ours2)):
            print(f"  {label}: wrk -t2 -c64 {a['rate']:,.0f} req/s (p99 {ms(a['p99'])}); "
                  f"traffic probe {b['rate']:,.0f} req/s, {int(b['requests']):,} latencies recorded, "
                  f"success {b['success']:.2f}%, p50 {ms(b['p50'])} p99 {ms(b['p99'])}")
        ratio = our_rate / peer_rate
        print(f"  mean: wrk {peer_rate:,.0f} req/s, traffic probe {our_rate:,.0f} req/s: ratio {ratio:.2f} (target >= 0.70)")
        print("  result: " + ("within target" if ratio >= 0.7 else "OUTSIDE target"))
        return ratio >= 0.7
    finally:
        shutil.rmtree(work, ignore_errors=True)


def stall(binary, seconds):
    work = tempfile.mkdtemp(prefix="firedrill-bench-traffic-")
    stall_at = 4.0
    try:
        with NginxServer(workers=1) as nginx:
            plan = write_plan(work, "traffic-stall", f"""steady-state:
  - name: open-loop
    traffic: {{ url: "{nginx.url}", rate: 1000/s, for: {seconds}s, request-timeout: 5s }}
""")
            # The probe starts about 0.1 s after the process; stall 4 s in, for exactly 1 s.
            stopper = threading.Timer(stall_at, nginx.stall, args=(1.0,))
            stopper.start()
            ours = firedrill_check(binary, plan)
            stopper.join()
            stopper = threading.Timer(stall_at, nginx.stall, args=(1.0,))
            stopper.start()
            peer = wrk(nginx.url, seconds)
            stopper.join()
        print(f"open-loop honesty: nginx stalled (SIGSTOP) for exactly 1 s, {stall_at:.0f} s into a {seconds} s run")
        print(f"  traffic probe, open loop at 1,000/s: {int(ours['requests']):,} requests, success {ours['success']:.2f}%, "
              f"p50 {ms(ours['p50'])} p95 {ms(ours['p95'])} p99 {ms(ours['p99'])} max {ms(ours['max'])} (target p99 >= 0.9 s)")
        print(f"  wrk -t2 -c64, closed loop: {peer['requests']:,} requests, p99 {ms(peer['p99'])}")
        ok = ours["p99"] >= 0.9
        print("  result: " + ("within target" if ok else "OUTSIDE target"))
        return ok
    finally:
        shutil.rmtree(work, ignore_errors=True)


def guard_cost(binary, seconds):
    work = tempfile.mkdtemp(prefix="firedrill-bench-guards-")
    guards = 10
    try:
        with NginxServer(workers=1) as nginx:
            probes = "".join(f"""  - name: health-{i}
    http: {{ url: "{nginx.url}" }}
    expect: {{ status: 200 }}
""" for i in range(guards))
            uses = "".join(f"""  - use: health-{i}
    every: 10ms
""" for i in range(guards))
            plan = write_plan(work, "guard-cost", f"""steady-state:
{probes}guards:
{uses}method:
  - name: hold
    wait: {seconds}s
""")
            run_dir = os.path.join(work, "run")
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.monotonic()
            proc = subprocess.run([binary, "run", plan, "--report-dir", run_dir, "--quiet"], capture_output=True, text=True, timeout=seconds + 120)
            wall = time.monotonic() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            sys.exit(f"run failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        executions = 0
        with open(os.path.join(run_dir, "journal.jsonl")) as journal:
            for line in journal:
                event = json.loads(line)
                if event.get("type") == "probe.result" and event.get("data", {}).get("role") == "guard":
                    executions += 1
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        per_thousand = cpu / (executions / 1000)
        rate = executions / seconds
        print(f"guard cost: {guards} http guards every 10 ms against nginx on 127.0.0.1, {seconds} s method, each result journaled")
        print(f"  {executions:,} guard executions ({rate:,.0f}/s); runner CPU {cpu:.2f} s over {wall:.2f} s wall "
              f"(whole run, start-up and steady state included)")
        print(f"  CPU per 1,000 probe executions: {per_thousand:.3f} s; at 1,000/s that is {per_thousand:.2f} of one core (target < 1)")
        ok = per_thousand < 1.0
        print("  result: " + ("within target" if ok else "OUTSIDE target"))
        return ok
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    binary, which = sys.argv[1], sys.argv[2]
    seconds = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    ok = {"capacity": capacity, "stall": stall, "guard-cost": guard_cost}[which](binary, seconds)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
