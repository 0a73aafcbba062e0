import FiredrillCore

/// One value a query returned, as text with its column type, and what it is as an observed value.
public struct PGScalar: Sendable, Equatable {
    /// The value as PostgreSQL prints it (`t`, `42`, `1e-05`); nil for SQL NULL.
    public var text: String?
    /// The column's type OID (`pg_type.oid`).
    public var typeOID: UInt32
    /// Notices the server sent while the query ran.
    public var notices: [String]

    static let booleanOID: UInt32 = 16

    public init(text: String?, typeOID: UInt32, notices: [String] = []) {
        self.text = text
        self.typeOID = typeOID
        self.notices = notices
    }

    /// A boolean column as a boolean (`t` → true), NULL as null, a decimal number as a number, anything else as
    /// text.
    public var json: JSONValue {
        guard let text else { return .null }
        if typeOID == Self.booleanOID {
            switch text {
            case "t": return .bool(true)
            case "f": return .bool(false)
            default: return .string(text)
            }
        }
        return PostgresProbeDriver.number(text).map { .number($0) } ?? .string(text)
    }
}
