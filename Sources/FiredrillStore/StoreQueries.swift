import Foundation

/// What a back end offers the shared store logic: statements with `?` placeholders and text parameters, rows of text.
protocol SQLDatabase: Sendable {
    func rows(_ sql: String, _ parameters: [String?]) async throws -> [[String?]]
    /// Runs `statements` in one transaction.
    func transaction(_ statements: [(sql: String, parameters: [String?])]) async throws
}

/// The store logic both back ends share, in SQL both accept: the records, the queries, the migrations.
enum StoreQueries {
    static let runColumns = """
        r.id, r.plan, r.plan_sha256, r.kind, r.environment, r.run_by, r.started_at, r.ended_at, r.ending, r.reason,
        r.journal_head, r.journal_events, r.owed_undos, r.run_directory, o.name, o.target_seconds, o.achieved_seconds, o.verdict
        """

    static func select(where condition: String) -> String {
        "SELECT \(runColumns) FROM firedrill_runs r LEFT JOIN firedrill_objectives o ON o.run_id = r.id"
            + (condition.isEmpty ? "" : " WHERE " + condition) + " ORDER BY r.started_epoch, r.id, o.name"
    }

    /// Applies the migrations the store does not have yet; `lock` is a statement that serialises concurrent
    /// migrators inside the transaction (PostgreSQL), or nil.
    static func migrate(_ db: some SQLDatabase, store: String, lock: String?, to target: Int = StoreSchema.currentVersion) async throws -> Int {
        try await db.transaction([(StoreSchema.versionTable, [])])
        let version = try await currentVersion(db)
        if version > StoreSchema.currentVersion { throw StoreSchema.tooNew(store, version: version) }
        for next in (version + 1)..<(max(version, min(target, StoreSchema.currentVersion)) + 1) {
            var statements: [(sql: String, parameters: [String?])] = lock.map { [($0, [])] } ?? []
            statements += StoreSchema.migrations[next - 1].map { ($0, []) }
            statements.append(("INSERT INTO firedrill_schema_migrations (version, applied_at) VALUES (?, ?)",
                               [String(next), RunRecord.rfc3339(Date())]))
            do {
                try await db.transaction(statements)
            } catch {
                // Lost a race with another migrator: fine when the version is now there.
                if try await currentVersion(db) >= next { continue }
                throw error
            }
        }
        return try await currentVersion(db)
    }

    static func currentVersion(_ db: some SQLDatabase) async throws -> Int {
        let rows = try await db.rows("SELECT MAX(version) FROM firedrill_schema_migrations", [])
        return rows.first?.first.flatMap { $0 }.flatMap { Int($0) } ?? 0
    }

    static func save(_ record: RunRecord, _ db: some SQLDatabase) async throws {
        let columns = ["id", "plan", "plan_sha256", "kind", "environment", "run_by", "started_at", "started_epoch", "ended_at",
                       "ending", "reason", "journal_head", "journal_events", "owed_undos", "run_directory"]
        let values: [String?] = [
            record.id, record.plan, record.planSHA256, record.kind, record.environment, record.runBy, record.startedAt,
            number(record.startedEpoch), record.endedAt, record.ending, record.reason, record.journalHead,
            record.journalEvents.map(String.init), String(record.owedUndos), record.runDirectory,
        ]
        let upsert = "INSERT INTO firedrill_runs (\(columns.joined(separator: ", "))) VALUES ("
            + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ") ON CONFLICT (id) DO UPDATE SET "
            + columns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        var statements: [(sql: String, parameters: [String?])] = [
            (upsert, values), ("DELETE FROM firedrill_objectives WHERE run_id = ?", [record.id]),
        ]
        for objective in record.objectives {
            statements.append(("INSERT INTO firedrill_objectives (run_id, name, target_seconds, achieved_seconds, verdict) VALUES (?, ?, ?, ?, ?)",
                               [record.id, objective.name, objective.targetSeconds.map(number), objective.achievedSeconds.map(number), objective.verdict]))
        }
        try await db.transaction(statements)
    }

    static func run(id: String, _ db: some SQLDatabase) async throws -> RunRecord? {
        try await records(db.rows(select(where: "r.id = ?"), [id])).first
    }

    static func runs(plan: String?, since: Date?, _ db: some SQLDatabase) async throws -> [RunRecord] {
        var conditions: [String] = []
        var parameters: [String?] = []
        if let plan {
            conditions.append("r.plan = ?")
            parameters.append(plan)
        }
        if let since {
            conditions.append("r.started_epoch >= ?")
            parameters.append(number(since.timeIntervalSince1970))
        }
        return try await records(db.rows(select(where: conditions.joined(separator: " AND ")), parameters))
    }

    static func latestRuns(_ db: some SQLDatabase) async throws -> [String: RunRecord] {
        let latest = "r.id IN (SELECT (SELECT l.id FROM firedrill_runs l WHERE l.plan = p.plan ORDER BY l.started_epoch DESC, l.id DESC LIMIT 1)"
            + " FROM (SELECT DISTINCT plan FROM firedrill_runs) p)"
        var byPlan: [String: RunRecord] = [:]
        for record in try await records(db.rows(select(where: latest), [])) { byPlan[record.plan] = record }
        return byPlan
    }

    static func unfinishedRuns(plan: String, _ db: some SQLDatabase) async throws -> [RunRecord] {
        try await records(db.rows(select(where: "r.plan = ? AND (r.ending IS NULL OR r.owed_undos > 0)"), [plan]))
    }

    /// Folds joined rows (one per objective, or one with NULL objective columns) into records, in row order.
    static func records(_ rows: [[String?]]) -> [RunRecord] {
        var result: [RunRecord] = []
        for row in rows where row.count == 18 {
            let id = row[0] ?? ""
            if result.last?.id != id {
                result.append(RunRecord(
                    id: id, plan: row[1] ?? "", planSHA256: row[2] ?? "", kind: row[3] ?? "", environment: row[4] ?? "",
                    runBy: row[5] ?? "", startedAt: row[6] ?? "", endedAt: row[7], ending: row[8], reason: row[9],
                    journalHead: row[10], journalEvents: row[11].flatMap { Int($0) }, owedUndos: row[12].flatMap { Int($0) } ?? 0,
                    runDirectory: row[13] ?? ""))
            }
            if let name = row[14] {
                result[result.count - 1].objectives.append(ObjectiveRecord(
                    name: name, targetSeconds: row[15].flatMap { Double($0) }, achievedSeconds: row[16].flatMap { Double($0) },
                    verdict: row[17] ?? ""))
            }
        }
        return result
    }

    /// A number as text that both databases read back exactly.
    static func number(_ value: Double) -> String {
        "\(value)"
    }
}
