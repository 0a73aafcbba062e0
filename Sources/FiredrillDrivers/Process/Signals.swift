#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Signal names and numbers as a plan writes them: `KILL`, `SIGKILL`, `kill` or `9`.
public enum Signals {
    /// The signals a plan may name, in the order they are listed in messages.
    public static let known: [(name: String, number: Int32)] = [
        ("HUP", SIGHUP), ("INT", SIGINT), ("QUIT", SIGQUIT), ("ABRT", SIGABRT),
        ("KILL", SIGKILL), ("USR1", SIGUSR1), ("USR2", SIGUSR2), ("PIPE", SIGPIPE),
        ("ALRM", SIGALRM), ("TERM", SIGTERM), ("CONT", SIGCONT), ("STOP", SIGSTOP),
        ("TSTP", SIGTSTP), ("TTIN", SIGTTIN), ("TTOU", SIGTTOU), ("WINCH", SIGWINCH),
    ]

    /// Accepted spellings, for error messages: `HUP, INT, …` (each also with a `SIG` prefix).
    public static var acceptedNames: [String] { known.map(\.name) }

    /// Parses a signal name (any case, with or without `SIG`) or a number from 1 to 64.
    public static func parse(_ text: String) throws(ProcessError) -> Int32 {
        let trimmed = text.trimmingSpaces
        if let number = Int32(trimmed) {
            guard (1...64).contains(number) else { throw ProcessError.unknownSignal(text, accepted: acceptedNames) }
            return number
        }
        var name = trimmed.uppercased()
        if name.hasPrefix("SIG") { name.removeFirst(3) }
        guard let entry = known.first(where: { $0.name == name }) else {
            throw ProcessError.unknownSignal(text, accepted: acceptedNames)
        }
        return entry.number
    }

    /// `SIGKILL` for 9; `signal 42` for a number without a name.
    public static func name(of number: Int32) -> String {
        known.first(where: { $0.number == number }).map { "SIG\($0.name)" } ?? "signal \(number)"
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
