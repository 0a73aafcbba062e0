import FiredrillCore
import Foundation
import Testing
@testable import FiredrillReport

/// The status line the consoles print while a run waits, from the journal events they see.
@Suite struct RunProgressTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func event(_ type: String, step: String? = nil, _ data: JSONValue = [:]) -> JournalEvent {
        JournalEvent(seq: 1, time: "2027-01-15T08:00:00.000000Z", mono: 0, type: type, step: step, data: data, prev: "")
    }

    static func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

    @Test func aFailingRecoveredWatchSaysForHowLongOfTheDeadline() {
        var p = RunProgress(recoveredDeadline: 3600, now: Self.start)
        p.apply(Self.event("phase.started", ["phase": "disaster"]), at: Self.at(0))
        p.apply(Self.event("drill.injected"), at: Self.at(0))
        for i in 0..<3 {
            p.apply(Self.event("probe.result", step: "recovered", ["role": "recovered", "passed": false, "message": "connection refused"]), at: Self.at(Double(i)))
        }
        p.apply(Self.event("phase.started", ["phase": "recovery"]), at: Self.at(5))
        #expect(p.status(at: Self.at(130)) == "recovery 2m5s: recovered: still failing for 2m10s of 1h (3 of 3 checks failed); last: connection refused")
        p.apply(Self.event("probe.result", step: "recovered", ["role": "recovered", "passed": true, "message": "exit 0"]), at: Self.at(131))
        #expect(p.status(at: Self.at(132)) == "recovery 2m7s: recovered: passing again (1 in a row) after 2m12s of 1h")
        p.apply(Self.event("drill.stable"), at: Self.at(133))
        #expect(p.status(at: Self.at(134)) == "recovery 2m9s: in progress")
    }

    @Test func waitsStepsAndGuardsAreShownUntilTheyEnd() {
        var p = RunProgress(now: Self.start)
        p.apply(Self.event("run.started", ["limits": ["duration": 600]]), at: Self.at(0))
        #expect(p.recoveredDeadline == 600)
        p.apply(Self.event("phase.started", ["phase": "method"]), at: Self.at(0))
        p.apply(Self.event("step.started", step: "hold", ["kind": "wait", "seconds": 300]), at: Self.at(1))
        p.apply(Self.event("probe.result", step: "health", ["role": "guard", "passed": true, "message": "status 200"]), at: Self.at(2))
        p.apply(Self.event("probe.result", step: "health", ["role": "guard", "passed": false, "message": "status 503\nbody"]), at: Self.at(40))
        #expect(p.status(at: Self.at(61)) == "method 1m1s: wait hold: 1m of 5m; guard health FAILING for 21s; last: status 503 (2 checks, 1 failed)")
        p.apply(Self.event("step.ended", step: "hold"), at: Self.at(62))
        p.apply(Self.event("phase.started", ["phase": "rollbacks"]), at: Self.at(62))
        p.apply(Self.event("step.started", step: "undo-scale", ["kind": "kubernetes.scale"]), at: Self.at(63))
        #expect(p.status(at: Self.at(75)) == "rollbacks 13s: step undo-scale (kubernetes.scale) running for 12s")
        p.apply(Self.event("step.ended", step: "undo-scale"), at: Self.at(76))
        p.apply(Self.event("undo.started", step: "kill-api", ["id": 3, "description": "scale api back to 3"]), at: Self.at(76))
        #expect(p.status(at: Self.at(86)) == "rollbacks 24s: step undo #3 of kill-api (scale api back to 3) running for 10s")
        p.apply(Self.event("undo.done", step: "kill-api", ["id": 3, "how": "scaled"]), at: Self.at(87))
        #expect(p.status(at: Self.at(88)) == "rollbacks 26s: in progress")
        p.apply(Self.event("run.ended"), at: Self.at(80))
        #expect(p.ended)
    }
}
