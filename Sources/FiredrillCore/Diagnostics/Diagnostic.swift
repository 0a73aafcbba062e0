/// One problem found in a plan, anchored to the place in the file that caused it.
public struct Diagnostic: Sendable, Hashable, Codable {
    /// How serious a diagnostic is. Errors make a plan invalid; warnings do not.
    public enum Severity: String, Sendable, Codable {
        case error
        case warning
    }

    public var severity: Severity
    public var location: SourceLocation
    public var message: String
    /// A suggestion shown under the caret, such as "did you mean `selector`?".
    public var hint: String?
    /// How many columns the caret underline spans (at least 1).
    public var length: Int

    public init(_ severity: Severity = .error, at location: SourceLocation, _ message: String, hint: String? = nil, length: Int = 1) {
        self.severity = severity
        self.location = location
        self.message = message
        self.hint = hint
        self.length = max(1, length)
    }

    /// `path:line:column: error: message`, the first line of every rendering.
    public var headline: String { "\(location): \(severity.rawValue): \(message)" }
}
