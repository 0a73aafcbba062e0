/// The base unit a `Quantity` is stored in. Observed values use the same convention: plain numbers in seconds,
/// percent (0–100), bytes, or per second.
public enum QuantityUnit: String, Sendable, Hashable, CaseIterable {
    case none
    case seconds
    case percent
    case bytes
    case perSecond

    /// What kind of value this is, in words for messages: "a duration", "a percentage".
    public var kindName: String {
        switch self {
        case .none: "a plain number"
        case .seconds: "a duration"
        case .percent: "a percentage"
        case .bytes: "a byte size"
        case .perSecond: "a rate"
        }
    }
}
