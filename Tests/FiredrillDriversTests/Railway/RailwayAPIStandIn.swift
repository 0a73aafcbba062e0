import FiredrillTestSupport
import Foundation

/// A stand-in for Railway's GraphQL endpoint: a python3 HTTP server on 127.0.0.1 and a free port that logs every
/// request (its `Authorization` header and JSON body) and answers from a JSON file of canned `data` per operation
/// (`project`, `deployments`, `deploymentRollback`), or with `errors` when told to.
final class RailwayAPIStandIn: Sendable {
    let directory: String
    let port: Int
    private let pid: Int32

    static let script = #"""
        import http.server, json, os, sys
        directory = sys.argv[1]
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with open(os.path.join(directory, "requests.jsonl"), "a") as log:
                    log.write(json.dumps({"authorization": self.headers.get("Authorization"), "body": body}) + "\n")
                with open(os.path.join(directory, "answers.json")) as f:
                    answers = json.load(f)
                query = body["query"]
                name = "deploymentRollback" if "deploymentRollback" in query else ("deployments" if "deployments(" in query else "project")
                answer = answers.get(name, {"errors": [{"message": "no answer for " + name}]})
                out = json.dumps(answer).replace("$TOKEN", self.headers.get("Authorization", "")).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)
            def log_message(self, *args):
                pass
        server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        with open(os.path.join(directory, "port.tmp"), "w") as f:
            f.write(str(server.server_address[1]))
        os.rename(os.path.join(directory, "port.tmp"), os.path.join(directory, "port"))
        server.serve_forever()
        """#

    /// Starts the server with `answers` (operation name → the full JSON response).
    init(answers: [String: Any]) throws {
        directory = try TempDirectory.make(prefix: "firedrill-railway-api")
        try JSONSerialization.data(withJSONObject: answers).write(to: URL(fileURLWithPath: directory + "/answers.json"))
        try Data(Self.script.utf8).write(to: URL(fileURLWithPath: directory + "/server.py"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", directory + "/server.py", directory]
        process.standardInput = FileHandle.nullDevice
        try process.run()
        pid = process.processIdentifier
        var found: Int?
        for _ in 0..<200 where found == nil {
            if let text = try? String(contentsOfFile: directory + "/port", encoding: .utf8) { found = Int(text) }
            else { Thread.sleep(forTimeInterval: 0.05) }
        }
        guard let found else {
            kill(pid, SIGKILL)
            throw CloudTestError("the Railway API stand-in did not start within 10 s")
        }
        port = found
    }

    deinit {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        try? FileManager.default.removeItem(atPath: directory)
    }

    var url: String { "http://127.0.0.1:\(port)/graphql/v2" }

    /// Every request received: its Authorization header and body.
    func requests() throws -> [[String: Any]] {
        guard let text = try? String(contentsOfFile: directory + "/requests.jsonl", encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }
    }
}
