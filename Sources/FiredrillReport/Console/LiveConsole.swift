import FiredrillCore
import Foundation
import Synchronization

/// The TTY console: event lines scroll above a status line redrawn several times a second with the elapsed time
/// and what is in progress (see `RunProgress`): the `recovered` watch, waits, steps and rollbacks, each guard's
/// streak. Guard and `recovered` results print a line only when their verdict changes; the status line shows the
/// rest.
// `timer` is set once in init and only cancelled afterwards (DispatchSource is thread-safe); all other state is
// behind the Mutex.
public final class LiveConsole: RunObserver, @unchecked Sendable {
    struct State {
        var progress: RunProgress
        var verdicts: [String: Bool] = [:]
        var started = Date()
        var drawn = false
    }

    private let state: Mutex<State>
    private let timer: DispatchSourceTimer

    /// `recoveredDeadline` is the drill's `recovered` deadline, shown in the status ("… of 1h").
    public init(recoveredDeadline: Duration? = nil) {
        state = Mutex(State(progress: RunProgress(recoveredDeadline: recoveredDeadline?.seconds)))
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "firedrill.console"))
        timer.schedule(deadline: .now() + .milliseconds(250), repeating: .milliseconds(250))
        timer.setEventHandler { [weak self] in self?.redraw(nil) }
        timer.resume()
    }

    deinit { timer.cancel() }

    /// Clears the status line before the final summary is printed.
    public func finish() {
        timer.cancel()
        state.withLock { s in
            if s.drawn { StandardStreams.out("\r\u{1B}[2K") }
            s.drawn = false
        }
    }

    public func observe(_ event: RunEvent) {
        var line: String?
        state.withLock { s in
            switch event {
            case .journaled(let e):
                s.progress.apply(e, at: Date())
                line = EventLine.text(e).map { "\(Self.clock(e.time)) \($0)" }
                if let r = ProbeResultRecord(e), ["guard", "recovered"].contains(r.role ?? "") {
                    let passed = r.passed
                    if s.verdicts[e.step ?? ""] == passed { line = nil }
                    s.verdicts[e.step ?? ""] = passed
                }
            case .progress(let step, let message):
                line = "\(Self.clock(nil)) \(step): \(message)"
            }
        }
        redraw(line)
    }

    private func redraw(_ line: String?) {
        state.withLock { s in
            var out = s.drawn ? "\r\u{1B}[2K" : ""
            if let line { out += line + "\n" }
            let elapsed = Int(Date().timeIntervalSince(s.started))
            let seconds = elapsed % 60
            let status = "[\(elapsed / 60 < 10 ? "0" : "")\(elapsed / 60):\(seconds < 10 ? "0" : "")\(seconds)] " + s.progress.status(at: Date())
            out += "\u{1B}[7m" + Self.fit(status) + "\u{1B}[0m"
            s.drawn = true
            StandardStreams.out(out)
        }
    }

    /// The status cut to the terminal's width, so redrawing it never leaves a wrapped half behind.
    static func fit(_ status: String) -> String {
        var size = winsize()
        let columns = ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 120
        return status.count < columns ? status : String(status.prefix(max(1, columns - 2))) + "…"
    }

    static func clock(_ time: String?) -> String {
        let stamp = time ?? JournalClock.rfc3339(microseconds: Int64(Date().timeIntervalSince1970 * 1_000_000))
        return String(stamp.dropFirst(11).prefix(8))
    }
}
