/// The version of one external tool as read at the start of a run, or why it could not be read.
public struct ToolVersion: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        /// The command answered (`version` holds its output).
        case read
        /// The program is not installed (not on `PATH`).
        case missing
        /// The command did not answer within its time limit.
        case timedOut = "timed-out"
        /// The command ran but failed (`detail` says how).
        case failed
    }

    public var tool: String
    /// The command line that was run, or what was read (`PQlibVersion()`).
    public var command: String
    public var status: Status
    public var version: String?
    public var detail: String?

    public init(tool: String, command: String, status: Status, version: String? = nil, detail: String? = nil) {
        self.tool = tool
        self.command = command
        self.status = status
        self.version = version
        self.detail = detail
    }

    public var json: JSONValue {
        .object([
            "tool": .string(tool), "command": .string(command), "status": .string(status.rawValue),
            "version": version.map { .string($0) } ?? .null, "detail": detail.map { .string($0) } ?? .null,
        ])
    }

    /// `v1.30.2`, `not installed`, `timed out after 5s`, `failed: …`.
    public var summary: String {
        switch status {
        case .read: return version ?? "read"
        case .missing: return "not installed" + (detail.map { " (\($0))" } ?? "")
        case .timedOut: return "did not answer" + (detail.map { " (\($0))" } ?? "")
        case .failed: return "could not be read" + (detail.map { " (\($0))" } ?? "")
        }
    }
}
