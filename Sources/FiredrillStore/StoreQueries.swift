import Foundation

/// What a back end offers the shared store logic: statements with `?` placeholders and text parameters, rows of text.
protocol SQLDatabase: Sendable {
    func rows(_ sql: String, _ parameters: [String?]) async throws -> [[String?]]
    /// Runs `statements` in one transaction.
    func transaction(_ statements: [(sql: String, parameters: [String?])]) async throws
}

/// The store logic both back ends share, in SQL both accept: the records, the queries, the migrations.
enum StoreQueries {
    /// A run's own columns, in `RunRecord` order; its objectives are read apart (one row each), so a run's columns
    /// are read once rather than once per objective.
    static let runColumns = """
        r.id, r.plan, r.plan_sha256, r.kind, r.environment, r.run_by, r.started_at, r.ended_at, r.ending, r.reason,
        r.journal_head, r.journal_events, r.owed_undos, r.run_directory
        """

    /// What the `history` table shows of a run; the other `runColumns` read as empty.
    static let summaryColumns = """
        r.id, r.plan, '', '', r.environment, r.run_by, r.started_at, r.ended_at, r.ending, NULL, NULL, NULL, 0, ''
        """

    static func select(where condition: String, columns: String = runColumns) -> String {
        "SELECT \(columns) FROM firedrill_runs r" + (condition.isEmpty ? "" : " WHERE " + condition) + " ORDER BY r.started_epoch, r.id"
    }

    /// The objectives of the runs `condition` selects (on `r`), in no particular order.
    static func objectives(where condition: String) -> String {
        "SELECT o.run_id, o.name, o.target_seconds, o.achieved_seconds, o.verdict FROM firedrill_objectives o"
            + (condition.isEmpty ? "" : " WHERE o.run_id IN (SELECT r.id FROM firedrill_runs r WHERE \(condition))")
    }

    /// The runs `condition` selects, oldest first, with their objectives: two queries, joined here.
    static func records(where condition: String, _ parameters: [String?], _ db: some SQLDatabase,
                        columns: String = runColumns) async throws -> [RunRecord] {
        var runs = records(try await db.rows(select(where: condition, columns: columns), parameters))
        guard !runs.isEmpty else { return runs }
        var index: [String: Int] = [:]
        index.reserveCapacity(runs.count)
        for (i, run) in runs.enumerated() { index[run.id] = i }
        for row in try await db.rows(objectives(where: condition), parameters) where row.count == 5 {
            guard let id = row[0], let i = index[id], let name = row[1] else { continue }
            runs[i].objectives.append(ObjectiveRecord(name: name, targetSeconds: row[2].flatMap { Double($0) },
                                                      achievedSeconds: row[3].flatMap { Double($0) }, verdict: row[4] ?? ""))
        }
        // Read in table order (no index walk); each run's objectives by name.
        for i in runs.indices where runs[i].objectives.count > 1 { runs[i].objectives.sort { $0.name < $1.name } }
        return runs
    }

    /// Applies the migrations the store does not have yet; `lock` is a statement that serialises concurrent
    /// migrators inside the transaction (PostgreSQL), or nil.
    static func migrate(_ db: some SQLDatabase, store: String, lock: String?, to target: Int = StoreSchema.currentVersion) async throws -> Int {
        // The common case, a store already at this version, costs one read and no write transaction.
        if let version = try? await currentVersion(db), version >= min(target, StoreSchema.currentVersion) {
            if version > StoreSchema.currentVersion { throw StoreSchema.tooNew(store, version: version) }
            return version
        }
        // Under the lock too: PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against itself (two creators
        // race on the catalog and one fails on a duplicate key).
        let locked: [(sql: String, parameters: [String?])] = lock.map { [($0, [])] } ?? []
        try await db.transaction(locked + [(StoreSchema.versionTable, [])])
        let version = try await currentVersion(db)
        if version > StoreSchema.currentVersion { throw StoreSchema.tooNew(store, version: version) }
        for next in (version + 1)..<(max(version, min(target, StoreSchema.currentVersion)) + 1) {
            var statements = locked
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
        try await records(where: "r.id = ?", [id], db).first
    }

    static func runs(plan: String?, since: Date?, _ db: some SQLDatabase, columns: String = runColumns) async throws -> [RunRecord] {
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
        return try await records(where: conditions.joined(separator: " AND "), parameters, db, columns: columns)
    }

    /// The start and ending of every run (of `plan` only when given), oldest first: no objectives, no other column.
    static func starts(plan: String?, _ db: some SQLDatabase) async throws -> [RunStart] {
        let sql = "SELECT r.plan, r.started_at, r.started_epoch, r.ending FROM firedrill_runs r"
            + (plan == nil ? "" : " WHERE r.plan = ?") + " ORDER BY r.started_epoch, r.id"
        return try await db.rows(sql, plan.map { [$0] } ?? []).compactMap { row in
            guard row.count == 4, let plan = row[0], let startedAt = row[1] else { return nil }
            return RunStart(plan: plan, startedAt: startedAt, startedEpoch: row[2].flatMap { Double($0) } ?? RunRecord.epoch(startedAt) ?? 0,
                            ending: row[3])
        }
    }

    static func latestRuns(_ db: some SQLDatabase) async throws -> [String: RunRecord] {
        let latest = "r.id IN (SELECT (SELECT l.id FROM firedrill_runs l WHERE l.plan = p.plan ORDER BY l.started_epoch DESC, l.id DESC LIMIT 1)"
            + " FROM (SELECT DISTINCT plan FROM firedrill_runs) p)"
        var byPlan: [String: RunRecord] = [:]
        for record in try await records(where: latest, [], db) { byPlan[record.plan] = record }
        return byPlan
    }

    static func unfinishedRuns(plan: String, _ db: some SQLDatabase) async throws -> [RunRecord] {
        try await records(where: "r.plan = ? AND (r.ending IS NULL OR r.owed_undos > 0)", [plan], db)
    }

    /// Rows of `runColumns` as records (without their objectives), in row order.
    static func records(_ rows: [[String?]]) -> [RunRecord] {
        rows.compactMap { row in
            guard row.count == 14 else { return nil }
            return RunRecord(
                id: row[0] ?? "", plan: row[1] ?? "", planSHA256: row[2] ?? "", kind: row[3] ?? "", environment: row[4] ?? "",
                runBy: row[5] ?? "", startedAt: row[6] ?? "", endedAt: row[7], ending: row[8], reason: row[9],
                journalHead: row[10], journalEvents: row[11].flatMap { Int($0) }, owedUndos: row[12].flatMap { Int($0) } ?? 0,
                runDirectory: row[13] ?? "")
        }
    }

    /// A number as text that both databases read back exactly.
    static func number(_ value: Double) -> String {
        "\(value)"
    }
}
