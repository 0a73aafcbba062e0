import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

@testable import FiredrillDrivers

/// `rpo.query` compares like with like on a real server: the newest value just before the disaster against the
/// newest after recovery, never against the current time; and the WAL-terms summary of a heartbeat RPO.
@Suite("rpo.query and WAL loss", .serialized)
struct RPOMeterQueryTests {
    static let query = "SELECT max(created_at) FROM orders"

    private func context() -> DriverContext { CloudTestContext(timeout: .seconds(10)).context }

    @Test func theLossIsNewestBeforeMinusNewestAfterNotTheIdleTime() async throws {
        let server = try await PostgresFixture.start()
        defer { server.stop() }
        let connection = try await PGConnection.connect(server.conninfo)
        defer { Task { await connection.close() } }
        _ = try await connection.query("CREATE TABLE orders (id int, created_at timestamptz NOT NULL)")
        _ = try await connection.query("INSERT INTO orders VALUES (1, now() - interval '1 hour'), (2, now() - interval '1 hour' + interval '4.5 seconds')")
        let spec = RPOSpec.query(dsn: server.conninfo, query: Self.query, primary: nil)
        let meter = RPOMeterDriver()

        // Nothing lost: the newest row before is the newest after, however long ago it was written.
        let before = try #require(try await meter.before(spec, context: context()))
        let kept = try await meter.measure(spec, disasterAt: Date().timeIntervalSince1970, heartbeat: nil, before: before, runID: "r", context: context())
        #expect(kept.seconds == 0, "an hour of idleness is not a loss: \(kept.summary)")
        #expect(kept.bound == .exact)

        // The newest row is lost: the loss is the gap to the newest surviving one.
        _ = try await connection.query("DELETE FROM orders WHERE id = 2")
        let lost = try await meter.measure(spec, disasterAt: Date().timeIntervalSince1970, heartbeat: nil, before: before, runID: "r", context: context())
        let seconds = try #require(lost.seconds)
        #expect(abs(seconds - 4.5) < 0.001, "\(lost.summary)")

        // Without the value from before the disaster there is nothing to compare with: no figure, not 0.
        let unknown = try await meter.measure(spec, disasterAt: Date().timeIntervalSince1970, heartbeat: nil, before: nil, runID: "r", context: context())
        #expect(unknown.seconds == nil)
        #expect(unknown.verdict(objective: 60) == .inconclusive)
    }

    @Test func theValueBeforeTheDisasterIsReadOnThePrimary() async throws {
        let server = try await PostgresFixture.start()
        defer { server.stop() }
        let closed = "host=127.0.0.1 port=\(try LoopbackPort.free()) user=nobody dbname=postgres connect_timeout=2"
        let meter = RPOMeterDriver()
        // `primary` is where the value comes from before the disaster; an unreachable one fails the reading.
        await #expect(throws: DriverError.self) {
            _ = try await meter.before(.query(dsn: server.conninfo, query: Self.query, primary: closed), context: context())
        }
        #expect(try await meter.before(.heartbeat(dsn: server.conninfo, table: "t"), context: context()) == nil)
    }

    @Test func walLossIsBytesOrAByteExactNone() throws {
        var loss = WALLoss(oldPrimaryFlushed: try #require(PGLSN("0/3000F58")), seenAt: 1)
        loss.promoted = PGLSN("0/3000F58")
        #expect(loss.bytesLost == 0)
        #expect(loss.summary.hasPrefix("none (byte-exact"))
        loss.promoted = PGLSN("0/3000E20")
        #expect(loss.bytesLost == 0x138)
        #expect(loss.summary.hasPrefix("312 bytes lost"))
        // A promoted server ahead of the old primary's last known position lost nothing of it.
        loss.promoted = PGLSN("0/3001000")
        #expect(loss.bytesLost == 0)
        loss.problem = "the recovered server belongs to another database system"
        #expect(loss.bytesLost == nil)
        #expect(loss.summary.hasPrefix("not compared"))
    }
}
