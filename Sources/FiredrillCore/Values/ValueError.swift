/// A value in a plan that could not be read: a duration without a unit, a bad cron field, a malformed tolerance.
///
/// `description` is the message alone; it is what a user sees after `path:line:col: error:`. The hint, when there is
/// one, is shown under the caret.
public struct ValueError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var hint: String?
    /// Where in the text the problem starts, as a 0-based character offset, when it is known.
    public var offset: Int?

    public init(_ message: String, hint: String? = nil, offset: Int? = nil) {
        self.message = message
        self.hint = hint
        self.offset = offset
    }

    public var description: String { message }
}
