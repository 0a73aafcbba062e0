import Foundation
import Synchronization

/// A long-running server program started by a fixture (argv, never a shell string), in a process group of its own,
/// its output going to a file.
///
/// Started through `FixtureSpawn`, so the process group is set before the program runs and `terminate` can end the
/// whole group; reaped with `waitpid` on its own process id only.
final class FixtureDaemon: Sendable {
    let pid: pid_t
    let argv: [String]
    /// The raw `waitpid` status once the process has been reaped.
    private let reaped = Mutex<Int32?>(nil)

    private init(pid: pid_t, argv: [String]) {
        self.pid = pid
        self.argv = argv
    }

    /// Starts `argv[0]` (an absolute path) with `argv`, standard input from /dev/null and standard output and error
    /// appended to `outputPath`. Throws the `posix_spawn` error, e.g. when the program does not exist.
    static func spawn(_ argv: [String], outputPath: String, environment: [String: String]? = nil) throws -> FixtureDaemon {
        switch FixtureSpawn.spawn(argv, environment: environment, outputPath: outputPath, append: true) {
        case .success(let pid): return FixtureDaemon(pid: pid, argv: argv)
        case .failure(let error): throw error
        }
    }

    /// Whether the process has not ended yet (reaps it when it has).
    var isRunning: Bool { exitDescription == nil }

    /// `exited with status N` or `killed by signal N` once the process ended; nil while it runs.
    var exitDescription: String? {
        guard let status = poll() else { return nil }
        if status == -1 { return "ended (its status was collected elsewhere)" }
        let signal = status & 0x7F
        return signal == 0 ? "exited with status \((status >> 8) & 0xFF)" : "killed by signal \(signal)"
    }

    /// Ends the process group: SIGTERM, then SIGKILL once `grace` has passed, and reaps the process. Safe to call
    /// more than once and after the process ended by itself.
    func terminate(grace: Duration = .seconds(5)) {
        guard poll() == nil else { return }
        kill(-pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while poll() == nil {
            if ContinuousClock.now >= deadline {
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
                wait(blocking: true)
                return
            }
            usleep(20_000)
        }
    }

    /// The raw status when the process has ended; nil while it runs.
    private func poll() -> Int32? {
        wait(blocking: false)
        return reaped.withLock { $0 }
    }

    private func wait(blocking: Bool) {
        reaped.withLock { reaped in
            guard reaped == nil else { return }
            var status: Int32 = 0
            while true {
                let result = waitpid(pid, &status, blocking ? 0 : WNOHANG)
                if result == pid {
                    reaped = status
                    return
                }
                if result < 0, errno == EINTR { continue }
                if result < 0 { reaped = -1 }  // Reaped elsewhere: the status is lost, but the process is gone.
                return
            }
        }
    }
}
