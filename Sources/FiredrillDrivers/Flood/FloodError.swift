/// Why a flood could not run at all (as opposed to connections the target refused, which are its result).
struct FloodError: Error, Sendable, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
