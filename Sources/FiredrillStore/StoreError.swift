/// A store problem a user can act on: unreachable, unreadable, or newer than this firedrill.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
