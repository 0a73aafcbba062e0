import FiredrillCore

/// Every driver of this build, by catalog key. A catalog key missing here is reported at run time as
/// "this build has no driver for …", never silently skipped.
public enum BuiltinDrivers {
    public static let probes: [String: any ProbeDriver] = [
        "command": CommandDriver(),
        "http": HTTPProbeDriver(),
        "tcp": TCPProbeDriver(),
    ]

    public static let steps: [String: any StepDriver] = [
        "command": CommandDriver(),
        "process.kill": ProcessKillDriver(),
        "process.pause": ProcessPauseDriver(),
        "process.restart": ProcessRestartDriver(),
    ]

    public static let undos: [String: any UndoDriver] = [
        "process.resume": ProcessResumeUndo(),
    ]

    /// The argv lists a driver would run, for `firedrill plan`.
    public static func describeArgv(_ key: String, _ params: PlanNode) -> [[String]]? {
        switch key {
        case "command":
            return params["run"]?.sequence.map { [$0.compactMap(\.scalar)] }
        default:
            return nil
        }
    }
}
