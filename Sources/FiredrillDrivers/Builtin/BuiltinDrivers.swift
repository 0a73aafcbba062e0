import FiredrillCore

/// Every driver of this build, by catalog key. A catalog key missing here is reported at run time as
/// "this build has no driver for …", never silently skipped. Families register in their own
/// `BuiltinDrivers+Family.swift`.
public enum BuiltinDrivers {
    public static let probes: [String: any ProbeDriver] = merged([localProbes, databaseProbes, observabilityProbes, networkProbesByKey])
    public static let steps: [String: any StepDriver] = merged([localSteps, keyed(kubernetes + aws + railway), keyed(network), cloudSteps, databaseSteps])
    public static let undos: [String: any UndoDriver] = merged([localUndos, cloudUndos, databaseUndos, networkUndos])

    static let localProbes: [String: any ProbeDriver] = [
        "command": CommandDriver(),
        "http": HTTPProbeDriver(),
        "tcp": TCPProbeDriver(),
    ]

    static let localSteps: [String: any StepDriver] = [
        "command": CommandDriver(),
        "process.kill": ProcessKillDriver(),
        "process.pause": ProcessPauseDriver(),
        "process.restart": ProcessRestartDriver(),
    ]

    static let localUndos: [String: any UndoDriver] = [
        "process.resume": ProcessResumeUndo(),
        ProcessGroupEndUndo.key: ProcessGroupEndUndo(),
    ]

    /// The argv lists a driver would run, for `firedrill plan`.
    public static func describeArgv(_ key: String, _ params: PlanNode) -> [[String]]? {
        if key == "command" { return params["run"]?.sequence.map { [$0.compactMap(\.scalar)] } }
        return describeCloudArgv(key, params)
    }

    /// The catalog of this build: every driver plans may name, in the order the docs present them. Drivers that
    /// declare themselves contribute their own entry; the others' entries are still declared in Core.
    public static let catalog = DriverCatalog(
        DriverCatalog.probes + DriverCatalog.control + DriverCatalog.process + DriverCatalog.flood
            + (kubernetes + aws + railway).map { type(of: $0).spec } + network.map { type(of: $0).spec } + networkProbes.map { type(of: $0).spec })

    /// The drivers that declare themselves, by catalog key.
    static let declared: [String: any DeclaredDriver.Type] = {
        var map: [String: any DeclaredDriver.Type] = [:]
        for driver in kubernetes + aws + railway { map[type(of: driver).spec.key] = type(of: driver) }
        for driver in network { map[type(of: driver).spec.key] = type(of: driver) }
        for driver in networkProbes { map[type(of: driver).spec.key] = type(of: driver) }
        return map
    }()

    static func keyed(_ drivers: [any StepDriver & DeclaredDriver]) -> [String: any StepDriver] {
        Dictionary(uniqueKeysWithValues: drivers.map { (type(of: $0).spec.key, $0 as any StepDriver) })
    }

    static func merged<V>(_ maps: [[String: V]]) -> [String: V] {
        maps.reduce(into: [:]) { $0.merge($1) { first, _ in first } }
    }
}
