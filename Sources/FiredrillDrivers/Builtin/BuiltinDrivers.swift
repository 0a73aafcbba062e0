import FiredrillCore

/// Every driver of this build. Each family has ONE registry list (`probeDrivers`, `processDrivers`, `floodDrivers`
/// here; `kubernetes`, `aws`, `railway` in `BuiltinDrivers+Cloud.swift`), holding its probes, steps and undos;
/// the catalog, the run-time maps and `declared` are all derived from those lists, so adding a driver is its own
/// file plus one line in its family's list. A catalog key missing at run time is reported as "this build has no
/// driver for …", never silently skipped.
public enum BuiltinDrivers {
    /// Every family's list, in the order the catalog presents them.
    static let families: [[any RegisteredDriver]] = [probeDrivers, processDrivers, floodDrivers, kubernetes, aws, railway, networkDrivers]

    /// Everything registered, families concatenated.
    static let registered: [any RegisteredDriver] = families.flatMap { $0 }

    /// The catalog of this build: every driver plans may name, in the order the docs present them. The runner's own
    /// `wait` and `parallel` (`DriverCatalog.control`) come right after the probes.
    public static let catalog = DriverCatalog(
        specs(probeDrivers) + DriverCatalog.control
            + specs(families.dropFirst().flatMap { $0 }))

    /// Probe drivers by catalog key: the registered drivers whose entry has the probe role.
    public static let probes: [String: any ProbeDriver] = keyed(role: .probe) { $0 as? any ProbeDriver }

    /// Step drivers by catalog key: the registered drivers whose entry has the step role.
    public static let steps: [String: any StepDriver] = keyed(role: .step) { $0 as? any StepDriver }

    /// Undo drivers by the key their faults journal.
    public static let undos: [String: any UndoDriver] = {
        var map: [String: any UndoDriver] = [:]
        for case let undo as any DeclaredUndo in registered where map[type(of: undo).key] == nil {
            map[type(of: undo).key] = undo
        }
        return map
    }()

    /// The registered drivers' declarations, by catalog key.
    static let declared: [String: any DeclaredDriver.Type] = {
        var map: [String: any DeclaredDriver.Type] = [:]
        for case let driver as any DeclaredDriver in registered where map[type(of: driver).spec.key] == nil {
            map[type(of: driver).spec.key] = type(of: driver)
        }
        return map
    }()

    /// The argv lists a driver would run, in order, exactly as it would run them, for `firedrill plan`: the
    /// driver's own `dryRunArgv`. Targets known only at run time read `<resolved at run time>`, and kubectl's own
    /// `--timeout` reads `<step timeout>`. Nil for drivers that run no program and for parameters that would fail
    /// at run time.
    public static func describeArgv(_ key: String, _ params: PlanNode) -> [[String]]? {
        guard let driver = declared[key] else { return nil }
        return try? driver.dryRunArgv(DriverParams(spec: driver.spec, node: params), environment: [:])
    }

    static func specs(_ drivers: [any RegisteredDriver]) -> [DriverSpec] {
        drivers.compactMap { ($0 as? any DeclaredDriver).map { type(of: $0).spec } }
    }

    /// The registered drivers whose catalog entry has `role`, cast to that role's protocol; the first registration
    /// of a key wins (`DeclaredDriverTests` checks keys are unique).
    static func keyed<D>(role: DriverRole, _ cast: (any DeclaredDriver) -> D?) -> [String: D] {
        var map: [String: D] = [:]
        for case let driver as any DeclaredDriver in registered {
            let spec = type(of: driver).spec
            guard spec.role.contains(role), map[spec.key] == nil, let typed = cast(driver) else { continue }
            map[spec.key] = typed
        }
        return map
    }
}
