import FiredrillCore

extension RunReport {
    /// A `manual` step: what was asked, who answered what, and when.
    public struct OperatorRow: Sendable, Codable {
        public var step: String
        public var prompt: String
        public var who: String?
        /// `approved`, `rejected`, `timed out`, or `unanswered` when the run ended while it waited.
        public var answer: String
        public var `operator`: String?
        public var comment: String?
        /// When the answer was given (RFC 3339 UTC), as the operator's side recorded it.
        public var answeredAt: String?
        /// `confirm` or `terminal`.
        public var via: String?
        public var askedAt: Instant
        public var waitedSeconds: Double?
    }

    /// A `traffic` stream's figures over its whole life: for a guard, the whole time it watched (the fault window,
    /// repeated faults included); for `recovered`, from the disaster to recovery. From every request's outcome, not
    /// an average of windows.
    public struct TrafficTotalRow: Sendable, Codable {
        public var probe: String
        /// `guard` or `recovered`.
        public var role: String
        public var end: Instant
        public var seconds: Double?
        public var requests: Int?
        public var success: Double?
        public var p95: Double?
        public var p99: Double?
        public var max: Double?
        /// `980 requests in 10s (98.0/s): 99.9% ok; p50 … p99 …; 1 timed out`.
        public var line: String
    }
}

extension RunReportBuilder {
    static func operatorAsked(_ e: JournalEvent, at: RunReport.Instant) -> RunReport.OperatorRow {
        RunReport.OperatorRow(step: e.step ?? "", prompt: e.data["prompt"]?.stringValue ?? "", who: e.data["who"]?.stringValue,
                              answer: "unanswered", operator: nil, comment: nil, answeredAt: nil, via: nil, askedAt: at, waitedSeconds: nil)
    }

    static func operatorAnswered(_ row: inout RunReport.OperatorRow, _ e: JournalEvent) {
        if e.is(.manualTimedOut) {
            row.answer = "timed out"
            row.waitedSeconds = e.data["timeout-seconds"]?.doubleValue
            return
        }
        row.answer = e.data["answer"]?.stringValue ?? "?"
        row.operator = e.data["operator"]?.stringValue
        row.comment = e.data["comment"]?.stringValue
        row.answeredAt = e.data["answered-at"]?.stringValue
        row.via = e.data["via"]?.stringValue
        row.waitedSeconds = e.data["waited-seconds"]?.doubleValue
    }

    static func trafficTotal(_ e: JournalEvent, at: RunReport.Instant) -> RunReport.TrafficTotalRow {
        let d = e.data
        return RunReport.TrafficTotalRow(probe: e.step ?? "", role: d["role"]?.stringValue ?? "", end: at, seconds: d["seconds"]?.doubleValue,
                                         requests: d["requests"]?.intValue, success: d["success"]?.doubleValue, p95: d["p95"]?.doubleValue,
                                         p99: d["p99"]?.doubleValue, max: d["max"]?.doubleValue, line: d["line"]?.stringValue ?? "")
    }
}

extension ReportText {
    /// `99.87%`.
    static func percent(_ value: Double) -> String {
        FixedPoint.format(value, 2) + "%"
    }
}
