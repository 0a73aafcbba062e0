/// Why the sandbox supervisor or a worker could not do its job. Each case names what failed.
public enum SandboxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A configuration value is out of range.
    case invalidConfig(field: String, value: String, reason: String)
    /// A socket operation failed (`bind` on a port already in use, …).
    case socket(operation: String, address: String, reason: String)
    /// A worker process could not be started.
    case spawnFailed(argv: [String], reason: String)
    /// The state directory or a file in it could not be written.
    case stateFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidConfig(let field, let value, let reason):
            return "invalid \(field) \"\(value)\": \(reason)"
        case .socket(let operation, let address, let reason):
            return "\(operation) \(address) failed: \(reason)"
        case .spawnFailed(let argv, let reason):
            return "cannot start worker `\(argv.joined(separator: " "))`: \(reason)"
        case .stateFile(let path, let reason):
            return "cannot write \(path): \(reason)"
        }
    }
}
