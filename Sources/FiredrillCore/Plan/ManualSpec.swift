/// `manual:` — a step performed or decided by a person: the drill pauses until an operator answers yes or no.
public struct ManualSpec: Sendable, Hashable {
    /// What the operator is asked (vars substituted when the step runs).
    public var prompt: String
    /// When the step fails if nobody has answered.
    public var timeout: Duration
    /// The role expected to answer (`incident-commander`), shown with the prompt and in the report.
    public var who: String?

    public static let defaultTimeout: Duration = .seconds(900)

    public init(prompt: String, timeout: Duration, who: String?) {
        self.prompt = prompt
        self.timeout = timeout
        self.who = who
    }
}
