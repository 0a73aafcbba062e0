/// Writes RPO heartbeat markers from before the disaster until recovery, remembering which were acknowledged.
public protocol HeartbeatDriver: Sendable {
    /// Prepares the marker table and starts writing every `every`; returns the running session.
    func start(dsn: String, table: String, every: Duration, runID: String, context: DriverContext) async throws -> any HeartbeatSession
}

/// A running heartbeat.
public protocol HeartbeatSession: Sendable {
    /// Stops writing and returns what was written and acknowledged.
    func stop() async -> HeartbeatStats
}

/// What a heartbeat wrote: markers are numbered from 1; times are the runner's wall clock (seconds since 1970).
public struct HeartbeatStats: Sendable, Codable {
    public var attempted: Int
    public var acknowledged: Int
    public var failed: Int
    public var newestAcknowledgedSeq: Int?
    public var newestAcknowledgedAt: Double?
    /// Every acknowledged marker (seq, time), for counting the ones lost.
    public var acknowledgedMarkers: [Marker]
    /// The primary's flushed WAL position read after each acknowledged marker (PostgreSQL's `X/Y` text), with the
    /// runner's wall clock just before it was read: the last one before the disaster is the old primary's last
    /// known flushed LSN.
    public var flushedPositions: [Position]
    /// The database system identifier of the server the heartbeat started on, when readable: WAL positions are
    /// compared only between servers of the same system.
    public var systemIdentifier: String?

    /// A WAL position the primary reported, and when it was asked.
    public struct Position: Sendable, Codable {
        public var lsn: String
        public var at: Double
        public init(lsn: String, at: Double) {
            self.lsn = lsn
            self.at = at
        }
    }

    /// One acknowledged marker.
    public struct Marker: Sendable, Codable {
        public var seq: Int
        public var at: Double
        public init(seq: Int, at: Double) {
            self.seq = seq
            self.at = at
        }
    }

    public init(attempted: Int = 0, acknowledged: Int = 0, failed: Int = 0, newestAcknowledgedSeq: Int? = nil,
                newestAcknowledgedAt: Double? = nil, acknowledgedMarkers: [Marker] = [], flushedPositions: [Position] = [],
                systemIdentifier: String? = nil) {
        self.attempted = attempted
        self.acknowledged = acknowledged
        self.failed = failed
        self.newestAcknowledgedSeq = newestAcknowledgedSeq
        self.newestAcknowledgedAt = newestAcknowledgedAt
        self.acknowledgedMarkers = acknowledgedMarkers
        self.flushedPositions = flushedPositions
        self.systemIdentifier = systemIdentifier
    }
}

/// Measures the data-loss window after recovery, in one of the `rpo:` modes.
public protocol RPOMeter: Sendable {
    /// What the mode needs from just before the disaster (`rpo.query`: the newest value on the primary); nil when
    /// it needs nothing. Called right before the first disaster step.
    func before(_ spec: RPOSpec, context: DriverContext) async throws -> JSONValue?
    /// `before` is what `before(_:context:)` returned (nil when it returned nothing or failed).
    func measure(_ spec: RPOSpec, disasterAt: Double, heartbeat: HeartbeatStats?, before: JSONValue?, runID: String,
                 context: DriverContext) async throws -> RPOMeasurement
}

extension RPOMeter {
    public func before(_ spec: RPOSpec, context: DriverContext) async throws -> JSONValue? { nil }
}

/// An RPO figure with how it was obtained: a measurement, a lower bound, or nothing (inconclusive).
public struct RPOMeasurement: Sendable {
    /// Whether `seconds` is the loss or only a bound on it.
    public enum Bound: String, Sendable {
        /// The data-loss window, measured.
        case exact
        /// The loss is at least `seconds` (for example, no marker written before the disaster survived).
        case lowerBound = "lower-bound"
    }

    public var mode: String
    /// The data-loss window in seconds (never negative); nil when it cannot be judged (`summary` says why).
    public var seconds: Double?
    public var bound: Bound
    public var summary: String
    public var detail: JSONValue

    public init(mode: String, seconds: Double?, bound: Bound = .exact, summary: String, detail: JSONValue) {
        self.mode = mode
        self.seconds = seconds
        self.bound = bound
        self.summary = summary
        self.detail = detail
    }

    /// The verdict against `objective` (seconds): a measurement is met or not met; a lower bound above the
    /// objective is not met and otherwise inconclusive; no figure is inconclusive.
    public func verdict(objective: Double) -> ObjectiveVerdict {
        guard let seconds else { return .inconclusive }
        switch bound {
        case .exact: return seconds <= objective ? .met : .notMet
        case .lowerBound: return seconds > objective ? .notMet : .inconclusive
        }
    }
}

extension DriverSet {
    public func heartbeat(_ kind: String) -> (any HeartbeatDriver)? { nil }
    public func rpoMeter() -> (any RPOMeter)? { nil }
}
