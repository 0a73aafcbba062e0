import FiredrillCore

extension BuiltinDrivers {
    /// Kubernetes, AWS, Railway and flood faults.
    static let cloudSteps: [String: any StepDriver] = [:]
    static let cloudUndos: [String: any UndoDriver] = [:]

    /// The argv a cloud driver would run, with read-only target resolution where it needs it.
    static func describeCloudArgv(_ key: String, _ params: PlanNode) -> [[String]]? { nil }
}
