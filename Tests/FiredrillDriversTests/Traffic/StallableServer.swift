import FiredrillTestSupport
import Foundation

/// A python3 HTTP server in a child process (one thread per connection, keep-alive), which `stall(for:)` freezes
/// with SIGSTOP and thaws with SIGCONT.
final class StallableServer: Sendable {
    let child: ChildProcess
    let port: Int
    var url: String { "http://127.0.0.1:\(port)/health" }

    static let script = """
        import http.server, sys
        class H(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def do_GET(self):
                body = b'{"status":"healthy"}'
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *args):
                pass
        class S(http.server.ThreadingHTTPServer):
            request_queue_size = 1024
            daemon_threads = True
        S(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
        """

    init() throws {
        port = try LoopbackPort.free()
        child = try ChildProcess(["python3", "-c", Self.script, String(port)])
        for _ in 0..<200 where !Self.listening(port) { usleep(25_000) }
        guard Self.listening(port) else { throw CloudTestError("the python3 test server did not start on \(port)") }
    }

    func stall(for duration: Duration) async {
        child.signal(SIGSTOP)
        try? await Task.sleep(for: duration)
        child.signal(SIGCONT)
    }

    func stop() {
        child.signal(SIGCONT)
        child.signal(SIGKILL)
    }

    private static func listening(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
