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
                newestAcknowledgedAt: Double? = nil, acknowledgedMarkers: [Marker] = []) {
        self.attempted = attempted
        self.acknowledged = acknowledged
        self.failed = failed
        self.newestAcknowledgedSeq = newestAcknowledgedSeq
        self.newestAcknowledgedAt = newestAcknowledgedAt
        self.acknowledgedMarkers = acknowledgedMarkers
    }
}

/// Measures the data-loss window after recovery, in one of the `rpo:` modes.
public protocol RPOMeter: Sendable {
    func measure(_ spec: RPOSpec, disasterAt: Double, heartbeat: HeartbeatStats?, runID: String, context: DriverContext) async throws -> RPOMeasurement
}

/// An RPO figure with how it was obtained.
public struct RPOMeasurement: Sendable {
    public var mode: String
    /// The data-loss window in seconds (never negative).
    public var seconds: Double
    public var summary: String
    public var detail: JSONValue

    public init(mode: String, seconds: Double, summary: String, detail: JSONValue) {
        self.mode = mode
        self.seconds = seconds
        self.summary = summary
        self.detail = detail
    }
}

extension DriverSet {
    public func heartbeat(_ kind: String) -> (any HeartbeatDriver)? { nil }
    public func rpoMeter() -> (any RPOMeter)? { nil }
}
