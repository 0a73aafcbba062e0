import FiredrillCore
import FiredrillTestSupport
import Foundation
import Synchronization
import Testing

@testable import FiredrillDrivers

/// `flood.postgres` against real PostgreSQL servers started with a small `max_connections`, each test its own.
@Suite("flood.postgres against a real PostgreSQL")
struct PostgresFloodDriverTests {
    /// Client sessions the flood holds on `server`, counted by the server itself.
    private func floodSessions(_ server: PostgresFixture) async throws -> Int {
        let connection = try await PGConnection.connect(server.conninfo)
        defer { Task { await connection.close() } }
        let count = try await connection.scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'firedrill-flood'")
        return Int(count ?? "") ?? -1
    }

    /// Polls `condition` every 50 ms for at most `limit`.
    private func eventually(_ limit: Duration, _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    private func probe(_ server: PostgresFixture) async throws -> Observation {
        try await PostgresProbeDriver().observe(try params("{ dsn: '\(server.conninfo)' }"), context: CloudTestContext(timeout: .seconds(5)).context)
    }

    @Test func maxFillsTheServerAndTheProbeFailsUntilTheFloodEnds() async throws {
        let server = try await PostgresFixture.start(.init(maxConnections: 20))
        defer { server.stop() }
        #expect(try await probe(server).ok)

        let sessionsAtJournal = Mutex(-1)
        let recorder = CloudTestContext(onWillApply: { _ in
            let sessions = (try? await floodSessions(server)) ?? -2
            sessionsAtJournal.withLock { $0 = sessions }
        })
        let run = Task {
            try await PostgresFloodDriver().run(try params("{ dsn: '\(server.conninfo)', connections: max, hold: 3s }"), context: recorder.context)
        }
        var refusedProbe: Observation?
        _ = try await eventually(.seconds(10)) {
            let observation = try await probe(server)
            if !observation.ok { refusedProbe = observation }
            return !observation.ok
        }
        let failed = try #require(refusedProbe, "the probe never failed during the flood")
        #expect(failed.value["connected"] == false)
        #expect(failed.summary.contains("too many clients"), "\(failed.summary)")

        let outcome = try await run.value
        let opened = try #require(outcome.output["opened"]?.intValue)
        #expect(opened >= 17 && opened <= 20, "opened \(opened) with max_connections=20")
        #expect(outcome.output["held"]?.intValue == opened)
        #expect((outcome.output["refused"]?.intValue ?? 0) >= 1)
        #expect(outcome.output["failed"] == 0)
        #expect(outcome.output["requested"] == "max")
        #expect(outcome.output["refusal"]?.stringValue?.contains("too many clients") == true)
        let refusalAt = try #require(outcome.output["first-refusal-seconds"]?.doubleValue)
        #expect(refusalAt < 5)
        #expect(outcome.summary.hasPrefix("held \(opened) of max connections to 127.0.0.1:\(server.port) for 3s (opened \(opened) in "), "\(outcome.summary)")
        #expect(!outcome.summary.contains(server.password))

        #expect(sessionsAtJournal.withLock { $0 } == 0, "the release must be journaled before the first connection")
        #expect(await recorder.intents.first?.action.key == "flood.release")
        #expect(await recorder.undone == ["closed \(opened) connections after 3s"])
        #expect(await recorder.records("flood.opened").first?["opened"]?.intValue == opened)

        #expect(try await eventually(.seconds(5)) { try await probe(server).ok }, "the probe passes again after the flood")
        #expect(try await eventually(.seconds(5)) { try await floodSessions(server) == 0 })
    }

    @Test func aCountBelowTheLimitOpensExactlyThatMany() async throws {
        let server = try await PostgresFixture.start(.init(maxConnections: 20))
        defer { server.stop() }
        let run = Task {
            try await PostgresFloodDriver().run(
                try params("{ dsn: '\(server.uri)', connections: 6, open-rate: 50/s, hold: 1s }"), context: CloudTestContext().context)
        }
        #expect(try await eventually(.seconds(5)) { try await floodSessions(server) == 6 })
        let outcome = try await run.value
        #expect(outcome.output["opened"] == 6)
        #expect(outcome.output["held"] == 6)
        #expect(outcome.output["refused"] == 0)
        #expect(outcome.output["first-refusal-seconds"] == nil)
        let seconds = try #require(outcome.output["open-seconds"]?.doubleValue)
        #expect(seconds >= 0.08, "6 at 50/s took \(seconds)s")
        #expect(outcome.output["target"]?.stringValue?.contains(server.password) == false)
        #expect(try await eventually(.seconds(5)) { try await floodSessions(server) == 0 })
    }

    @Test func cancellationClosesEveryConnectionPromptly() async throws {
        let server = try await PostgresFixture.start(.init(maxConnections: 20))
        defer { server.stop() }
        let recorder = CloudTestContext()
        let run = Task {
            try await PostgresFloodDriver().run(try params("{ dsn: '\(server.conninfo)', connections: 10, hold: 60s }"), context: recorder.context)
        }
        #expect(try await eventually(.seconds(5)) { try await floodSessions(server) == 10 })
        let cancelledAt = ContinuousClock.now
        run.cancel()
        await #expect(throws: CancellationError.self) { try await run.value }
        #expect(cancelledAt.duration(to: .now) < .seconds(1))
        #expect(await recorder.undone == ["closed 10 connections early: the step was cancelled"])
        #expect(try await eventually(.seconds(5)) { try await floodSessions(server) == 0 })
    }

    @Test func sessionsTheServerEndsAreCountedAsDropped() async throws {
        let server = try await PostgresFixture.start(.init(maxConnections: 20))
        defer { server.stop() }
        let run = Task {
            try await PostgresFloodDriver().run(try params("{ dsn: '\(server.conninfo)', connections: 4, hold: 2s }"), context: CloudTestContext().context)
        }
        #expect(try await eventually(.seconds(5)) { try await floodSessions(server) == 4 })
        let admin = try await PGConnection.connect(server.conninfo)
        _ = try await admin.query("""
            SELECT pg_terminate_backend(pid)
            FROM (SELECT pid FROM pg_stat_activity WHERE application_name = 'firedrill-flood' LIMIT 2) AS victims
            """)
        await admin.close()
        let outcome = try await run.value
        #expect(outcome.output["held"] == 2)
        #expect(outcome.output["dropped"] == 2)
        #expect(outcome.summary.hasSuffix("; 2 ended by the server)"), "\(outcome.summary)")
        #expect(outcome.output["drop-reason"]?.stringValue?.contains("terminat") == true, "\(String(describing: outcome.output["drop-reason"]))")
    }

    @Test func aServerThatIsNotThereFailsWithTheReason() async throws {
        let port = try LoopbackPort.free()
        let recorder = CloudTestContext()
        let error = await #expect(throws: DriverError.self) {
            try await PostgresFloodDriver().run(
                try params("{ dsn: 'host=127.0.0.1 port=\(port) user=x password=hunter22 dbname=postgres', connections: 5, hold: 1s }"),
                context: recorder.context)
        }
        let message = error?.description ?? ""
        #expect(message.hasPrefix("flood.postgres: could not open any connection to 127.0.0.1:\(port): "), "\(message)")
        #expect(message.contains("Connection refused"), "\(message)")
        #expect(message.hasSuffix("(0 refused, 5 failed)"), "\(message)")
        #expect(!message.contains("hunter22"))
        #expect(await recorder.undone == ["no connection was opened"])
    }
}
