import FiredrillCore

/// Undo of `flood.tcp`, `flood.http` and `flood.postgres`. A flood releases everything itself when it ends or is cancelled; this
/// undo is only owed when the runner died mid-flood, and then the kernel already closed every socket the runner
/// held, so there is nothing left to do but say so.
public struct FloodReleaseUndo: DeclaredUndo {
    public static let key = "flood.release"

    public init() {}

    public func undo(_ params: JSONValue, context: DriverContext) async throws -> String {
        let target: String
        if let host = params["host"]?.stringValue, let port = params["port"]?.intValue {
            target = " to \(host):\(port)"
        } else if let url = params["url"]?.stringValue ?? params["target"]?.stringValue {
            target = " to \(url)"
        } else {
            target = ""
        }
        return "nothing left open: the connections\(target) ended with the process that opened them"
    }
}
