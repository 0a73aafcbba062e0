/// One header field of a request or response. Lists of headers keep their order and duplicates.
public struct HTTPHeader: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    public init(name: String, value: String) {
        self.init(name, value)
    }

    /// Header names compare case-insensitively (RFC 9110, section 5.1).
    public func hasName(_ other: String) -> Bool {
        name.caseInsensitiveCompare(other) == .orderedSame
    }
}
