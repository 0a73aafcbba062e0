/// Why a command could not be run, or why ``CommandResult/check()`` rejected its result.
/// Every text is already masked.
public enum CommandError: Error, Sendable, CustomStringConvertible {
    /// The request had an empty argv or an empty program name.
    case emptyCommand
    /// `argv[0]` was not found on the `PATH` that applies to the child.
    case notFound(program: String)
    /// `argv[0]` names a path that does not exist or is not an executable file.
    case notExecutable(path: String)
    /// The child could not be started (bad working directory, invalid environment, …).
    case launchFailed(commandLine: String, reason: String)
    /// The command ran but exited non-zero, was killed by a signal or timed out.
    case failed(CommandResult)

    /// How many trailing lines of standard error a failure message shows.
    public static let stderrExcerptLines = 10

    public var description: String {
        switch self {
        case .emptyCommand:
            return "command is empty: give the program and its arguments as a list"
        case .notFound(let program):
            return "\(program): not found on PATH"
        case .notExecutable(let path):
            return "\(path): no such executable file"
        case .launchFailed(let commandLine, let reason):
            return "could not start `\(commandLine)`: \(reason)"
        case .failed(let result):
            var message = "`\(result.commandLine)` " + Self.ending(of: result)
            let excerpt = Self.tail(of: result.stderr, lines: Self.stderrExcerptLines)
            if !excerpt.isEmpty {
                message += "\nstderr:\n" + excerpt.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { "  " + $0 }.joined(separator: "\n")
            }
            return message
        }
    }

    private static func ending(of result: CommandResult) -> String {
        if result.timedOut {
            let how = result.signal.map { " (ended by \(Signals.name(of: $0)))" } ?? ""
            return "timed out after \(result.timeout.commandDisplay)\(how)"
        }
        if let signal = result.signal {
            return "was killed by \(Signals.name(of: signal))"
        }
        return "exited with status \(result.exitCode ?? -1)"
    }

    private static func tail(of text: String, lines count: Int) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        return lines.suffix(count).joined(separator: "\n")
    }
}
