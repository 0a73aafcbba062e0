/// Settings of one sandbox worker (`firedrill sandbox-worker`).
public struct SandboxWorkerConfig: Sendable, Equatable {
    /// Port to bind on 127.0.0.1; 0 picks a free one (see ``SandboxWorker/port``).
    public var port: UInt16
    /// The worker's number, reported by `/health`.
    public var index: Int
    /// Where `sandbox.log` lives; `nil` writes no log line.
    public var stateDirectory: String?
    /// Connections served at once; more are answered `503` and closed.
    public var maxConnections: Int
    /// A keep-alive connection idle this long is closed.
    public var idleTimeout: Duration
    /// Exit when the parent process goes away (set for supervised workers so none is left behind).
    public var exitWhenOrphaned: Bool

    public init(
        port: UInt16, index: Int = 0, stateDirectory: String? = nil, maxConnections: Int = 512,
        idleTimeout: Duration = .seconds(30), exitWhenOrphaned: Bool = false
    ) {
        self.port = port
        self.index = index
        self.stateDirectory = stateDirectory
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
        self.exitWhenOrphaned = exitWhenOrphaned
    }
}
