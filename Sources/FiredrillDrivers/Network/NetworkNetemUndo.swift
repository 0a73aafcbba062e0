import FiredrillCore
import Foundation

/// Undo of `network.netem`: `tc qdisc del dev IF root` (in the namespace). A root qdisc already gone counts as
/// removed.
public struct NetworkNetemUndo: DeclaredUndo {
    public static let key = "network.netem.remove"

    public init() {}

    public func undo(_ params: JSONValue, context: DriverContext) async throws -> String {
        guard let interface = params["interface"]?.stringValue else { throw DriverError(Self.key, "the undo names no interface") }
        let commands = NetemCommands(interface: interface, namespace: params["namespace"]?.stringValue, netem: [], matches: [])
        let result = try await NetworkNetemDriver.exec(commands.removeArgv, environment: [:], context: context)
        if result.succeeded { return "removed the qdisc of \(commands.place)" }
        let reason = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        if reason.contains("No such file or directory") || reason.contains("Cannot delete qdisc with handle of zero")
            || reason.contains("Cannot open network namespace") || reason.contains("Cannot find device") {
            return "nothing left: \(commands.place) has no qdisc of ours (\(reason))"
        }
        throw DriverError(Self.key, "`\(CommandLineDisplay.render(commands.removeArgv))` failed: \(reason)")
    }
}
