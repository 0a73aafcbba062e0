/// `repeat:` on a method or disaster step — the step runs again on a schedule, as Litmus's chaos interval and
/// total duration: first at once, then every `every` (± up to `jitter`) until `for` has passed since the first.
public struct RepeatSpec: Sendable, Hashable {
    public var every: Duration
    /// The fault window: no repetition starts once this has passed since the first one started.
    public var duration: Duration
    /// Each interval is moved by a random amount up to this, either way (never below zero).
    public var jitter: Duration
    public var location: SourceLocation

    public init(every: Duration, duration: Duration, jitter: Duration = .zero, location: SourceLocation) {
        self.every = every
        self.duration = duration
        self.jitter = jitter
        self.location = location
    }

    /// The most repetitions the schedule can run (the first included).
    public var maxRepetitions: Int {
        let every = max(self.every - jitter, .milliseconds(1))
        return Int((duration.seconds / every.seconds).rounded(.down)) + 1
    }
}
