/// A `notify:` entry: where the team is told about a run, and which events it hears.
public struct NotifyTarget: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A generic webhook: a JSON body describing the event.
        case webhook
        /// A Slack incoming webhook: a readable message.
        case slack
    }

    /// The events a run announces.
    public static let events = ["started", "guard-breached", "aborted", "ended", "rollback-failed"]

    public var kind: Kind
    /// As written: it may hold `${secret.NAME}` (a Slack webhook URL is a secret) and is resolved at run time.
    public var url: String
    public var events: Set<String>
    /// `announce: required`: the run refuses to inject when the `started` announcement cannot be delivered.
    public var announceRequired: Bool
    public var location: SourceLocation

    public init(kind: Kind, url: String, events: Set<String> = Set(NotifyTarget.events), announceRequired: Bool = false,
                location: SourceLocation) {
        self.kind = kind
        self.url = url
        self.events = events
        self.announceRequired = announceRequired
        self.location = location
    }
}
