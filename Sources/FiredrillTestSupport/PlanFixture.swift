import FiredrillCore
import Foundation

/// Writes a plan to a temp file and loads it, failing loudly (with the rendered diagnostics) if it is invalid.
public enum PlanFixture {
    public struct InvalidPlan: Error, CustomStringConvertible {
        public var description: String
    }

    public static func load(_ yaml: String, name: String = "plan.yaml", overrides: [String: String] = [:]) throws -> Plan {
        let dir = try TempDirectory.make(prefix: "firedrill-plan")
        let path = dir + "/" + name
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        let result = PlanLoader.load(path: path, catalog: TestCatalog.builtin, overrides: overrides)
        guard let plan = result.plan else { throw InvalidPlan(description: result.rendered()) }
        return plan
    }

    /// Prepares and runs `plan` in a fresh temp run directory.
    public static func run(_ plan: Plan, drivers: any DriverSet, rollbacks: RollbackPolicy = .always,
                           control: RunControl = RunControl(), observer: (any RunObserver)? = nil) async throws -> RunSummary {
        let session = RunSession(plan: plan, overrides: [:], drivers: drivers, observer: observer, control: control)
        let dir = try TempDirectory.make(prefix: "firedrill-run")
        let (options, recorder, resolver) = try session.prepare(reportsRoot: nil, runDirectory: dir + "/run", rollbacks: rollbacks, notes: [], initiator: "test@localhost")
        return try await session.run(options: options, recorder: recorder, resolver: resolver)
    }
}

/// Temporary directories for tests.
public enum TempDirectory {
    public static func make(prefix: String) throws -> String {
        let path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
