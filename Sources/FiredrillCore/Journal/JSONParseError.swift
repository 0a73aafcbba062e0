/// Why a text is not valid JSON, and where: `offset` counts bytes of UTF-8 from 0.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let offset: Int
    public let message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "at byte \(offset + 1): \(message)" }
}
