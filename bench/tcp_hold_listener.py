"""A TCP listener for bench/flood-tcp.sh: accepts every connection on 127.0.0.1 and holds it open,
counting how many are open at once and how many the other side closed."""
import resource
import selectors
import socket
import threading


class HoldingListener:
    def __init__(self):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(4096)
        self.server.setblocking(False)
        self.port = self.server.getsockname()[1]
        self.accepted = 0
        self.closed = 0
        self.peak_open = 0
        self.stopping = False
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.server, selectors.EVENT_READ, None)
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while not self.stopping:
            for key, _ in self.selector.select(timeout=0.2):
                if key.data is None:
                    while True:
                        try:
                            conn, _ = self.server.accept()
                        except BlockingIOError:
                            break
                        conn.setblocking(False)
                        self.selector.register(conn, selectors.EVENT_READ, "conn")
                        self.accepted += 1
                        self.peak_open = max(self.peak_open, self.accepted - self.closed)
                else:
                    try:
                        data = key.fileobj.recv(1024)
                    except (BlockingIOError, InterruptedError):
                        continue
                    except OSError:
                        data = b""
                    if not data:
                        self.selector.unregister(key.fileobj)
                        key.fileobj.close()
                        self.closed += 1

    def stop(self):
        self.stopping = True
        self.thread.join(timeout=5)
        for key in list(self.selector.get_map().values()):
            key.fileobj.close()
