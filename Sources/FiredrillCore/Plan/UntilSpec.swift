/// `until:` — a step that polls a probe until it passes: "until the old primary has rejoined as a replica".
public struct UntilSpec: Sendable, Hashable {
    /// The probe polled; its `expect` judges each execution and its `consecutive` how many passes in a row end the
    /// wait.
    public var probe: ProbeSpec
    /// How often the probe is executed.
    public var every: Duration
    /// When the step fails if the probe has not passed.
    public var timeout: Duration

    public static let defaultEvery: Duration = .seconds(2)
    public static let defaultTimeout: Duration = .seconds(600)

    public init(probe: ProbeSpec, every: Duration, timeout: Duration) {
        self.probe = probe
        self.every = every
        self.timeout = timeout
    }
}
