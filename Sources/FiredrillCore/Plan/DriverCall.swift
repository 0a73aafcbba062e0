/// A driver named in a plan with its parameters, still as written (variables unresolved).
public struct DriverCall: Sendable, Hashable {
    public var key: String
    /// The parameters as a mapping node (a shorthand scalar has already been expanded).
    public var params: PlanNode
    public var location: SourceLocation

    public init(key: String, params: PlanNode, location: SourceLocation) {
        self.key = key
        self.params = params
        self.location = location
    }

    public var spec: DriverSpec? { DriverCatalog.spec(key) }
}
