import FiredrillCore
import FiredrillReport
import Foundation
import Testing

/// Large runs stay small: 60,000 probe results (built in memory, no disk) give charts of at most ~2,000 points per
/// probe that still show every failure, and the marks.
@Suite struct ProbeTimelineScaleTests {
    /// A one-hour drill journal in memory: two probes every 120ms, the `recovered` one failing for 40 minutes and
    /// flapping before it is stable.
    static func events(results: Int) -> (events: [JournalEvent], failures: Int) {
        var events: [JournalEvent] = []
        var prev = Journal.genesisHash
        var failures = 0
        func add(_ mono: Double, _ type: String, step: String? = nil, _ data: JSONValue) {
            let time = JournalClock.rfc3339(microseconds: 1_768_442_400_000_000 + Int64(mono * 1_000_000))
            let e = JournalEvent(seq: events.count + 1, time: time, mono: mono, type: type, step: step, data: data, prev: prev)
            prev = e.lineHash()
            events.append(e)
        }
        add(0, "run.started", ["plan": "big", "title": "Big drill", "kind": "Drill", "sha256": "00", "environment": "test", "initiator": "t@h"])
        add(1, "phase.started", ["phase": "disaster"])
        add(10, "drill.injected", ["wall": 0])
        let step = 3500.0 / Double(results)
        var detected: Double?, stable: Double?
        for i in 0..<results {
            let mono = 10 + Double(i) * step
            if i % 2 == 0 {
                add(mono, "probe.result", step: "guard-api", ["passed": true, "role": "guard", "observed": ["latency": .number(0.02 + Double(i % 17) / 1000)]])
            } else {
                let down = mono < 2400 || (mono < 2700 && i % 7 != 0)
                if down { failures += 1 }
                if down, detected == nil { detected = mono }
                if !down, mono > 2700, stable == nil { stable = mono }
                add(mono, "probe.result", step: "orders", ["passed": .bool(!down), "role": "recovered", "observed": ["status": .number(down ? 503 : 200)]])
            }
        }
        let d = detected ?? 10, s = stable ?? 3500
        add(3510, "rto.measured", ["injected": 10, "detected": .number(d), "stable": .number(s), "seconds": .number(s - 10),
                                   "detection-seconds": .number(d - 10), "repair-seconds": .number(s - d), "objective": 3600, "met": true])
        add(3600, "run.ended", ["ending": "passed", "reason": "ok", "exit-code": 0, "rollback": "rolled back"])
        return (events, failures)
    }

    @Test func sixtyThousandResultsRenderSmallAndKeepEveryFailure() throws {
        let (events, failures) = Self.events(results: 60_000)
        let report = RunReport.build(events: events, verification: VerificationResult(eventCount: events.count, head: events.last!.lineHash(), problem: nil))
        #expect(report.timeline.count == 60_000)
        #expect(report.probes.first { $0.probe == "orders" }?.failures == failures)

        let clock = ContinuousClock()
        let start = clock.now
        let html = HTMLReport.render(report)
        let elapsed = clock.now - start
        #expect(html.utf8.count < 400_000, "report.html is \(html.utf8.count) bytes")
        #expect(elapsed < .seconds(5), "rendering took \(elapsed)")
        for probe in ["guard-api", "orders"] {
            let chart = try #require(Self.attributes(of: "probe-chart-\(probe)", in: html))
            #expect(chart["data-points"] == "30000")
            let shown = try #require(Int(chart["data-shown"] ?? ""))
            #expect(shown <= 2_100, "\(probe): \(shown) points drawn")
        }
        let orders = try #require(Self.attributes(of: "probe-chart-orders", in: html))
        #expect(orders["data-failures"] == String(failures))
        // Every failure lies in a drawn run: the runs' counts add up to all of them.
        let runs = Self.failureRunCounts(in: html, chart: "probe-chart-orders")
        #expect(runs.reduce(0, +) == failures)
        for mark in ["injected", "detected", "stable"] { #expect(html.contains(#"class="mark mark-\#(mark)""#)) }
    }

    /// The attributes of the `<svg>` inside the figure with `id`.
    static func attributes(of id: String, in html: String) -> [String: String]? {
        guard let figure = html.range(of: #"id="\#(id)""#), let svg = html.range(of: "<svg ", range: figure.upperBound..<html.endIndex),
              let end = html.range(of: ">", range: svg.upperBound..<html.endIndex) else { return nil }
        var out: [String: String] = [:]
        for part in html[svg.upperBound..<end.lowerBound].split(separator: " ") {
            let kv = part.split(separator: "=", maxSplits: 1)
            if kv.count == 2 { out[String(kv[0])] = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        return out
    }

    /// The failure counts in the `<title>`s of a chart's failure runs ("12 failures, …", "1 failure at …").
    static func failureRunCounts(in html: String, chart id: String) -> [Int] {
        guard let figure = html.range(of: #"id="\#(id)""#), let end = html.range(of: "</figure>", range: figure.upperBound..<html.endIndex) else { return [] }
        let body = html[figure.upperBound..<end.lowerBound]
        var counts: [Int] = []
        var rest = body[...]
        while let r = rest.range(of: #"class="fail-run""#) {
            rest = rest[r.upperBound...]
            guard let t = rest.range(of: "<title>") else { break }
            let digits = rest[t.upperBound...].prefix { $0.isNumber }
            counts.append(Int(digits) ?? 0)
        }
        return counts
    }

    @Test func syntheticJournalIsValidAndRenders() async throws {
        let dir = NSTemporaryDirectory() + "firedrill-synthetic-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let written = try await SyntheticJournal.write(to: dir, probeEvents: 600)
        #expect(written.probeEvents == 600)
        let verification = try JournalVerifier.verify(at: URL(fileURLWithPath: dir))
        #expect(verification.isValid && verification.head == written.head)
        let paths = try ReportWriter.write(runDirectory: dir)
        #expect(paths.map { URL(fileURLWithPath: $0).lastPathComponent } == ["report.json", "report.md", "report.html", "junit.xml"])
        let report = try RunReport.load(runDirectory: dir)
        #expect(report.timeline.count == 600)
        #expect(report.drill?.rto?.verdict == "MET")
        #expect(report.drill?.rpo?.markersLost == 7)
        #expect(report.description?.contains("promoting the standby") == true)
        #expect(report.actionItems.isEmpty)
    }
}
