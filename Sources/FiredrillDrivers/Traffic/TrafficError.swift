/// Why a traffic probe could not run as written (a bad parameter, no HTTP handle), as opposed to the
/// errors of its requests, which are its result.
struct TrafficError: Error, Sendable, Equatable, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
