import FiredrillCore
import FiredrillTestSupport
import Foundation

/// A real HTTP receiver on 127.0.0.1 for notification tests: a small Python server that appends every request
/// (path and body) to a JSON-lines file, and can fail on purpose: `ok`, `fail-first:N` (HTTP 500 for the first N
/// requests), `fail` (always 503) or `hang` (answers after 30 s).
final class NotificationReceiver: Sendable {
    let port: Int
    let log: String
    private let process: ChildProcess

    static let script = #"""
    import json, sys, time, threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    port, log, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    lock = threading.Lock()
    count = [0]
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode("utf-8")
            with lock:
                count[0] += 1
                n = count[0]
                with open(log, "a") as f:
                    f.write(json.dumps({"path": self.path, "body": body, "n": n}) + "\n")
            status = 200
            if mode == "fail" or (mode.startswith("fail-first:") and n <= int(mode.split(":")[1])):
                status = 500 if mode != "fail" else 503
            if mode == "hang":
                time.sleep(30)
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
        def log_message(self, *args):
            pass
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
    """#

    init(mode: String, in directory: String) async throws {
        let script = directory + "/receiver.py"
        try Self.script.write(toFile: script, atomically: true, encoding: .utf8)
        port = try LoopbackPort.free()
        log = directory + "/received.jsonl"
        process = try ChildProcess(["python3", script, String(port), log, mode])
        // Ready when it accepts a connection (at most 20 s).
        for _ in 0..<200 {
            if Self.accepts(port) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ProgramCLI.HistoryUnreadable(output: "the notification receiver did not start on 127.0.0.1:\(port)", status: -1)
    }

    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Every request received so far: path and body.
    func received() throws -> [(path: String, body: String)] {
        guard let text = try? String(contentsOfFile: log, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { line in
            let entry = try JSONValue.parse(String(line))
            return (entry["path"]?.stringValue ?? "", entry["body"]?.stringValue ?? "")
        }
    }

    /// The `event` of each webhook body received on `path`, in order.
    func events(on path: String) throws -> [String] {
        try received().filter { $0.path == path }.compactMap { try JSONValue.parse($0.body)["event"]?.stringValue }
    }

    func stop() { process.signal(SIGKILL) }
}
