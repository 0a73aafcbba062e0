"""Measures flood.postgres in the real firedrill runner: how long until a local PostgreSQL with
max_connections=N refuses new clients.

Two clocks, one run per trial:
  - runner: `first-refusal-seconds` from the journal (first connection attempt to first "too many clients");
  - outside: an ordinary (non-superuser) role polls with psql every 20 ms; the time from `firedrill run`
    starting to its first refusal (the runner's start-up included).
Usage: python3 bench/flood_postgres.py FIREDRILL_BIN [MAX_CONNECTIONS] [TRIALS]"""
import glob
import json
import os
import pwd
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

TARGET_SECONDS = 1.0


def pg_bindir():
    configured = os.environ.get("FIREDRILL_PG_BINDIR")
    candidates = [configured] if configured else []
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for directory in candidates:
        if os.path.exists(os.path.join(directory, "initdb")):
            return directory
    sys.exit("no PostgreSQL server binaries (initdb) found: run scripts/install-deps.sh test")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A throw-away cluster in a temp dir on a loopback port, run as `postgres` when we are root."""

    def __init__(self, max_connections):
        self.bindir = pg_bindir()
        self.prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.dir = tempfile.mkdtemp(prefix="firedrill-bench-pg-")
        self.data = os.path.join(self.dir, "data")
        self.port = free_port()
        if self.prefix:
            entry = pwd.getpwnam("postgres")
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        self.run(["initdb", "-D", self.data, "-U", "bench", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"])
        with open(os.path.join(self.data, "postgresql.conf"), "a") as conf:
            conf.write(f"\nlisten_addresses = '127.0.0.1'\nport = {self.port}\nunix_socket_directories = '{self.dir}'\n"
                       f"max_connections = {max_connections}\nfsync = off\nshared_buffers = 32MB\n")
        self.run(["pg_ctl", "-D", self.data, "-l", os.path.join(self.dir, "log"), "-w", "-t", "60", "start"])
        self.psql("CREATE ROLE app LOGIN")

    def run(self, argv):
        program = os.path.join(self.bindir, argv[0])
        subprocess.run(self.prefix + [program] + argv[1:], check=True, capture_output=True, timeout=120,
                       env={k: v for k, v in os.environ.items() if not k.startswith("PG")} | {"LC_ALL": "C"})

    def dsn(self, user):
        return f"host=127.0.0.1 port={self.port} user={user} dbname=postgres"

    def psql(self, sql, user="bench"):
        return subprocess.run(["psql", self.dsn(user), "-Atqc", sql], capture_output=True, text=True, timeout=30)

    def stop(self):
        try:
            self.run(["pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop"])
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def trial(binary, server, work, index):
    plan = os.path.join(work, f"flood-{index}.yaml")
    with open(plan, "w") as f:
        f.write(f"""apiVersion: firedrill/v1
kind: Experiment
name: flood-postgres-bench
title: flood.postgres exhausts a local server's connections
environment: bench
limits: {{ duration: 2m }}
method:
  - name: flood
    flood.postgres: {{ dsn: "{server.dsn('bench')}", connections: max, hold: 2s }}
""")
    run_dir = os.path.join(work, f"run-{index}")
    started = time.monotonic()
    proc = subprocess.Popen([binary, "run", plan, "--report-dir", run_dir, "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    outside = None
    for _ in range(500):  # 20 ms apart, 10 s at most
        result = server.psql("SELECT 1", user="app")
        if result.returncode != 0 and ("too many clients" in result.stderr or "reserved" in result.stderr):
            outside = time.monotonic() - started
            break
        if proc.poll() is not None:
            break
        time.sleep(0.02)
    out, err = proc.communicate(timeout=120)
    opened = None
    with open(os.path.join(run_dir, "journal.jsonl")) as journal:
        for line in journal:
            event = json.loads(line)
            if event.get("type") == "flood.opened":
                opened = event.get("data", {})
    if proc.returncode != 0 or opened is None:
        sys.exit(f"run failed (exit {proc.returncode}):\n{out}\n{err}")
    return opened, outside


def main():
    binary = sys.argv[1]
    max_connections = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    trials = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    server = Server(max_connections)
    work = tempfile.mkdtemp(prefix="firedrill-bench-flood-pg-")
    runner, outside = [], []
    try:
        print(f"flood.postgres, connections: max, against PostgreSQL max_connections={max_connections} on 127.0.0.1")
        for index in range(trials):
            opened, seen = trial(binary, server, work, index)
            refusal = opened.get("first-refusal-seconds")
            runner.append(refusal if refusal is not None else float("inf"))
            if seen is not None:
                outside.append(seen)
            print(f"  trial {index + 1}: opened {int(opened['opened'])}, refused {int(opened['refused'])}, "
                  f"failed {int(opened['failed'])}; runner saw the refusal after "
                  + (f"{refusal:.3f} s" if refusal is not None else "never")
                  + "; outside client refused after " + (f"{seen:.3f} s" if seen is not None else "never"))
            time.sleep(0.5)
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"  runner, first attempt to first refusal: median {statistics.median(runner):.3f} s, max {max(runner):.3f} s "
          f"(target <= {TARGET_SECONDS:.0f} s)")
    if outside:
        print(f"  outside client, run start to refused: median {statistics.median(outside):.3f} s, max {max(outside):.3f} s "
              f"({len(outside)} of {trials} trials saw it)")
    ok = max(runner) <= TARGET_SECONDS and len(outside) == trials
    print("  result: " + ("within target" if ok else "OUTSIDE target"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
