import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

@testable import FiredrillDrivers

#if canImport(Glibc)
import Glibc
#endif

/// The registry as a whole, and the drivers that run no cloud CLI (probes, `command`, `process.*`, floods) run
/// against real things: a loopback HTTP server, a loopback listener, a real PostgreSQL, real processes, a stand-in
/// program for `command`. Each checks that the driver reads every parameter it declares and no other (the loader
/// and the probe runner's reads through `DriverSpec.observedFields` count, as at run time). The cloud drivers are
/// exercised the same way in `DeclaredDriverTests`.
@Suite("Every registered driver against its own declaration", .postgresServer, .serialized)
struct RegisteredDriverTests {
    /// The declared drivers exercised here; `DeclaredDriverTests.examples` holds the others.
    static let localKeys: [String] = [
        "http", "tcp", "postgres", "command", "prometheus", "traffic",
        "process.kill", "process.pause", "process.restart", "process.start",
        "flood.tcp", "flood.http", "flood.postgres",
    ]

    @Test func everyRegisteredDriverIsDeclaredOnceAndServesTheRolesItsEntryNames() {
        var keys: [String] = []
        var undoKeys: [String] = []
        for entry in BuiltinDrivers.registered {
            if let driver = entry as? any DeclaredDriver {
                let spec = type(of: driver).spec
                keys.append(spec.key)
                #expect(!spec.role.contains(.step) || driver is any StepDriver, "\(spec.key) is a step in the catalog but no StepDriver")
                #expect(!spec.role.contains(.probe) || driver is any ProbeDriver, "\(spec.key) is a probe in the catalog but no ProbeDriver")
            } else if let undo = entry as? any DeclaredUndo {
                undoKeys.append(type(of: undo).key)
            } else {
                Issue.record("\(type(of: entry)) is registered but is neither a declared driver nor a declared undo")
            }
        }
        #expect(Set(keys).count == keys.count, "a catalog key is registered twice: \(keys.sorted())")
        #expect(Set(undoKeys).count == undoKeys.count, "an undo key is registered twice: \(undoKeys.sorted())")
        #expect(Set(BuiltinDrivers.undos.keys) == Set(undoKeys))
        // Every undo a catalog entry promises has a registered undo driver behind it.
        #expect(BuiltinDrivers.catalog.all.contains { $0.undo != nil })
        #expect(Set(undoKeys).isSuperset(of: [
            "process.resume", "process.stop", "process-group.end", "flood.release", "kubernetes.scale-restore", "kubernetes.uncordon",
            "aws.ec2.start-instances", "aws.ecs.restore-service", "aws.route53.restore-record",
        ]))
    }

    @Test func everyDeclaredDriverIsExercisedByOneOfTheTwoSuites() {
        let exercised = Set(Self.localKeys).union(DeclaredDriverTests.examples.keys).union(Self.ownSuiteKeys)
        #expect(Set(BuiltinDrivers.declared.keys) == exercised)
        #expect(Set(Self.localKeys).isDisjoint(with: DeclaredDriverTests.examples.keys))
    }

    /// Drivers whose declared-equals-read check lives in their own suite, next to the real servers they need:
    /// `NetworkProxyDriverTests`, `NetworkNetemDriverTests` (through the argv builders `run` uses) and `RedisDriverTests`.
    static let ownSuiteKeys = ["network.proxy", "network.netem", "redis", "redis.pause-clients"]

    @Test func theCatalogIsAssembledFromTheRegistryAndTheRunnersOwnSteps() {
        let declared = BuiltinDrivers.catalog.all.filter { BuiltinDrivers.declared[$0.key] != nil }
        #expect(declared.count + DriverCatalog.control.count == BuiltinDrivers.catalog.all.count)
        for spec in declared {
            #expect(BuiltinDrivers.declared[spec.key]?.spec == spec, "\(spec.key): the catalog entry is not the driver's own")
        }
    }

    @Test func commandDryRunsTheArgvItRuns() async throws {
        let standIn = try StandInCLI(programs: ["drillctl"])
        let argv = ["drillctl", "failover", "--to", "replica 2"]
        try standIn.respond(argv, stdout: "ok\n")
        let node = try params(Self.commandExample(standIn, argv: argv))
        let planned = try #require(BuiltinDrivers.describeArgv("command", node))
        #expect(planned == [argv])
        _ = try await CommandDriver().run(node, context: CloudTestContext().context)
        #expect(try standIn.calls() == planned)
    }

    @Test(arguments: localKeys)
    func localDriverReadsExactlyItsDeclaredParameters(key: String) async throws {
        let driverType = try #require(BuiltinDrivers.declared[key])
        let reads = ParamReadLog()
        try await ParamReadLog.$current.withValue(reads) {
            try await Self.exercise(key)
        }
        let declared = Set(driverType.spec.params.map(\.name))
        let read = reads.read(by: key)
        #expect(read.subtracting(declared).isEmpty, "\(key) reads undeclared parameters: \(read.subtracting(declared).sorted())")
        #expect(declared.subtracting(read).isEmpty, "\(key) declares parameters it never reads: \(declared.subtracting(read).sorted())")
    }

    // MARK: - Running each driver for real

    static func exercise(_ key: String) async throws {
        let context = CloudTestContext(timeout: .seconds(20)).context
        switch key {
        case "http":
            let server = try LoopbackHTTPServer()
            defer { server.stop() }
            let seen = try await observe(key, "{ url: '\(server.baseURL)/health', headers: { X-Drill: '1' }, max-body: 64KiB }", context)
            #expect(seen.value["status"] == 200)
        case "tcp":
            let listener = try LoopbackListener()
            listener.start { _ in }
            defer { listener.stop() }
            let seen = try await observe(key, "{ host: 127.0.0.1, port: \(listener.port) }", context)
            #expect(seen.value["connected"] == true)
        case "postgres":
            let server = try SharedPostgres.current()
            let query = try await observe(key, "{ dsn: '\(server.conninfo)', query: 'select $1::int + 1', params: ['41'], statement-timeout: 5s, unit: count }", context)
            #expect(query.value["value"] == 42)
            // A lone primary has no replication to measure: the probe says so rather than reading a lag of 0.
            let lagError = await #expect(throws: DriverError.self) {
                try await observe(key, "{ dsn: '\(server.conninfo)', metric: replication-lag, silent-after: 2s }", context)
            }
            #expect(lagError?.description.contains("no standby connected") == true)
        case "command":
            let standIn = try StandInCLI(programs: ["drillctl"])
            let argv = ["drillctl", "status"]
            try standIn.respond(argv, stdout: "healthy\n")
            let node = try params(commandExample(standIn, argv: argv))
            _ = try await CommandDriver().run(node, context: context)
            let seen = try await CommandDriver().observe(node, context: context)
            _ = BuiltinDrivers.catalog.spec(key)?.observedFields(node)
            #expect(seen.value["stdout"] == "healthy\n")
            #expect(try standIn.calls() == [argv, argv])
        case "prometheus":
            let body = #"{"status":"success","data":{"resultType":"scalar","result":[1700000000,"7"]}}"#
            let server = try CannedHTTPServer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body)
            defer { server.stop() }
            let seen = try await observe(key, "{ url: 'http://127.0.0.1:\(server.port)', query: 'up', headers: { Authorization: 'Bearer t' }, unit: count }", context)
            #expect(seen.value["value"] == 7)
        case "traffic":
            let server = try LoopbackHTTPServer()
            defer { server.stop() }
            let seen = try await observe(key, "{ url: '\(server.baseURL)/health', concurrency: 1, for: 500ms, success-status: ['200-299'] }", context)
            #expect((seen.value["requests"]?.doubleValue ?? 0) >= 1)
        case "process.kill", "process.pause", "process.restart":
            try await exerciseProcessDriver(key, context)
            if key != "process.restart" { try await exerciseProcessGroups(key, context) }
        case "process.start":
            let port = try ProcessStartTests.freePort()
            let outcome = try await ProcessStartDriver().run(try params("""
                { run: [python3, -m, http.server, --bind, 127.0.0.1, '\(port)'], env: { DRILL: '1' }, cwd: /tmp,
                  output: /dev/null, ready-port: '127.0.0.1:\(port)', ready-after: 10ms,
                  ready: { http: { url: 'http://127.0.0.1:\(port)/' }, expect: { status: 200 } }, ready-timeout: 30s, grace: 1s }
                """), context: context)
            let pid = try #require(outcome.output["pid"]?.intValue.map(Int32.init))
            kill(pid, SIGKILL)
            #expect(await waitUntilGone(pid, timeout: .seconds(10)))
        case "flood.tcp":
            let listener = try HoldingTCPListener()
            defer { listener.stop() }
            let outcome = try await TCPFloodDriver().run(try params("{ host: 127.0.0.1, port: \(listener.port), connections: 3, open-rate: 100/s, hold: 200ms }"), context: context)
            #expect(outcome.output["opened"] == 3)
        case "flood.http":
            let server = try LoopbackHTTPServer()
            defer { server.stop() }
            let outcome = try await HTTPFloodDriver().run(try params("{ url: '\(server.baseURL)/health', concurrency: 1, for: 300ms }"), context: context)
            #expect((outcome.output["ok"]?.doubleValue ?? 0) >= 1)
        case "flood.postgres":
            let server = try SharedPostgres.current()
            let outcome = try await PostgresFloodDriver().run(try params("{ dsn: '\(server.conninfo)', connections: 2, open-rate: 50/s, hold: 200ms }"), context: context)
            #expect(outcome.output["opened"] == 2)
        default:
            Issue.record("no example for \(key)")
        }
    }

    /// Observes through the registered probe driver, and reads the fields as the loader and the probe runner do.
    static func observe(_ key: String, _ yaml: String, _ context: DriverContext) async throws -> Observation {
        let node = try params(yaml)
        _ = try #require(BuiltinDrivers.catalog.spec(key)).observedFields(node)
        return try await #require(BuiltinDrivers.probes[key]).observe(node, context: context)
    }

    /// A `command` call of `argv` whose program is a stand-in: the stand-in's directory first on the child's `PATH`.
    static func commandExample(_ standIn: StandInCLI, argv: [String]) -> String {
        let env = standIn.environment.map { "\($0.key): '\($0.value)'" }.sorted().joined(separator: ", ")
        let run = argv.map { "'\($0)'" }.joined(separator: ", ")
        return "{ run: [\(run)], env: { \(env) }, cwd: /tmp, ok-exit-codes: ['0'] }"
    }

    /// `tree`, `cgroup` and `unit` of the signalling faults: a tree under a sleeper's python parent, a cgroup-layout
    /// directory listing a sleeper, and a unit that does not exist (read, then refused).
    static func exerciseProcessGroups(_ key: String, _ context: DriverContext) async throws {
        let tree = try await ProcessTreeFixture.start()
        defer { tree.killAll() }
        let group = try TestCgroup.make()
        let (sleeper, _) = try await launchSleeper()
        defer { kill(sleeper.pid, SIGKILL) }
        try group.add(sleeper.pid)
        let rest = key == "process.kill" ? "signal: KILL" : "for: 100ms"
        let run: (String) async throws -> StepOutcome = { yaml in
            key == "process.kill" ? try await ProcessKillDriver().run(try params(yaml), context: context)
                : try await ProcessPauseDriver().run(try params(yaml), context: context)
        }
        let inTree = try await run("{ pid: \(tree.root.pid), tree: true, \(rest) }")
        #expect(inTree.output["targets"]?.arrayValue?.count == 4)
        let inGroup = try await run("{ cgroup: '\(group.directory)', \(rest) }")
        #expect(inGroup.output["targets"]?.arrayValue?.count == 1)
        await #expect(throws: DriverError.self) { _ = try await run("{ unit: firedrill-no-such-unit-\(Int.random(in: 1000...9999)), \(rest) }") }
        if key == "process.kill" { #expect(await waitUntilGone(tree.root.pid, timeout: .seconds(10))) }
        kill(sleeper.pid, SIGKILL)
        await group.remove()
    }

    /// `process.*` three times, once per way of naming the target (`pid`, `pidfile`, `match`), each on a real
    /// `sleep`; every process started is killed at the end.
    static func exerciseProcessDriver(_ key: String, _ context: DriverContext) async throws {
        let directory = try TempDirectory.make(prefix: "firedrill-registered")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var started: [Int32] = []
        defer { for pid in started { kill(pid, SIGKILL) } }
        let selectors: [(LaunchedProcess, String) throws -> String] = [
            { process, _ in "pid: \(process.pid)" },
            { process, _ in
                let file = directory + "/sleep.pid"
                try Data("\(process.pid)\n".utf8).write(to: URL(fileURLWithPath: file))
                return "pidfile: '\(file)'"
            },
            { _, argument in "match: 'sleep \(argument.replacingOccurrences(of: ".", with: "\\."))'" },
        ]
        // `percent` and `count` exclude each other, so the picks vary between the three calls.
        let picks = ["percent: 100%, if-none: fail", "count: 1, mode: newest", "mode: all, if-none: skip"]
        for (select, pick) in zip(selectors, picks) {
            let (process, argument) = try await launchSleeper()
            started.append(process.pid)
            let target = try select(process, argument) + ", " + pick
            switch key {
            case "process.kill":
                _ = try await ProcessKillDriver().run(try params("{ \(target), signal: TERM }"), context: context)
                #expect(await waitUntilGone(process.pid, timeout: .seconds(10)))
            case "process.pause":
                _ = try await ProcessPauseDriver().run(try params("{ \(target), for: 100ms }"), context: context)
                #expect(ProcessController().isRunning(process.pid))
            default:
                let outcome = try await ProcessRestartDriver().run(try params("{ \(target), signal: INT, grace: 5s }"), context: context)
                let restarted = outcome.output["restarted"]?.arrayValue?.compactMap { $0["pid"]?.intValue } ?? []
                #expect(restarted.count == 1)
                started += restarted.map { Int32($0) }
                #expect(await waitUntilGone(process.pid, timeout: .seconds(10)))
            }
        }
    }
}
