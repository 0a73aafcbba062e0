import FiredrillCore
import Foundation

/// `heartbeat: { postgres: … }`: writes a numbered marker row every `every` to the primary, stamped with the
/// runner's own wall clock, and remembers which inserts the server acknowledged. After recovery the RPO meter
/// compares the newest acknowledged marker with the newest that survived — both times from the runner's clock, so
/// clock skew between hosts does not matter.
public struct PostgresHeartbeat: HeartbeatDriver {
    public init() {}

    public func start(dsn: String, table: String, every: Duration, runID: String, context: DriverContext) async throws -> any HeartbeatSession {
        let connection: PGConnection
        do {
            connection = try await PGConnection.connect(dsn, timeout: .seconds(10))
            _ = try await connection.query("""
                CREATE TABLE IF NOT EXISTS \(table) (
                    run_id text NOT NULL, seq bigint NOT NULL, written_at double precision NOT NULL,
                    PRIMARY KEY (run_id, seq))
                """)
        } catch {
            throw DriverError("heartbeat", "cannot prepare \(table) at \(PGConnection.redacted(context.mask(dsn))): \(context.mask(String(describing: error)))")
        }
        // Readable by superusers and pg_read_all_settings-like roles only on some versions: without it, WAL
        // positions are still compared, just not checked to belong to the same system.
        let system = try? await connection.scalar("SELECT system_identifier::text FROM pg_control_system()")
        let session = PostgresHeartbeatSession(dsn: dsn, table: table, every: every, runID: runID, connection: connection,
                                               systemIdentifier: system)
        await session.begin()
        return session
    }
}

/// A running heartbeat writer.
actor PostgresHeartbeatSession: HeartbeatSession {
    let dsn: String
    let table: String
    let every: Duration
    let runID: String
    private var connection: PGConnection?
    private var stats = HeartbeatStats()
    private var loop: Task<Void, Never>?

    init(dsn: String, table: String, every: Duration, runID: String, connection: PGConnection, systemIdentifier: String?) {
        self.dsn = dsn
        self.table = table
        self.every = every
        self.runID = runID
        self.connection = connection
        self.stats.systemIdentifier = systemIdentifier
    }

    func begin() {
        loop = Task { await self.run() }
    }

    private func run() async {
        let clock = ContinuousClock()
        var next = clock.now
        var seq = 0
        // Bounded by stop(): the task is cancelled there.
        while !Task.isCancelled {
            seq += 1
            await write(seq: seq)
            next = next.advanced(by: every)
            if next < clock.now { next = clock.now }
            do { try await Task.sleep(until: next, clock: clock) } catch { break }
        }
    }

    private func write(seq: Int) async {
        stats.attempted += 1
        let at = Date().timeIntervalSince1970
        do {
            if connection == nil {
                connection = try await PGConnection.connect(dsn, timeout: max(every * 2, .milliseconds(200)))
            }
            guard let connection else { return }
            _ = try await withTimeout(max(every * 5, .seconds(1)), what: "heartbeat insert") {
                try await connection.query("INSERT INTO \(self.table) (run_id, seq, written_at) VALUES ($1, $2, $3)",
                                           [self.runID, String(seq), FixedPoint.format(at, 6)])
            }
            stats.acknowledged += 1
            stats.newestAcknowledgedSeq = seq
            stats.newestAcknowledgedAt = at
            stats.acknowledgedMarkers.append(.init(seq: seq, at: at))
            // The primary's flushed WAL position now that the marker is acknowledged: the newest one read before
            // the disaster is the old primary's last known flushed LSN. A standby refuses the function; the
            // marker is counted all the same.
            let asked = Date().timeIntervalSince1970
            if let lsn = try? await withTimeout(max(every * 5, .seconds(1)), what: "heartbeat flush position", {
                try await connection.scalar("SELECT pg_current_wal_flush_lsn()::text")
            }) {
                stats.flushedPositions.append(.init(lsn: lsn, at: asked))
            }
        } catch {
            stats.failed += 1
            await connection?.close()
            connection = nil
        }
    }

    func stop() async -> HeartbeatStats {
        loop?.cancel()
        await loop?.value
        await connection?.close()
        connection = nil
        return stats
    }
}
