/// What a finished step produced: its outputs (readable by later steps as `${steps.NAME.FIELD}`) and a summary.
public struct StepOutcome: Sendable {
    public var output: JSONValue
    public var summary: String

    public init(output: JSONValue = .object([:]), summary: String) {
        self.output = output
        self.summary = summary
    }
}
