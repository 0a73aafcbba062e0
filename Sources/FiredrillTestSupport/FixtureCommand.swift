import Foundation

/// Runs one external program for a fixture (argv, never a shell string) and collects its exit status and
/// combined output.
///
/// Started through `FixtureSpawn` and reaped with `waitpid`; output goes to a temporary file, not a pipe, so a
/// daemon the program leaves behind cannot keep the read open.
struct FixtureCommand {
    struct Outcome {
        let status: Int32
        let output: String
    }

    let argv: [String]
    var environment: [String: String]?
    var currentDirectory: URL?
    var timeout: Duration = .seconds(120)

    init(_ argv: [String], environment: [String: String]? = nil, currentDirectory: URL? = nil, timeout: Duration = .seconds(120)) {
        self.argv = argv
        self.environment = environment
        self.currentDirectory = currentDirectory
        self.timeout = timeout
    }

    /// Runs to completion; the process group is killed if the program outlives `timeout`. The exit status is
    /// the program's, or 128 + the signal that ended it.
    func run() throws -> Outcome {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("firedrill-cmd-\(UUID().uuidString).log").path
        defer { unlink(outputPath) }

        let pid: pid_t
        switch FixtureSpawn.spawn(argv, environment: environment, outputPath: outputPath, append: false,
                                  currentDirectory: currentDirectory?.path) {
        case .success(let spawned): pid = spawned
        case .failure(let error): throw PostgresFixtureError.system(what: "start \(argv[0])", detail: error.description)
        }

        let status = try wait(for: pid)
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return Outcome(status: status, output: text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Reaps `pid`, polling so the timeout holds; kills its process group when time is up.
    private func wait(for pid: pid_t) throws -> Int32 {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var status: Int32 = 0
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { break }
            if reaped < 0 {
                if errno == EINTR { continue }
                return -1  // Reaped by someone else: the status is lost.
            }
            if ContinuousClock.now >= deadline {
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
                throw PostgresFixtureError.commandTimedOut(argv: argv, seconds: seconds)
            }
            usleep(10_000)
        }
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    /// Runs and throws unless the exit status is 0.
    @discardableResult
    func check() throws -> Outcome {
        let result = try run()
        guard result.status == 0 else {
            throw PostgresFixtureError.commandFailed(argv: argv, status: result.status, output: String(result.output.suffix(2000)))
        }
        return result
    }
}

extension FixtureCommand {
    /// Runs blocking fixture work on a thread of its own, so that waiting for `initdb` or `pg_ctl` does not
    /// hold one of Swift's few cooperative threads.
    static func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let queue = DispatchQueue(label: "firedrill.fixture")
            queue.async {
                let result: Result<T, any Error>
                do {
                    result = .success(try work())
                } catch {
                    result = .failure(error)
                }
                continuation.resume(with: result)
            }
        }
    }
}
