/// Outputs of finished steps, read by later steps through `${steps.NAME.FIELD}`.
public actor StepResults {
    private var results: [String: JSONValue] = [:]

    public init() {}

    public func set(_ name: String, _ value: JSONValue) { results[name] = value }
    public var all: [String: JSONValue] { results }
}
