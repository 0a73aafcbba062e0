import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Appends one line per event to `sandbox.log`:
/// `2025-01-31T12:00:00.123456Z worker-exited index=1 pid=4242 status=signal:9`.
///
/// Each line is one `write(2)` on a file opened with `O_APPEND`, so the supervisor and its
/// workers can append to the same file without interleaving.
public struct SandboxEventLog: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Appends `event` with its fields in the order given. Values must not contain spaces or
    /// newlines; they are replaced by `_` if they do.
    public func append(_ event: String, _ fields: [(String, String)] = []) throws(SandboxError) {
        var line = Self.timestamp() + " " + event
        for (key, value) in fields {
            let cleaned = String(value.map { $0 == " " || $0 == "\n" || $0 == "\t" ? "_" : $0 })
            line += " \(key)=\(cleaned)"
        }
        line += "\n"
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SandboxError.stateFile(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let bytes = Array(line.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            throw SandboxError.stateFile(path: path, reason: written < 0 ? String(cString: strerror(errno)) : "short write")
        }
    }

    /// The current UTC time as RFC 3339 with microseconds.
    public static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return timestamp(seconds: Int(now.tv_sec), microseconds: Int(now.tv_nsec) / 1000)
    }

    static func timestamp(seconds: Int, microseconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
            Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), microseconds)
    }

    /// Every well-formed line of the log at `path` (an absent file reads as no events).
    public static func read(path: String) -> [SandboxEvent] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { SandboxEvent(line: String($0)) }
    }
}
