import CLibPQ

/// The libpq this binary is linked against.
public enum PGLibrary {
    /// `16.4` (from `PQlibVersion()`: major * 10000 + minor since PostgreSQL 10, major * 10000 + minor * 100 + patch
    /// before).
    public static var version: String {
        let n = Int(PQlibVersion())
        return n >= 100_000 ? "\(n / 10_000).\(n % 10_000)" : "\(n / 10_000).\(n / 100 % 100).\(n % 100)"
    }
}
