import FiredrillCore

/// Undo of `process.pause`: SIGCONT to each recorded process that is still the same process (same start time),
/// last recorded first (a tree is recorded parents first, so children resume before their parents).
public struct ProcessResumeUndo: DeclaredUndo {
    public static let key = "process.resume"

    public init() {}

    public func undo(_ params: JSONValue, context: DriverContext) async throws -> String {
        guard case .array(let targets)? = params["targets"] else { throw DriverError(Self.key, "no targets recorded") }
        var resumed: [String] = []
        var gone: [String] = []
        for t in targets.reversed() {
            guard let pid = t["pid"]?.doubleValue.map({ Int32($0) }) else { continue }
            let start = t["start"]?.doubleValue
            if let snapshot = ProcessSnapshot.read(pid: pid), start == nil || abs(snapshot.startSecondsSinceBoot - start!) < 0.05 {
                try ProcessController().resume(pid)
                resumed.append(String(pid))
            } else {
                gone.append(String(pid))
            }
        }
        var how = resumed.isEmpty ? "" : "SIGCONT to pid \(resumed.joined(separator: ", "))"
        if !gone.isEmpty { how += (how.isEmpty ? "" : "; ") + "pid \(gone.joined(separator: ", ")) no longer running" }
        return how
    }
}
