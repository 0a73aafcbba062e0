import FiredrillCore
import Foundation
import Synchronization

/// Timestamped lines on stdout, for logs and pipes (no TTY).
///
/// Guard and `recovered` results are printed when their verdict changes, not at every poll. So that a long wait is
/// never silent, a ticker prints what is in progress (see `RunProgress`) whenever nothing was printed for
/// `silence`: at least one line every 10 seconds until the run ends.
// `timer` is set once in init and only cancelled afterwards (DispatchSource is thread-safe); all other state is
// behind the Mutex.
public final class PlainConsole: RunObserver, @unchecked Sendable {
    struct State {
        /// The last verdict printed per guard or `recovered` probe.
        var verdicts: [String: Bool] = [:]
        var progress: RunProgress
        var lastLine = Date()
    }

    /// The longest time without a line while a run is under way (the ticker checks every second, so lines are at
    /// most 10 seconds apart).
    static let silence: TimeInterval = 9

    private let state: Mutex<State>
    private let timer: DispatchSourceTimer

    /// `recoveredDeadline` is the drill's `recovered` deadline, shown in its progress lines ("… of 1h"); without
    /// it, `limits.duration` is shown.
    public init(recoveredDeadline: Duration? = nil) {
        state = Mutex(State(progress: RunProgress(recoveredDeadline: recoveredDeadline?.seconds)))
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "firedrill.console.plain"))
        timer.schedule(deadline: .now() + .seconds(1), repeating: .seconds(1))
        timer.setEventHandler { [weak self] in self?.tick() }
        timer.resume()
    }

    deinit { timer.cancel() }

    public func observe(_ event: RunEvent) {
        let now = Date()
        let line: String? = state.withLock { s in
            switch event {
            case .journaled(let e):
                s.progress.apply(e, at: now)
                if s.progress.ended { timer.cancel() }
                if let r = ProbeResultRecord(e), ["guard", "recovered"].contains(r.role ?? "") {
                    let passed = r.passed
                    let changed = s.verdicts[e.step ?? ""] != passed
                    s.verdicts[e.step ?? ""] = passed
                    if !changed { return nil }
                }
                guard let text = EventLine.text(e) else { return nil }
                s.lastLine = now
                return "\(e.time) \(text)"
            case .progress(let step, let message):
                s.lastLine = now
                return "\(Self.stamp(now)) \(step): \(message)"
            }
        }
        if let line { StandardStreams.out(line + "\n") }
    }

    private func tick() {
        let now = Date()
        let line: String? = state.withLock { s in
            guard !s.progress.ended, now.timeIntervalSince(s.lastLine) >= Self.silence else { return nil }
            s.lastLine = now
            return "\(Self.stamp(now)) … \(s.progress.status(at: now))"
        }
        if let line { StandardStreams.out(line + "\n") }
    }

    static func stamp(_ date: Date) -> String {
        JournalClock.rfc3339(microseconds: Int64(date.timeIntervalSince1970 * 1_000_000))
    }
}
