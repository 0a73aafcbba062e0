/// A driver named in a plan with its parameters, still as written (variables unresolved).
public struct DriverCall: Sendable, Hashable {
    public var key: String
    /// The parameters as a mapping node (a shorthand scalar has already been expanded).
    public var params: PlanNode
    public var location: SourceLocation
    /// The driver's catalog entry, as the loader found it.
    public var spec: DriverSpec?

    public init(key: String, params: PlanNode, location: SourceLocation, spec: DriverSpec?) {
        self.key = key
        self.params = params
        self.location = location
        self.spec = spec
    }
}
