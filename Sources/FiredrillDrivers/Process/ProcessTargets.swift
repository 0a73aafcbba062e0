import FiredrillCore

/// Resolves the `pid` / `pidfile` / `match` of a process driver into snapshots, then picks among them.
struct ProcessTargets {
    let key: String
    let params: DriverParams

    func resolve(context: DriverContext) async throws -> [ProcessSnapshot] {
        let criterion: ProcessSelector.Criterion
        if let pid = try params.int("pid") {
            criterion = .pid(Int32(pid))
        } else if let file = params.optionalString("pidfile") {
            criterion = .pidfile(file)
        } else if let pattern = params.optionalString("match") {
            criterion = .match(pattern)
        } else {
            throw DriverError(key, "needs one of `pid`, `pidfile` or `match`")
        }
        let found: [ProcessSnapshot]
        do {
            found = try ProcessSelector().select(criterion)
        } catch {
            throw DriverError(key, error.description)
        }
        let live = found.filter { !$0.isZombie }
        let picked = try TargetSelection(params).pick(live, age: \.startSecondsSinceBoot, maxTargets: context.maxTargets,
                                                      driver: key, what: "processes (\(criterion))")
        await context.record(.targetsResolved, [
            "criterion": .string(criterion.description), "matched": .number(Double(live.count)),
            "picked": .array(picked.map { ["pid": .number(Double($0.pid)), "cmdline": .string(context.mask($0.commandLine))] }),
        ])
        return picked
    }

    static func json(_ targets: [ProcessSnapshot], _ context: DriverContext) -> JSONValue {
        .array(targets.map { ["pid": .number(Double($0.pid)), "cmdline": .string(context.mask($0.commandLine))] })
    }
}
