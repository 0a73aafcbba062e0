import FiredrillCore
import Foundation
import Synchronization

/// Timestamped lines on stdout, for logs and pipes (no TTY).
public final class PlainConsole: RunObserver, Sendable {
    /// The last verdict printed per guard: a guard's line is printed when its verdict changes, not every poll.
    private let guardState = Mutex([String: Bool]())

    public init() {}

    public func observe(_ event: RunEvent) {
        let line: String?
        switch event {
        case .journaled(let e):
            if e.type == "probe.result", e.data["role"]?.stringValue == "guard" {
                let passed = e.data["passed"] == .bool(true)
                let changed = guardState.withLock { state in
                    defer { state[e.step ?? ""] = passed }
                    return state[e.step ?? ""] != passed
                }
                if !changed { return }
            }
            line = EventLine.text(e).map { "\(e.time) \($0)" }
        case .progress(let step, let message):
            line = "\(JournalClock.rfc3339(microseconds: Int64(Date().timeIntervalSince1970 * 1_000_000))) \(step): \(message)"
        }
        if let line { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
    }
}
