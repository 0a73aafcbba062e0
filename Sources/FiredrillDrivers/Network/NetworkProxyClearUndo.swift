import FiredrillCore

/// Undo of `network.proxy` with `set:`: clears the toxics it set, when the same proxy still runs.
public struct NetworkProxyClearUndo: DeclaredUndo {
    public static let key = "network.proxy.clear"

    public init() {}

    public func undo(_ params: JSONValue, context: DriverContext) async throws -> String {
        let name = params["proxy"]?.stringValue ?? "?"
        let directions = ProxyDirection.parse(params["direction"]?.stringValue)
        guard let running = ProxyRegistry.find(name), running.instance == params["instance"]?.stringValue else {
            return "nothing to clear: proxy \(name) is no longer running"
        }
        running.proxy.set(ProxyToxics(), on: directions)
        return "cleared the toxics of proxy \(name) (\(NetworkProxyDriver.words(directions)))"
    }
}
