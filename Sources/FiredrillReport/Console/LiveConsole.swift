import FiredrillCore
import Foundation
import Synchronization

/// The TTY console: event lines scroll above a status line redrawn several times a second with the phase, the
/// current step, elapsed time, the remaining wait, and each guard's last result.
// `timer` is set once in init and only cancelled afterwards (DispatchSource is thread-safe); all other state is
// behind the Mutex.
public final class LiveConsole: RunObserver, @unchecked Sendable {
    struct State {
        var phase = "starting"
        var step = ""
        var stepStarted = Date()
        var waitEnds: Date?
        var guards: [String: (ok: Bool, message: String)] = [:]
        var started = Date()
        var drawn = false
    }

    private let state = Mutex(State())
    private let timer: DispatchSourceTimer

    public init() {
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
                line = EventLine.text(e).map { "\(Self.clock(e.time)) \($0)" }
                switch e.type {
                case "phase.started": s.phase = e.data["phase"]?.stringValue ?? s.phase
                case "step.started":
                    s.step = e.step ?? ""
                    s.stepStarted = Date()
                    let held = e.data["params"]?["for"]?.stringValue.flatMap { try? DurationSyntax.parse($0) }?.seconds
                    s.waitEnds = (e.data["seconds"]?.doubleValue ?? held).map { Date().addingTimeInterval($0) }
                case "step.ended": s.step = ""; s.waitEnds = nil
                case "probe.result" where e.data["role"]?.stringValue == "guard":
                    s.guards[e.step ?? "?"] = (e.data["passed"] == .bool(true), e.data["message"]?.stringValue ?? "")
                    line = nil
                default: break
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
            var status = "[\(elapsed / 60 < 10 ? "0" : "")\(elapsed / 60):\(seconds < 10 ? "0" : "")\(seconds)] \(s.phase)"
            if !s.step.isEmpty { status += " › \(s.step) \(Int(Date().timeIntervalSince(s.stepStarted)))s" }
            if let ends = s.waitEnds { status += " (\(max(0, Int(ends.timeIntervalSinceNow.rounded(.up))))s left)" }
            for (name, g) in s.guards.sorted(by: { $0.key < $1.key }) {
                status += "  guard \(name): \(g.ok ? "ok" : "FAIL")"
            }
            out += "\u{1B}[7m" + status + "\u{1B}[0m"
            s.drawn = true
            StandardStreams.out(out)
        }
    }

    static func clock(_ time: String?) -> String {
        let stamp = time ?? JournalClock.rfc3339(microseconds: Int64(Date().timeIntervalSince1970 * 1_000_000))
        return String(stamp.dropFirst(11).prefix(8))
    }
}
