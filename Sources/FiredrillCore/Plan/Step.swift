/// One step of a method, disaster, recovery, failback or rollback list.
public struct Step: Sendable, Hashable {
    /// What a step does.
    public indirect enum Action: Sendable, Hashable {
        case driver(DriverCall)
        case wait(Duration, SourceLocation)
        case parallel([Step])
        /// Polls a probe until it passes (`until:`).
        case until(UntilSpec)
        /// Waits for an operator's yes or no (`manual:`).
        case manual(ManualSpec)
    }

    public var name: String
    /// True when the plan gave the name; false when Firedrill derived it.
    public var named: Bool
    public var action: Action
    public var timeout: Duration?
    public var continueOnError: Bool
    public var location: SourceLocation
    /// `repeat:` — runs the step again on a schedule (method and disaster steps).
    public var repetition: RepeatSpec?

    public init(name: String, named: Bool, action: Action, timeout: Duration?, continueOnError: Bool, location: SourceLocation,
                repetition: RepeatSpec? = nil) {
        self.name = name
        self.named = named
        self.action = action
        self.timeout = timeout
        self.continueOnError = continueOnError
        self.location = location
        self.repetition = repetition
    }

    /// The driver key, `wait` or `parallel`.
    public var kindName: String {
        switch action {
        case .driver(let call): return call.key
        case .wait: return "wait"
        case .parallel: return "parallel"
        case .until: return "until"
        case .manual: return "manual"
        }
    }
}
