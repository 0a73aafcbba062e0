import FiredrillCore

/// Something a run acts on, as the cross-runner target lock names it: `kubernetes context=staging-eu
/// namespace=shop selector=app=api`, `aws.rds region=eu-west-1 cluster=orders`, `postgres 10.0.0.5:5432/orders`.
public struct PlanTarget: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What messages and the lock table show (secrets masked; a DSN reduced to host:port/dbname).
    public var text: String
    /// The lock's name: `firedrill.target:` and the SHA-256 of the target's identity.
    public var lockName: String

    public init(text: String, identity: String) {
        self.text = text
        self.lockName = "firedrill.target:" + RunSession.sha256(identity)
    }

    public var description: String { text }
}
