/// A step that errored: which one and why. Ends the run as `failed` unless the step says `on-error: continue`.
public struct StepFailure: Error, Sendable, CustomStringConvertible {
    public var step: String
    public var message: String

    public var description: String { "step \(step) failed: \(message)" }
}
