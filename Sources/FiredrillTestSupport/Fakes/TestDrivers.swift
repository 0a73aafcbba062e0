import FiredrillCore

/// A driver set for tests: fakes under chosen catalog keys, falling back to a real driver set for the rest.
public struct TestDrivers: DriverSet {
    public var probes: [String: any ProbeDriver]
    public var steps: [String: any StepDriver]
    public var undos: [String: any UndoDriver]
    public var fallback: (any DriverSet)?

    public init(probes: [String: any ProbeDriver] = [:], steps: [String: any StepDriver] = [:],
                undos: [String: any UndoDriver] = [:], fallback: (any DriverSet)? = nil) {
        self.probes = probes
        self.steps = steps
        self.undos = undos
        self.fallback = fallback
    }

    public func probe(_ key: String) -> (any ProbeDriver)? { probes[key] ?? fallback?.probe(key) }
    public func step(_ key: String) -> (any StepDriver)? { steps[key] ?? fallback?.step(key) }
    public func undo(_ key: String) -> (any UndoDriver)? { undos[key] ?? fallback?.undo(key) }
}
