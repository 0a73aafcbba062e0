import FiredrillCore

extension RunReport {
    /// Verdicts of objectives.
    public enum Verdict {
        public static let met = "MET"
        public static let missed = "MISSED"
        public static let notMeasured = "NOT MEASURED"
        public static let notSet = "NO OBJECTIVE"
        /// Measured, but the objective cannot be judged on it: no outage was observed, or the loss is only bounded
        /// from below by less than the objective, or there was nothing to measure against.
        public static let inconclusive = "INCONCLUSIVE"
    }

    /// What the Action items section says when it lists none: that every objective was met only when each one was
    /// measured and met, else which were not.
    public var noActionItemsText: String {
        let open = objectives.filter { $0.verdict != Verdict.met && $0.verdict != Verdict.notSet }
        if objectives.isEmpty { return "None: no step, undo, rollback or guard failed." }
        if open.isEmpty { return "None: every objective was met, and no step, undo, rollback or guard failed." }
        let named = open.map { "\($0.name): \($0.verdict)" }.joined(separator: "; ")
        return "None: no step, undo, rollback or guard failed, but not every objective was met (\(named)); see Objectives vs achieved."
    }

    /// An objective (RTO, RPO, the experiment's hypothesis, verification) against what was achieved.
    public struct ObjectiveRow: Sendable, Codable {
        public var name: String
        /// The target in seconds; nil for a pass/fail objective.
        public var objectiveSeconds: Double?
        public var achievedSeconds: Double?
        /// `MET`, `MISSED`, `INCONCLUSIVE`, `NOT MEASURED` or `NO OBJECTIVE`.
        public var verdict: String
        public var detail: String
        /// True when `achievedSeconds` is only a lower bound (the RPO when no pre-disaster marker survived).
        public var lowerBound: Bool? = nil
    }

    /// What a drill measured.
    public struct DrillMeasurements: Sendable, Codable {
        public var rto: RTO?
        public var rpo: RPO?
        public var heartbeat: Heartbeat?
    }

    /// A drill instant, with its offset from the disaster injection.
    public struct Mark: Sendable, Codable {
        public var time: String
        public var mono: Double
        /// Seconds since `injected`.
        public var offsetSeconds: Double
    }

    /// The recovery time: the four instants, the detection and repair spans, and the verdict.
    public struct RTO: Sendable, Codable {
        public static let definitionText = "RTO = stable − injected"
        public var definition: String = RTO.definitionText
        /// The runner's wording of the definition, as journaled.
        public var journaledDefinition: String?
        public var injected: Mark?
        public var detected: Mark?
        public var firstHealthy: Mark?
        public var stable: Mark?
        /// stable − injected.
        public var seconds: Double?
        /// detected − injected: how long until a probe saw the outage.
        public var detectionSeconds: Double?
        /// stable − detected: from the outage being seen to service being stable again.
        public var repairSeconds: Double?
        /// How many consecutive passes of `recovered` make "stable".
        public var consecutive: Int?
        /// False when no execution of `recovered` ever failed (the outage was not observed).
        public var outageDetected: Bool?
        public var objectiveSeconds: Double?
        public var verdict: String
        /// Why there is no figure (for example "not recovered within 1h").
        public var reason: String?
    }

    /// The data-loss window.
    public struct RPO: Sendable, Codable {
        public var mode: String?
        public var seconds: Double?
        public var summary: String?
        /// Acknowledged heartbeat markers that did not survive, when the meter reports it.
        public var markersLost: Int?
        /// `exact` or `lower-bound` (the loss is at least `seconds`).
        public var bound: String?
        /// The loss in WAL terms (PostgreSQL heartbeat), as the meter summarized it.
        public var wal: String?
        public var objectiveSeconds: Double?
        public var verdict: String
        public var error: String?
        public var detail: JSONValue?
    }

    /// What the RPO heartbeat wrote.
    public struct Heartbeat: Sendable, Codable {
        public var table: String?
        public var everySeconds: Double?
        public var attempted: Int?
        public var acknowledged: Int?
        public var failed: Int?
        public var newestAcknowledgedSeq: Int?
    }
}
