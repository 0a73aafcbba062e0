/// Why a Redis call failed, in words; the drivers turn it into an observation or a `DriverError`.
struct RedisError: Error, Sendable, CustomStringConvertible {
    enum Kind: Sendable {
        case connect, auth, io, timeout, `protocol`, server
    }

    let kind: Kind
    let description: String

    init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}
