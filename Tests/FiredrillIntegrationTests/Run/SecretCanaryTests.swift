import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

/// A canary secret in every place a secret can go: an HTTP URL, headers and body (echoed back by a real server),
/// command argv and environment (printed back by the command), a postgres DSN and conninfo options (rejected by
/// libpq, whose errors echo them), a flood target, and a failing rollback. After `run`, `run --json`, `recover`
/// and `report`, neither the canary nor any 6-character piece of it may appear in the run directory or in what
/// the commands printed. Once with a plain canary, once with one full of `@ : / #` that URL and conninfo parsers
/// split.
@Suite(.serialized) struct SecretCanaryTests {
    /// Answers every request with 500 and the request line, headers and body as the response body.
    static let echoServer = """
        import http.server, sys
        class Echo(http.server.BaseHTTPRequestHandler):
            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                text = (self.requestline + "\\n" + str(self.headers) + "\\n").encode() + body
                self.send_response(500)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)
            do_GET = do_POST = do_HEAD = answer
            def log_message(self, *args):
                pass
        server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Echo)
        open(sys.argv[2], "w").close()
        server.serve_forever()
        """

    static let echoToOutput = "import os, sys; print('argv', sys.argv[1]); print('env', os.environ['CANARY'], file=sys.stderr); sys.exit(3)"

    static func plan(httpPort: Int, closedPort: Int) -> String {
        """
        apiVersion: firedrill/v1
        kind: Experiment
        name: secret-canary
        title: a canary secret in every place a secret can go
        environment: staging
        secrets:
          c: { env: FIREDRILL_CANARY }
        steady-state:
          - name: http-echo
            http:
              url: "http://127.0.0.1:\(httpPort)/echo/${secret.c}?token=${secret.c}"
              method: POST
              headers: { X-Token: "${secret.c}", Authorization: "Bearer ${secret.c}" }
              body: "password=${secret.c}"
            expect: { status: 500 }
        guards:
          - name: pg-uri
            postgres: { dsn: "postgres://canary:${secret.c}@127.0.0.1:\(closedPort)/app?connect_timeout=2" }
            every: 200ms
            tolerate: 1000
          - name: pg-conninfo
            postgres: { dsn: "host=127.0.0.1 port=\(closedPort) dbname=app sslmode=${secret.c}" }
            every: 200ms
            tolerate: 1000
        method:
          - name: echo-command
            command: { run: [python3, -c, "\(echoToOutput)", "${secret.c}"], env: { CANARY: "${secret.c}" } }
            on-error: continue
          - name: flood-target
            flood.tcp: { host: "${secret.c}", port: \(closedPort), connections: 1, hold: 100ms }
            on-error: continue
          - name: flood-url
            flood.http: { url: "http://127.0.0.1:\(httpPort)/flood/${secret.c}", rate: 5/s, for: 400ms }
            on-error: continue
          - name: flood-conninfo
            flood.postgres: { dsn: "host=127.0.0.1 port=\(closedPort) sslmode=${secret.c}", connections: 1, hold: 100ms }
            on-error: continue
          - name: flood-uri
            flood.postgres: { dsn: "postgres://canary:${secret.c}@127.0.0.1:\(closedPort)/app", connections: 1, hold: 100ms }
            on-error: continue
          - wait: 500ms
        rollbacks:
          - name: failing-rollback
            command: { run: [python3, -c, "\(echoToOutput)", "${secret.c}"], env: { CANARY: "${secret.c}" } }

        """
    }

    /// Runs the binary with stdout and stderr in files (no pipe to fill up), within `timeout`.
    static func firedrill(_ arguments: [String], environment: [String: String], in dir: String, label: String) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try FiredrillBinary.path())
        process.arguments = arguments
        process.environment = environment
        let outPath = dir + "/\(label).out"
        FileManager.default.createFile(atPath: outPath, contents: Data())
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        defer { try? out.close() }
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let deadline = ContinuousClock.now + .seconds(120)
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { process.terminate() }
        #expect(!process.isRunning, "\(label) did not finish within 120s")
        return try String(contentsOfFile: outPath, encoding: .utf8)
    }

    /// The canary itself and every 6-character piece of it found in `text`.
    static func leaks(of canary: String, in text: String) -> [String] {
        let chars = Array(canary)
        var found: [String] = []
        if text.contains(canary) { found.append(canary) }
        for start in 0...(chars.count - 6) {
            let piece = String(chars[start..<(start + 6)])
            if text.contains(piece) { found.append(piece) }
        }
        return found
    }

    @Test(arguments: ["CanaryQ7x9Zr5Mw3Lp2Vn", "Zq9@Kx7:Pw/Lm3#Tn8"])
    func theCanaryNeverLeaves(canary: String) async throws {
        let dir = try TempDirectory.make(prefix: "canary")
        let httpPort = try LoopbackPort.free()
        let server = try ChildProcess(["/usr/bin/python3", "-c", Self.echoServer, String(httpPort), dir + "/server-ready"])
        defer { server.signal(SIGKILL) }
        let closedPort = try LoopbackPort.free()
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: dir + "/server-ready") {
            try await Task.sleep(for: .milliseconds(50))
        }
        try #require(FileManager.default.fileExists(atPath: dir + "/server-ready"), "the echo server did not start")
        try Self.plan(httpPort: httpPort, closedPort: closedPort).write(toFile: dir + "/plan.yaml", atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["FIREDRILL_CANARY"] = canary

        var outputs: [String: String] = [:]
        outputs["run"] = try await Self.firedrill(["run", dir + "/plan.yaml", "--report-dir", dir + "/run-plain"],
                                                  environment: environment, in: dir, label: "run")
        outputs["run --json"] = try await Self.firedrill(["run", dir + "/plan.yaml", "--json", "--report-dir", dir + "/run-json"],
                                                         environment: environment, in: dir, label: "run-json")
        outputs["recover"] = try await Self.firedrill(["recover", dir + "/run-plain"], environment: environment, in: dir, label: "recover")
        outputs["report"] = try await Self.firedrill(["report", dir + "/run-json"], environment: environment, in: dir, label: "report")

        // The places were reached: the echo came back, libpq and the resolver rejected the values, the rollback failed.
        let journal = try String(contentsOfFile: dir + "/run-plain/journal.jsonl", encoding: .utf8)
        #expect(journal.contains("X-Token: ***"), "the echo server's answer is not in the journal")
        #expect(journal.contains("invalid sslmode value: \\\"***\\\""), "libpq did not echo the conninfo option")
        #expect(journal.contains("\"step\":\"failing-rollback\""), "the rollback did not run")
        #expect(journal.contains("echo-command") && journal.contains("flood-conninfo") && journal.contains("pg-conninfo"))
        #expect(outputs["run --json"]?.contains("\"type\":\"run.ended\"") == true, "\(outputs["run --json"] ?? "")")

        for (label, text) in outputs {
            #expect(Self.leaks(of: canary, in: text).isEmpty, "`\(label)` printed \(Self.leaks(of: canary, in: text)):\n\(text)")
        }
        let walker = FileManager.default.enumerator(atPath: dir)
        var checked = 0
        while let relative = walker?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = dir + "/" + relative
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  let data = FileManager.default.contents(atPath: path) else { continue }
            let text = String(decoding: data, as: UTF8.self)
            #expect(Self.leaks(of: canary, in: text).isEmpty, "\(relative) holds \(Self.leaks(of: canary, in: text))")
            checked += 1
        }
        #expect(checked >= 12, "only \(checked) files were checked")
    }
}
