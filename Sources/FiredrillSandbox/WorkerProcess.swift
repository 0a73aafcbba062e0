import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starting and reaping worker processes with `posix_spawn` (this module does not depend on
/// the drivers' CommandRunner, which waits for its commands; workers run until killed).
enum WorkerProcess {
    /// Signals the supervisor handles or ignores; a worker starts with their default actions.
    static let resetSignals: [Int32] = [SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2, SIGPIPE, SIGCHLD]

    /// Starts `argv` with standard input from /dev/null and the supervisor's stdout/stderr.
    static func spawn(_ argv: [String]) throws(SandboxError) -> pid_t {
        guard let program = argv.first else { throw SandboxError.spawnFailed(argv: argv, reason: "empty command") }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in resetSignals { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)

        let arguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { arguments.forEach { free($0) } }
        var pid: pid_t = 0
        let result = program.contains("/")
            ? posix_spawn(&pid, program, &actions, &attributes, arguments, environ)
            : posix_spawnp(&pid, program, &actions, &attributes, arguments, environ)
        guard result == 0 else {
            throw SandboxError.spawnFailed(argv: argv, reason: String(cString: strerror(result)))
        }
        return pid
    }

    /// Blocks until the child ends and reaps it: `exit:<code>` or `signal:<number>`.
    static func waitForExit(_ pid: pid_t) -> String {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return "unknown" }
        }
        let signal = status & 0x7f
        return signal == 0 ? "exit:\((status >> 8) & 0xff)" : "signal:\(signal)"
    }

    /// Reaps the child on a dedicated thread and hands its status to `onExit`.
    static func watch(_ pid: pid_t, onExit: @escaping @Sendable (String) -> Void) {
        let thread = Thread { onExit(waitForExit(pid)) }
        thread.name = "sandbox-reaper-\(pid)"
        thread.stackSize = 128 * 1024
        thread.start()
    }
}
