/// What a finished command did. Every text in it has secrets masked.
public struct CommandResult: Sendable {
    /// The argv as run, with secrets replaced by `***`.
    public let argv: [String]
    /// Exit status when the child exited normally; `nil` when a signal ended it.
    public let exitCode: Int32?
    /// The signal that ended the child, if any.
    public let signal: Int32?
    /// Standard output, decoded as UTF-8, capped at the request's output limit.
    public let stdout: String
    /// Standard error, decoded as UTF-8, capped at the request's output limit.
    public let stderr: String
    /// Time from launch to the child's end.
    public let duration: Duration
    /// Process id of the child (also the id of its process group).
    public let pid: Int32
    /// Whether the timeout ended the child.
    public let timedOut: Bool
    /// The limit that applied, kept for messages about a timeout.
    public let timeout: Duration

    public init(
        argv: [String], exitCode: Int32?, signal: Int32?, stdout: String, stderr: String,
        duration: Duration, pid: Int32, timedOut: Bool, timeout: Duration
    ) {
        self.argv = argv
        self.exitCode = exitCode
        self.signal = signal
        self.stdout = stdout
        self.stderr = stderr
        self.duration = duration
        self.pid = pid
        self.timedOut = timedOut
        self.timeout = timeout
    }

    /// The masked argv as one shell-quoted line, e.g. `kubectl get pods -n 'my ns'`.
    public var commandLine: String { CommandLineDisplay.render(argv) }

    /// True when the child exited with status 0 before the timeout.
    public var succeeded: Bool { !timedOut && signal == nil && exitCode == 0 }

    /// Returns `self` when the command succeeded, otherwise throws ``CommandError/failed(_:)``.
    @discardableResult
    public func check() throws(CommandError) -> CommandResult {
        guard succeeded else { throw CommandError.failed(self) }
        return self
    }
}
