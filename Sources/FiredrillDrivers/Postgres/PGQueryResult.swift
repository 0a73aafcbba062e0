/// The outcome of one statement: rows as text (`nil` is SQL NULL), column names, and the command tag.
public struct PGQueryResult: Sendable, Equatable {
    public let columns: [String]
    public let rows: [[String?]]
    /// The server's command tag: `SELECT 3`, `INSERT 0 1`, `UPDATE 2`, `CREATE TABLE`.
    public let commandTag: String
    /// Rows inserted, updated, deleted, selected…, when the command reports a count.
    public let affectedRows: Int?
    /// The type OID of each column (`16` is boolean, see `PGScalar`).
    public let columnTypes: [UInt32]
    /// Notices and warnings the server sent while the statement ran (`NOTICE: …`), instead of libpq printing them.
    public var notices: [String] = []

    public init(columns: [String], rows: [[String?]], commandTag: String, affectedRows: Int?, columnTypes: [UInt32] = []) {
        self.columns = columns
        self.rows = rows
        self.commandTag = commandTag
        self.affectedRows = affectedRows
        self.columnTypes = columnTypes
    }

    /// The value in the first column of the first row (`nil` when there is none or it is NULL).
    public var firstValue: String? {
        rows.first?.first ?? nil
    }

    /// The value in column `name` of row `row`.
    public func value(_ name: String, row: Int = 0) -> String? {
        guard rows.indices.contains(row), let column = columns.firstIndex(of: name) else { return nil }
        return rows[row][column]
    }
}
