"""RPO and RTO of a real PostgreSQL failover drill, next to ground truth the bench keeps itself.

Each trial: a fresh primary, a streaming standby connected through a stalling TCP proxy run by this script,
and `firedrill run` of a drill that writes heartbeat markers (every 100 ms, lead 3 s), SIGKILLs the primary
and promotes the standby.

  - RPO truth: the proxy stalls replication (both directions) 1.5 s after the heartbeat starts, so everything
    committed from the stall on is lost: truth = disaster instant (the journal's drill.injected) - stall instant
    (this script's clock). Also the WAL bytes firedrill reports next to the end of the old primary's WAL as
    pg_waldump reads it after the kill.
  - RTO truth: the promoted standby's own log line "database system is ready to accept connections"
    (log_line_prefix %m, millisecond timestamps) - the disaster instant.
  - False MET: in the "behind" trials the replica is stalled before the drill starts and the RPO objective is
    1 s; any MET verdict there is false.

Usage: python3 bench/rpo_rto_accuracy.py FIREDRILL_BIN [TRIALS] [BEHIND_TRIALS]   (10 and 3 by default)"""
import datetime
import json
import os
import pwd
import re
import select
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from flood_postgres import Server, free_port

EVERY = 0.1
TARGET = EVERY + 0.05


class StallingProxy:
    """Forwards 127.0.0.1:port to an upstream port; stall() stops reading in both directions."""

    def __init__(self, upstream):
        self.upstream = upstream
        self.stalled = threading.Event()
        self.stopped = threading.Event()
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.accept_loop, daemon=True).start()

    def accept_loop(self):
        while not self.stopped.is_set():
            try:
                ready, _, _ = select.select([self.listener], [], [], 0.1)
                if ready:
                    client, _ = self.listener.accept()
                    threading.Thread(target=self.pump, args=(client,), daemon=True).start()
            except (OSError, ValueError):
                return  # the listener was closed by stop()

    def pump(self, client):
        upstream = socket.create_connection(("127.0.0.1", self.upstream))
        pairs = {client: upstream, upstream: client}
        try:
            while not self.stopped.is_set():
                if self.stalled.is_set():
                    time.sleep(0.01)
                    continue
                ready, _, _ = select.select(list(pairs), [], [], 0.01)
                for side in ready:
                    if self.stalled.is_set():
                        break
                    data = side.recv(65536)
                    if not data:
                        return
                    pairs[side].sendall(data)
        except OSError:
            return
        finally:
            client.close()
            upstream.close()

    def stall(self):
        self.stalled.set()
        return time.time()

    def stop(self):
        self.stopped.set()
        self.listener.close()


class Standby:
    """pg_basebackup -R of `primary`, streaming through `through_port`, logging with millisecond timestamps."""

    def __init__(self, primary, through_port):
        self.primary = primary
        self.dir = tempfile.mkdtemp(prefix="firedrill-bench-standby-")
        if primary.prefix:
            entry = pwd.getpwnam("postgres")
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        self.data = os.path.join(self.dir, "data")
        self.log = os.path.join(self.dir, "log")
        self.port = free_port()
        primary.run(["pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "bench", "-D", self.data,
                     "-R", "-X", "stream", "-c", "fast", "--no-sync"])
        with open(os.path.join(self.data, "postgresql.conf"), "a") as conf:
            conf.write(f"\nport = {self.port}\nunix_socket_directories = '{self.dir}'\nlog_line_prefix = '%m '\n")
        with open(os.path.join(self.data, "postgresql.auto.conf"), "a") as conf:
            conf.write(f"primary_conninfo = 'host=127.0.0.1 port={through_port} user=bench application_name=standby'\n")
        primary.run(["pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "60", "start"])

    def dsn(self):
        return f"host=127.0.0.1 port={self.port} user=bench dbname=postgres"

    def ready_after_promotion(self):
        """The promoted server's own log time of 'ready to accept connections' (not the read-only one)."""
        with open(self.log) as log:
            for line in log:
                if "database system is ready to accept connections" in line:
                    stamp = " ".join(line.split(" ")[:2])
                    return datetime.datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S.%f").replace(
                        tzinfo=datetime.timezone.utc).timestamp()
        return None

    def stop(self):
        try:
            self.primary.run(["pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop"])
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


def plan(primary, standby, objective_rpo):
    return f"""apiVersion: firedrill/v1
kind: Drill
name: rpo-rto-accuracy
title: The primary is killed; its standby, streaming through a stalling proxy, is promoted
environment: bench
objectives: {{ rto: 1m, rpo: {objective_rpo} }}
steady-state:
  - name: primary-answers
    postgres: {{ dsn: "{primary.dsn('bench')}", query: "SELECT 1" }}
    expect: {{ value: 1 }}
heartbeat:
  postgres: {{ dsn: "{primary.dsn('bench')}", every: 100ms }}
  lead: 3s
disaster:
  - name: kill-primary
    process.kill: {{ pidfile: "{primary.data}/postmaster.pid", signal: KILL }}
recovery:
  - name: let-the-outage-show    # promotion must not finish before the first check of `recovered`
    wait: 300ms
  - name: promote-standby
    command: ["{primary.bindir}/pg_ctl", promote, -w, -t, "60", -D, "{standby.data}"]
recovered:
  postgres: {{ dsn: "{standby.dsn()}", query: "SELECT 1 WHERE NOT pg_is_in_recovery()" }}
  expect: {{ value: 1 }}
  every: 100ms
  consecutive: 3
  timeout: 1m
rpo:
  heartbeat: {{ dsn: "{standby.dsn()}" }}
"""


def journal(run_dir):
    path = os.path.join(run_dir, "journal.jsonl")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.endswith("\n")]


def wall(event):
    return datetime.datetime.strptime(event["time"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc).timestamp()


def wal_end(primary, start):
    """End of the killed primary's WAL: where pg_waldump finds no further record."""
    result = subprocess.run(primary.prefix + [os.path.join(primary.bindir, "pg_waldump"), "-p",
                                              os.path.join(primary.data, "pg_wal"), "-s", start, "--quiet"],
                            capture_output=True, text=True, timeout=60)
    found = re.search(r"invalid record length at ([0-9A-F]+/[0-9A-F]+)", result.stdout + result.stderr)
    return found.group(1) if found else None


def lsn(text):
    high, low = text.split("/")
    return (int(high, 16) << 32) | int(low, 16)


def trial(binary, work, index, behind):
    primary = Server(100)
    proxy = StallingProxy(primary.port)
    standby = None
    try:
        standby = Standby(primary, proxy.port)
        for _ in range(300):  # 20 ms apart, 6 s at most
            if primary.psql("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'").stdout.strip() == "1":
                break
            time.sleep(0.02)
        else:
            sys.exit("the standby never streamed through the proxy")
        primary.psql("CREATE TABLE firedrill_heartbeat (run_id text NOT NULL, seq bigint NOT NULL, "
                     "written_at double precision NOT NULL, PRIMARY KEY (run_id, seq))")
        time.sleep(0.3)
        stalled_at = proxy.stall() if behind else None
        path = os.path.join(work, f"plan-{index}.yaml")
        with open(path, "w") as f:
            f.write(plan(primary, standby, "1s" if behind else "10s"))
        run_dir = os.path.join(work, f"run-{index}")
        proc = subprocess.Popen(primary.prefix + [binary, "run", path, "--report-dir", run_dir, "--quiet"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=work)
        if not behind:
            for _ in range(3000):  # 10 ms apart, 30 s at most
                if any(e["type"] == "heartbeat.started" for e in journal(run_dir)):
                    break
                time.sleep(0.01)
            time.sleep(1.5)
            stalled_at = proxy.stall()
        out, err = proc.communicate(timeout=180)
        events = journal(run_dir)
        get = lambda kind: next((e for e in events if e["type"] == kind), None)
        injected, rto, rpo = get("drill.injected"), get("rto.measured"), get("rpo.measured")
        if not (injected and rto and rpo):
            sys.exit(f"trial {index}: run incomplete (exit {proc.returncode}):\n{out}\n{err}")
        disaster = wall(injected)
        ready = standby.ready_after_promotion()
        wal = (rpo["data"].get("detail") or {}).get("wal") or {}
        end = wal_end(primary, wal["promoted-lsn"]) if wal.get("promoted-lsn") else None
        return {
            "exit": proc.returncode,
            "rpo": rpo["data"].get("seconds"), "bound": rpo["data"].get("bound"), "verdict": rpo["data"].get("verdict"),
            "rpo_truth": disaster - stalled_at,
            "rto": rto["data"].get("seconds"), "rto_truth": (ready - disaster) if ready else None,
            "wal": wal.get("bytes-lost"),
            "wal_truth": (lsn(end) - lsn(wal["promoted-lsn"])) if end else None,
        }
    finally:
        proxy.stop()
        if standby:
            standby.stop()
        try:
            primary.stop()  # the drill killed it: pg_ctl stop fails, the directory still goes
        except subprocess.CalledProcessError:
            shutil.rmtree(primary.dir, ignore_errors=True)


def ms(x):
    return "—" if x is None else f"{x * 1000:+.0f} ms"


def main():
    binary = sys.argv[1]
    trials = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    behind_trials = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    work = tempfile.mkdtemp(prefix="firedrill-bench-rpo-")
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(work, entry.pw_uid, entry.pw_gid)
    rpo_errors, rto_errors, false_met = [], [], 0
    try:
        print(f"failover drill, heartbeat every {EVERY * 1000:.0f} ms, recovered every 100 ms x3; "
              f"replication stalled through a proxy 1.5 s into the 3 s lead")
        for index in range(trials):
            r = trial(binary, work, index, behind=False)
            rpo_err = r["rpo"] - r["rpo_truth"] if r["rpo"] is not None else None
            rto_err = r["rto"] - r["rto_truth"] if r["rto"] is not None and r["rto_truth"] is not None else None
            if rpo_err is not None:
                rpo_errors.append(rpo_err)
            if rto_err is not None:
                rto_errors.append(rto_err)
            print(f"  trial {index + 1:2d}: RPO {r['rpo']:.3f} s ({r['verdict']}) vs truth {r['rpo_truth']:.3f} s, error {ms(rpo_err)}; "
                  f"RTO {r['rto']:.3f} s vs truth {r['rto_truth']:.3f} s, error {ms(rto_err)}; "
                  f"WAL lost {r['wal']:.0f} bytes vs {r['wal_truth']} to the old primary's WAL end")
        print("replica already behind (stalled before the drill), RPO objective 1 s")
        for index in range(behind_trials):
            r = trial(binary, work, 100 + index, behind=True)
            if r["verdict"] == "met":
                false_met += 1
            print(f"  trial {index + 1:2d}: RPO {'≥ ' if r['bound'] == 'lower-bound' else ''}{r['rpo']:.3f} s ({r['verdict']}, exit {r['exit']}) "
                  f"vs truth {r['rpo_truth']:.3f} s; WAL lost {r['wal']:.0f} bytes vs {r['wal_truth']}")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def summary(name, errors):
        absolute = [abs(e) for e in errors]
        print(f"  {name} error: mean {ms(statistics.mean(errors))}, mean |error| {ms(statistics.mean(absolute))}, "
              f"max |error| {ms(max(absolute))} over {len(errors)} runs (target |error| <= {TARGET * 1000:.0f} ms)")
        return max(absolute) <= TARGET

    ok = summary("RPO", rpo_errors) & summary("RTO", rto_errors)
    print(f"  false MET verdicts with the replica behind: {false_met} of {behind_trials}")
    print("  result: " + ("within target" if ok and false_met == 0 else "OUTSIDE target"))
    sys.exit(0 if ok and false_met == 0 else 1)


if __name__ == "__main__":
    main()
