/// One entry of a per-field tolerance map: which part of the observed value to judge, and how.
public struct FieldTolerance: Sendable, Hashable {
    /// A plain key selects that field of the observed object; a key starting with `$` is a JSONPath into it.
    public enum Selector: Sendable, Hashable, CustomStringConvertible {
        case field(String)
        case path(JSONPath)

        public var description: String {
            switch self {
            case .field(let name): name
            case .path(let path): path.text
            }
        }
    }

    public var selector: Selector
    public var tolerance: Tolerance

    public init(selector: Selector, tolerance: Tolerance) {
        self.selector = selector
        self.tolerance = tolerance
    }
}
