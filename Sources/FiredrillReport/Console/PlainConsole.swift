import FiredrillCore
import Foundation

/// Timestamped lines on stdout, for logs and pipes (no TTY).
public final class PlainConsole: RunObserver, @unchecked Sendable {
    // FileHandle writes are atomic per call; no other state is shared.
    public init() {}

    public func observe(_ event: RunEvent) {
        let line: String?
        switch event {
        case .journaled(let e):
            line = EventLine.text(e).map { "\(e.time) \($0)" }
        case .progress(let step, let message):
            line = "\(JournalClock.rfc3339(microseconds: Int64(Date().timeIntervalSince1970 * 1_000_000))) \(step): \(message)"
        }
        if let line { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
    }
}
