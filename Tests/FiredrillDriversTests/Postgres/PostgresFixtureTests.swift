import FiredrillDrivers
import FiredrillTestSupport
import Foundation
import Testing

@Suite("PostgresFixture")
struct PostgresFixtureTests {
    /// Alive and not a zombie (a container's init may not reap the postmaster at once).
    private func isRunning(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        guard let close = stat.lastIndex(of: ")") else { return true }
        return !stat[close...].hasPrefix(") Z")
    }

    @Test func startsWithSettingsAndStopsCompletely() async throws {
        let pg = try await PostgresFixture.start(.init(maxConnections: 7))
        defer { pg.stop() }
        let connection = try await PGConnection.connect(pg.conninfo)
        #expect(try await connection.scalar("SHOW max_connections") == "7")
        #expect(try await connection.scalar("SHOW wal_level") == "replica")
        #expect(try await connection.scalar("SHOW listen_addresses") == "127.0.0.1")
        await connection.close()

        let pid = try #require(pg.postmasterPID)
        pg.stop()
        #expect(!isRunning(pid))
        #expect(!FileManager.default.fileExists(atPath: pg.directory.path))
        pg.stop()
    }

    @Test func standbyFollowsThePrimaryAndCanBePromoted() async throws {
        let primary = try await PostgresFixture.start()
        defer { primary.stop() }
        let standby = try await primary.makeStandby()
        defer { standby.stop() }
        #expect(standby.isStandby)
        #expect(standby.port != primary.port)

        let writer = try await PGConnection.connect(primary.conninfo)
        _ = try await writer.query("CREATE TABLE marks (id int)")
        _ = try await writer.query("INSERT INTO marks VALUES (1), (2)")
        await writer.close()

        let reader = try await PGConnection.connect(standby.conninfo)
        #expect(try await reader.scalar("SELECT pg_is_in_recovery()") == "t")
        var count: String?
        for _ in 0..<100 where count != "2" {
            count = try? await reader.scalar("SELECT count(*) FROM marks")
            if count != "2" { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(count == "2")

        try await standby.promote()
        #expect(try await reader.scalar("SELECT pg_is_in_recovery()") == "f")
        await reader.close()
    }
}
