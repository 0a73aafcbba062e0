import Foundation

/// What a sandbox worker answers:
/// - `GET /health` → 200 `{"status":"healthy","worker":<index>,"pid":<pid>}`
/// - `GET /` → 200 text naming the worker
/// - `GET /slow?ms=N` → 200 after N milliseconds (at most 60 000)
/// - `GET /status/<code>` → that status (200–599)
/// `HEAD` is accepted wherever `GET` is.
struct SandboxRoutes: Sendable {
    static let maximumSlowMilliseconds = 60_000

    let workerIndex: Int
    let pid: Int32

    func respond(to request: HTTPRequestHead) -> SandboxResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            return .text(405, "method \(request.method) not allowed\n")
        }
        let path = request.path
        switch path {
        case "/health":
            return .json(200, #"{"status":"healthy","worker":\#(workerIndex),"pid":\#(pid)}"#)
        case "/":
            return .text(200, "firedrill sandbox worker \(workerIndex) (pid \(pid))\n")
        case "/slow":
            guard let text = request.query["ms"], let milliseconds = Int(text),
                  (0...Self.maximumSlowMilliseconds).contains(milliseconds)
            else { return .text(400, "use /slow?ms=N with N from 0 to \(Self.maximumSlowMilliseconds)\n") }
            Thread.sleep(forTimeInterval: Double(milliseconds) / 1000)
            return .text(200, "slept \(milliseconds) ms\n")
        default:
            if path.hasPrefix("/status/") {
                guard let code = Int(path.dropFirst("/status/".count)), (200...599).contains(code) else {
                    return .text(400, "use /status/<code> with a code from 200 to 599\n")
                }
                // 204 and 304 never carry a body.
                return .text(code, code == 204 || code == 304 ? "" : "status \(code)\n")
            }
            return .text(404, "no route for \(path)\n")
        }
    }
}
