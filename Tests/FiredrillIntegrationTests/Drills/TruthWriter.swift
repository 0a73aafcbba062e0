import FiredrillCore
import FiredrillDrivers
import FiredrillTestSupport
import Foundation

/// An independent writer: a row every 20ms into its own table on the primary, stamped with the test's wall clock
/// just before the insert, remembering which inserts the server acknowledged. Its loss window is the ground truth
/// the heartbeat RPO is compared with.
actor TruthWriter {
    struct Row: Sendable {
        var seq: Int
        var at: Double
    }

    private var acknowledged: [Row] = []
    private var task: Task<Void, Never>?

    static func start(on server: PostgresFixture) async throws -> TruthWriter {
        let connection = try await PGConnection.connect(server.conninfo)
        _ = try await connection.query("CREATE TABLE truth_writes (seq bigint PRIMARY KEY, written_at double precision NOT NULL)")
        let writer = TruthWriter()
        await writer.begin(connection)
        return writer
    }

    private func begin(_ connection: PGConnection) {
        task = Task {
            // At most 10 minutes of rows; the primary's death ends it long before.
            for seq in 1...30_000 {
                if Task.isCancelled { break }
                let at = Date().timeIntervalSince1970
                do {
                    _ = try await withTimeout(.seconds(2), what: "truth write") {
                        try await connection.query("INSERT INTO truth_writes VALUES ($1, $2)", [String(seq), FixedPoint.format(at, 6)])
                    }
                    self.record(Row(seq: seq, at: at))
                } catch {
                    break
                }
                try? await Task.sleep(for: .milliseconds(20))
            }
            await connection.close()
        }
    }

    private func record(_ row: Row) { acknowledged.append(row) }

    /// Stops writing; returns what was acknowledged.
    func stop() async -> Written {
        task?.cancel()
        await task?.value
        return Written(rows: acknowledged)
    }

    /// The acknowledged rows.
    struct Written: Sendable {
        let rows: [Row]

        /// The newest row acknowledged before `disaster` minus the newest row before it that survived on `server`.
        func lossWindow(survivingOn server: PostgresFixture, before disaster: Double) async throws -> Double {
            let connection = try await PGConnection.connect(server.conninfo)
            defer { Task { await connection.close() } }
            let surviving = Set(try await connection.query("SELECT seq::text FROM truth_writes").rows.compactMap { $0.first.flatMap { $0 }.flatMap { Int($0) } })
            let before = rows.filter { $0.at < disaster }
            guard let newest = before.last else { throw HarnessError("the writer wrote nothing before the disaster") }
            guard let survived = before.last(where: { surviving.contains($0.seq) }) else {
                throw HarnessError("none of the writer's rows survived")
            }
            return newest.at - survived.at
        }
    }
}
