import FiredrillCore
import Foundation

/// Resolves the `pid` / `pidfile` / `match` / `unit` / `cgroup` of a process driver into snapshots, picks among
/// them, and (with `tree: true`) adds every descendant of each pick.
struct ProcessTargets {
    let key: String
    let params: DriverParams
    /// Whether this driver declares `tree`.
    var readsTree = false

    func resolve(context: DriverContext) async throws -> [ProcessSnapshot] {
        let criterion = try await self.criterion(context: context)
        let found: [ProcessSnapshot]
        do {
            found = try ProcessSelector().select(criterion)
        } catch {
            throw DriverError(key, error.description)
        }
        let live = found.filter { !$0.isZombie }
        let selection = try TargetSelection(params)
        var picked: [ProcessSnapshot]
        if case .cgroup = criterion, !live.isEmpty {
            // A unit or cgroup is one target: all of its processes, counted once against max-targets.
            _ = try selection.pick([criterion.description], age: { _ in 0 }, maxTargets: context.maxTargets, driver: key, what: "cgroups")
            picked = live
        } else {
            picked = try selection.pick(live, age: \.startSecondsSinceBoot, maxTargets: context.maxTargets,
                                        driver: key, what: "processes (\(criterion))")
        }
        let tree = readsTree ? try params.bool("tree") : false
        if tree { picked = ProcessTree.expand(picked) }
        await context.record(.targetsResolved, [
            "criterion": .string(criterion.description), "matched": .number(Double(live.count)),
            "tree": .bool(tree),
            "picked": .array(picked.map {
                ["pid": .number(Double($0.pid)), "parent": .number(Double($0.parentPID)), "start": .number($0.startSecondsSinceBoot),
                 "cmdline": .string(context.mask($0.commandLine))]
            }),
        ])
        return picked
    }

    private func criterion(context: DriverContext) async throws -> ProcessSelector.Criterion {
        if let pid = try params.int("pid") { return .pid(Int32(pid)) }
        if let file = params.optionalString("pidfile") { return .pidfile(file) }
        if let pattern = params.optionalString("match") { return .match(pattern) }
        if let path = params.optionalString("cgroup") {
            do { return .cgroup(directory: try ControlGroup.at(path: path).directory, label: "cgroup \(path)") }
            catch { throw DriverError(key, error.description) }
        }
        if let unit = params.optionalString("unit") {
            let name = ControlGroup.unitName(unit)
            // systemd's own answer first (argv only); on a host without systemd, the cgroup mounts are searched.
            let reported = try? await CommandRunner().run(CommandRequest(
                argv: ["systemctl", "show", "-p", "ControlGroup", "--value", name], timeout: .seconds(10)))
            let controlGroup = reported.flatMap { $0.exitCode == 0 ? $0.stdout.trimmingCharacters(in: .whitespacesAndNewlines) : nil }
            do { return .cgroup(directory: try ControlGroup.of(unit: name, controlGroup: controlGroup).directory, label: "unit \(name)") }
            catch { throw DriverError(key, error.description) }
        }
        throw DriverError(key, "needs one of `pid`, `pidfile`, `match`, `unit` or `cgroup`")
    }

    static func json(_ targets: [ProcessSnapshot], _ context: DriverContext) -> JSONValue {
        .array(targets.map { ["pid": .number(Double($0.pid)), "cmdline": .string(context.mask($0.commandLine))] })
    }
}
