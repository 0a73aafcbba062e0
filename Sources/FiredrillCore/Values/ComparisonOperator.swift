/// The operator of a comparison tolerance such as `"< 200ms"`.
public enum ComparisonOperator: String, Sendable, Hashable, CaseIterable {
    case lessThan = "<"
    case lessThanOrEqual = "<="
    case greaterThan = ">"
    case greaterThanOrEqual = ">="
    case equal = "=="
    case notEqual = "!="

    /// Whether `observed <op> expected` holds. Equality allows a relative error of 1e-9, so values that went
    /// through unit conversion (0.2 s vs 200ms) still compare equal.
    public func holds(_ observed: Double, _ expected: Double) -> Bool {
        let same = Self.approximatelyEqual(observed, expected)
        switch self {
        case .lessThan: return observed < expected && !same
        case .lessThanOrEqual: return observed < expected || same
        case .greaterThan: return observed > expected && !same
        case .greaterThanOrEqual: return observed > expected || same
        case .equal: return same
        case .notEqual: return !same
        }
    }

    static func approximatelyEqual(_ a: Double, _ b: Double) -> Bool {
        if a == b { return true }
        guard a.isFinite, b.isFinite else { return false }
        return abs(a - b) <= 1e-9 * max(1, abs(a), abs(b))
    }
}
