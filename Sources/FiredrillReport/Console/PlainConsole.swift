import FiredrillCore
import Foundation
import Synchronization

/// Timestamped lines on stdout, for logs and pipes (no TTY).
public final class PlainConsole: RunObserver, Sendable {
    /// The last verdict printed per guard or `recovered` probe: their lines are printed when the verdict changes, not
    /// at every poll.
    private let guardState = Mutex([String: Bool]())

    public init() {}

    public func observe(_ event: RunEvent) {
        let line: String?
        switch event {
        case .journaled(let e):
            if e.type == "probe.result", ["guard", "recovered"].contains(e.data["role"]?.stringValue ?? "") {
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
        if let line { StandardStreams.out(line + "\n") }
    }
}
