/// A driver failure shown to users: which driver, what went wrong, and what to check.
public struct DriverError: Error, Sendable, CustomStringConvertible {
    public var driver: String
    public var message: String

    public init(_ driver: String, _ message: String) {
        self.driver = driver
        self.message = message
    }

    public var description: String { "\(driver): \(message)" }
}
