/// Which way bytes flow through the proxy: `upstream` from the client to the upstream server, `downstream` back.
enum ProxyDirection: String, Sendable, CaseIterable {
    case upstream
    case downstream

    /// The directions a plan's `direction:` names (`both` is both).
    static func parse(_ text: String?) -> [ProxyDirection] {
        guard let text, let one = ProxyDirection(rawValue: text) else { return allCases }
        return [one]
    }
}
