import FiredrillCore

/// Undo of a `network.proxy` start: stops the proxy and journals its final counters. In `firedrill recover` the
/// runner that ran it is gone, and the proxy (threads and sockets of that process) ended with it.
public struct NetworkProxyStopUndo: DeclaredUndo {
    public static let key = "network.proxy.stop"

    public init() {}

    public func undo(_ params: JSONValue, context: DriverContext) async throws -> String {
        let name = params["proxy"]?.stringValue ?? "?"
        let listen = params["listen"]?.stringValue ?? "?"
        guard let running = ProxyRegistry.find(name), running.instance == params["instance"]?.stringValue else {
            return "nothing left: proxy \(name) on \(listen) ran inside the runner's process and ended with it"
        }
        let values = await running.stop()
        return "stopped proxy \(name) on \(running.listen): \(values.summary)"
    }
}
