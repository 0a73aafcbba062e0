/// A socket failure of the proxy, in words; the driver wraps it in a `DriverError`.
struct ProxyError: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
