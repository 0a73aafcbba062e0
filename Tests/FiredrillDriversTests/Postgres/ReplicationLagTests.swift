import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

@testable import FiredrillDrivers

/// `postgres` `metric: replication-lag` on real servers: a primary and a standby streaming through a
/// `StallingTCPProxy`, so the test can stall replication as a stuck network would.
@Suite("replication-lag against a real primary and standby", .serialized)
struct ReplicationLagTests {
    private func lag(_ server: PostgresFixture) async throws -> Observation {
        try await PostgresProbeDriver().observe(try params("{ dsn: '\(server.conninfo)', metric: replication-lag }"),
                                                context: CloudTestContext(timeout: .seconds(10)).context)
    }

    @Test func aStalledStandbyLagsOnThePrimaryAtLeastAsLongAsTheStall() async throws {
        let primary = try await PostgresFixture.start()
        defer { primary.stop() }
        let proxy = try StallingTCPProxy(upstreamPort: primary.port)
        defer { proxy.stop() }
        let standby = try await primary.makeStandby(throughPort: proxy.port)
        defer { standby.stop() }
        let writer = try await PGConnection.connect(primary.conninfo)
        defer { Task { await writer.close() } }
        _ = try await writer.query("CREATE TABLE ticks (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())")

        // Streaming and caught up: a lag well under the stall to come, one standby.
        var streaming: Observation?
        for _ in 0..<200 {
            _ = try await writer.query("INSERT INTO ticks DEFAULT VALUES")
            if let o = try? await lag(primary), o.value["standbys"]?.doubleValue == 1,
               o.value["per-standby"]?.arrayValue?.first?["state"] == "streaming" {
                streaming = o
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let before = try #require(streaming, "the standby never streamed through the proxy")
        #expect((before.value["lag-seconds"]?.doubleValue ?? 99) < 2, "\(before.value)")

        // Stall for 3s while the primary goes on writing.
        let stall = Duration.seconds(3)
        let stalledAt = proxy.stall()
        while ContinuousClock.now - stalledAt < stall {
            _ = try await writer.query("INSERT INTO ticks DEFAULT VALUES")
            try await Task.sleep(for: .milliseconds(50))
        }
        let stalled = try await lag(primary)
        let seconds = try #require(stalled.value["lag-seconds"]?.doubleValue, "\(stalled.value)")
        #expect(seconds >= stall.seconds, "lag \(seconds)s after a \(stall.seconds)s stall: \(stalled.value)")
        #expect(stalled.value["value"]?.doubleValue == seconds)
        #expect((stalled.value["lag-bytes"]?.doubleValue ?? 0) > 0, "\(stalled.value)")
        #expect(stalled.value["per-standby"]?.arrayValue?.first?["silent"] == true, "\(stalled.value)")

        // The standby itself still replays everything it received: it cannot see the stall.
        let onStandby = try await lag(standby)
        #expect(onStandby.value["role"] == "standby")

        // Resumed: the standby confirms again, and the lag falls back.
        proxy.resume()
        var recovered: Double?
        for _ in 0..<100 {
            _ = try await writer.query("INSERT INTO ticks DEFAULT VALUES")
            let o = try await lag(primary)
            if let s = o.value["lag-seconds"]?.doubleValue, s < 1 {
                recovered = s
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(recovered != nil, "the lag never fell back under 1s after the stall ended")
    }

    @Test func aPrimaryWithoutAStandbyIsAFailureNotZero() async throws {
        let primary = try await PostgresFixture.start()
        defer { primary.stop() }
        await #expect(throws: DriverError.self) { try await lag(primary) }
    }

    @Test func anIdleCaughtUpStandbyLagsZeroOnBothSides() async throws {
        let primary = try await PostgresFixture.start()
        defer { primary.stop() }
        let standby = try await primary.makeStandby()
        defer { standby.stop() }
        var onPrimary: Observation?
        for _ in 0..<200 {
            if let o = try? await lag(primary), o.value["per-standby"]?.arrayValue?.first?["replay-bytes-behind"] == 0 {
                onPrimary = o
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let primarySide = try #require(onPrimary, "the standby never caught up")
        #expect(primarySide.value["lag-seconds"]?.doubleValue == 0, "\(primarySide.value)")
        let standbySide = try await lag(standby)
        #expect(standbySide.value["lag-seconds"]?.doubleValue == 0, "\(standbySide.value)")
        #expect(standbySide.value["lag-bytes"]?.doubleValue == 0, "\(standbySide.value)")
    }

    /// The rule on one row of pg_stat_replication: silence counts only while flushed WAL is unconfirmed.
    @Test func silenceCountsOnlyWhileFlushedWALIsUnconfirmed() {
        // name, state, reply age, sent/flush/replay bytes behind, time lag
        let idle = ReplicationLag.standby(["s1", "streaming", "9.5", "0", "0", "0", nil], silentAfter: 1)
        #expect(idle.lag == 0 && !idle.silent)
        let caughtUp = ReplicationLag.standby(["s1", "streaming", "0.3", "0", "0", "0", "0.1"], silentAfter: 1)
        #expect(caughtUp.lag == 0, "the time lag of WAL already replayed is not a lag")
        let stuck = ReplicationLag.standby(["s1", "streaming", "9.5", "0", "17000", "17000", "0.001"], silentAfter: 1)
        #expect(stuck.silent && stuck.lag == 9.5)
        let busy = ReplicationLag.standby(["s1", "streaming", "0.2", "0", "300", "300", "0.05"], silentAfter: 1)
        #expect(!busy.silent && busy.lag == 0.05)
        let neverReplied = ReplicationLag.standby(["s1", "startup", nil, nil, nil, nil, nil], silentAfter: 1)
        #expect(neverReplied.silent && neverReplied.lag >= 1)
    }
}
