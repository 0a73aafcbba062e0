import Foundation

/// Runs one external program for a fixture (argv, never a shell string) and collects its exit status and
/// combined output.
///
/// Uses `posix_spawn` + `waitpid` rather than `Foundation.Process`: `Process` on Linux learns that a child
/// ended when every copy of a descriptor it hands the child is closed, so a daemon the child leaves behind (the
/// postmaster started by `pg_ctl start`) would keep it waiting forever. For the same reason output goes to a
/// temporary file, not a pipe.
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

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        if let currentDirectory { Self.addChangeDirectory(&actions, currentDirectory.path) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        for signal in [SIGPIPE, SIGCHLD, SIGTERM, SIGINT, SIGQUIT, SIGHUP] { sigaddset(&defaultSignals, signal) }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let environmentStrings = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let spawnResult = withCStringArray(argv) { argvPointers in
            withCStringArray(environmentStrings) { environmentPointers in
                posix_spawn(&pid, argv[0], &actions, &attributes, argvPointers, environmentPointers)
            }
        }
        guard spawnResult == 0 else {
            throw PostgresFixtureError.system(what: "start \(argv[0])", detail: String(cString: strerror(spawnResult)))
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

    private typealias AddChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    /// `posix_spawn_file_actions_addchdir_np` (glibc 2.29+), looked up at run time because the Glibc module
    /// does not export it; without it the child keeps this process's working directory.
    private static func addChangeDirectory(_ actions: inout posix_spawn_file_actions_t, _ path: String) {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else { return }
        let function = unsafeBitCast(symbol, to: AddChangeDirectory.self)
        _ = function(&actions, path)
    }

    private func withCStringArray<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        let copies: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
        defer { copies.forEach { free($0) } }
        return body(copies)
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
