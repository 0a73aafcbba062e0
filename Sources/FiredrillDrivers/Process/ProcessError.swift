/// Why finding or controlling a local process failed. Each case names the thing involved.
public enum ProcessError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The pidfile could not be read.
    case pidfileUnreadable(path: String, reason: String)
    /// The pidfile's first line is not a positive process id.
    case pidfileInvalid(path: String, firstLine: String)
    /// The `match` pattern is not a valid regular expression.
    case invalidPattern(pattern: String, reason: String)
    /// No process with this id exists (or it has already exited).
    case noSuchProcess(pid: Int32)
    /// A signal name or number that is not accepted.
    case unknownSignal(String, accepted: [String])
    /// `kill(2)` failed for a reason other than a missing process.
    case signalFailed(pid: Int32, signal: Int32, reason: String)
    /// The process kept running past the time allowed for it to exit.
    case didNotExit(pid: Int32, waited: Duration)
    /// What is needed to start the process again could not be read from /proc.
    case launchSpecUnavailable(pid: Int32, reason: String)
    /// The process could not be started.
    case launchFailed(argv: [String], reason: String)
    /// No cgroup directory (with a `cgroup.procs`) for this unit or path.
    case cgroupNotFound(name: String, searched: [String])

    public var description: String {
        switch self {
        case .pidfileUnreadable(let path, let reason):
            return "cannot read pidfile \(path): \(reason)"
        case .pidfileInvalid(let path, let firstLine):
            return "pidfile \(path) does not start with a process id (first line: \"\(firstLine)\")"
        case .invalidPattern(let pattern, let reason):
            return "match pattern /\(pattern)/ is not a valid regular expression: \(reason)"
        case .noSuchProcess(let pid):
            return "no process with pid \(pid)"
        case .unknownSignal(let given, let accepted):
            return "unknown signal \"\(given)\"; use a number or one of \(accepted.joined(separator: ", ")) (SIG prefix optional)"
        case .signalFailed(let pid, let signal, let reason):
            return "cannot send \(Signals.name(of: signal)) to pid \(pid): \(reason)"
        case .didNotExit(let pid, let waited):
            return "pid \(pid) was still running after \(waited.commandDisplay)"
        case .launchSpecUnavailable(let pid, let reason):
            return "cannot read how pid \(pid) was started: \(reason)"
        case .launchFailed(let argv, let reason):
            return "cannot start \(CommandLineDisplay.render(argv)): \(reason)"
        case .cgroupNotFound(let name, let searched):
            return "no cgroup for \(name) (is the unit running? looked in \(searched.joined(separator: ", ")))"
        }
    }
}
