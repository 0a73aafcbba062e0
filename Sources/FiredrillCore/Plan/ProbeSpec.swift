/// A probe as written in `steady-state`, `guards`, `effect`, `recovered` or `verify`, with its judging and timing rules.
public struct ProbeSpec: Sendable, Hashable {
    public var name: String
    public var call: DriverCall
    public var expect: Tolerance?
    /// The `expect` node as written, so it can be re-parsed after variables are substituted.
    public var expectNode: PlanNode?
    public var timeout: Duration?
    public var every: Duration
    public var attempts: Int
    public var initialDelay: Duration
    public var consecutive: Int
    public var tolerate: Int
    /// For a guard written as `use: NAME`, the steady-state probe it reuses.
    public var uses: String?
    public var location: SourceLocation

    public init(
        name: String, call: DriverCall, expect: Tolerance?, expectNode: PlanNode?, timeout: Duration?,
        every: Duration = .seconds(1), attempts: Int = 1, initialDelay: Duration = .zero, consecutive: Int = 1,
        tolerate: Int = 0, uses: String? = nil, location: SourceLocation
    ) {
        self.name = name
        self.call = call
        self.expect = expect
        self.expectNode = expectNode
        self.timeout = timeout
        self.every = every
        self.attempts = attempts
        self.initialDelay = initialDelay
        self.consecutive = consecutive
        self.tolerate = tolerate
        self.uses = uses
        self.location = location
    }
}
