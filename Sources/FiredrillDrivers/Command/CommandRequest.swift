import Foundation

/// One external command to run through ``CommandRunner``: an argv (never a shell string) and
/// the limits that apply to it.
public struct CommandRequest: Sendable {
    /// The program and its arguments. `argv[0]` is resolved on the `PATH` of the effective
    /// environment (the runner's environment updated with ``environment``) unless it contains
    /// a `/`; each element reaches the child as exactly one argument.
    public var argv: [String]
    /// Variables set (or replaced) on top of the inherited environment.
    public var environment: [String: String]
    /// Directory the child starts in; `nil` keeps the runner's current directory.
    public var workingDirectory: String?
    /// Wall-clock limit. When it passes, the child's process group is terminated and the
    /// result comes back with ``CommandResult/timedOut`` set.
    public var timeout: Duration
    /// Bytes kept per stream. Longer output keeps its head and tail with a
    /// `[… N bytes elided …]` marker between them.
    public var outputLimit: Int
    /// Values replaced by `***` everywhere the result or an error shows them
    /// (argv, stdout, stderr).
    public var secrets: [String]
    /// Bytes written to the child's standard input, which is then closed. `nil` gives the child
    /// an empty standard input.
    public var stdin: Data?
    /// Time between `SIGTERM` and `SIGKILL` when the process group is torn down
    /// (timeout, cancellation, error).
    public var terminationGrace: Duration
    /// Called with the child's pid (also its process group id) as soon as it exists, before its output is read:
    /// a step journals the group here so `firedrill recover` can end it if the runner dies. When it throws, the
    /// group is torn down and the error is thrown.
    public var onSpawn: (@Sendable (pid_t) async throws -> Void)?

    /// The default ``outputLimit``: 64 KiB per stream.
    public static let defaultOutputLimit = 64 * 1024

    public init(
        argv: [String],
        environment: [String: String] = [:],
        workingDirectory: String? = nil,
        timeout: Duration = .seconds(60),
        outputLimit: Int = CommandRequest.defaultOutputLimit,
        secrets: [String] = [],
        stdin: Data? = nil,
        terminationGrace: Duration = .seconds(2)
    ) {
        self.argv = argv
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.timeout = timeout
        self.outputLimit = outputLimit
        self.secrets = secrets
        self.stdin = stdin
        self.terminationGrace = terminationGrace
    }
}
