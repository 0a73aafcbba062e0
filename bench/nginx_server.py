"""A throw-away nginx on a loopback port serving a small file, for the traffic benchmarks.
Usage from another bench script: `with NginxServer() as nginx: ... nginx.url ... nginx.stall(1.0)`."""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

BODY = b'{"status":"healthy"}\n'


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NginxServer:
    def __init__(self, workers=1):
        self.workers = workers
        self.dir = tempfile.mkdtemp(prefix="firedrill-bench-nginx-")
        os.chmod(self.dir, 0o755)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/health.json"
        self.master = None

    def __enter__(self):
        root = os.path.join(self.dir, "root")
        os.makedirs(root)
        os.chmod(root, 0o755)
        with open(os.path.join(root, "health.json"), "wb") as f:
            f.write(BODY)
        os.chmod(os.path.join(root, "health.json"), 0o644)
        conf = os.path.join(self.dir, "nginx.conf")
        d = self.dir
        with open(conf, "w") as f:
            f.write(f"""daemon off;
master_process on;
worker_processes {self.workers};
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 8192; }}
http {{
    access_log off;
    keepalive_requests 1000000;
    keepalive_timeout 60s;
    client_body_temp_path {d}/body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    default_type application/json;
    server {{
        listen 127.0.0.1:{self.port} backlog=4096;
        root {root};
    }}
}}
""")
        self.master = subprocess.Popen(["nginx", "-c", conf, "-p", d], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(200):  # 10 s at most
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.05)
        else:
            self.__exit__(None, None, None)
            raise RuntimeError("nginx did not start: " + self.master.stderr.read().decode(errors="replace"))
        return self

    def worker_pids(self):
        with open(f"/proc/{self.master.pid}/task/{self.master.pid}/children") as f:
            return [int(p) for p in f.read().split()]

    def stall(self, seconds):
        """Freezes every worker for exactly `seconds` (SIGSTOP, then SIGCONT)."""
        workers = self.worker_pids()
        for pid in workers:
            os.kill(pid, signal.SIGSTOP)
        time.sleep(seconds)
        for pid in workers:
            os.kill(pid, signal.SIGCONT)

    def __exit__(self, *args):
        if self.master and self.master.poll() is None:
            try:
                for pid in self.worker_pids():
                    os.kill(pid, signal.SIGCONT)
            except OSError:
                pass
            self.master.send_signal(signal.SIGQUIT)
            try:
                self.master.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.master.kill()
                self.master.wait(timeout=5)
        shutil.rmtree(self.dir, ignore_errors=True)
