import FiredrillCore
import FiredrillDrivers
import Foundation

/// Sends a run's notifications to its `notify:` targets: a short timeout per attempt and a bounded number of
/// attempts, every target at once. Background deliveries (a guard breach) never hold up the run: they go out in
/// their own task and the run only waits for them, bounded, once it has ended.
public actor RunNotifier {
    /// A `notify:` entry with its URL resolved (secrets included: never printed or journaled).
    public struct Target: Sendable {
        public var index: Int
        public var kind: NotifyTarget.Kind
        public var url: String
        public var events: Set<String>
        public var announceRequired: Bool
        /// `config` for a target of the runner's configuration file; nil for the plan's own.
        public var origin: String?

        public init(index: Int, kind: NotifyTarget.Kind, url: String, events: Set<String>, announceRequired: Bool, origin: String? = nil) {
            self.origin = origin
            self.index = index
            self.kind = kind
            self.url = url
            self.events = events
            self.announceRequired = announceRequired
        }

        /// `slack #1 (hooks.slack.com)`: what messages and the journal show instead of the URL.
        public var label: String {
            let host = URLComponents(string: url)?.host ?? "?"
            return (origin.map { "\($0) " } ?? "") + "\(kind.rawValue) #\(index + 1) (\(host))"
        }

        var channel: any NotificationChannel {
            switch kind {
            case .webhook: WebhookChannel()
            case .slack: SlackChannel()
            }
        }
    }

    /// The outcome of one notification to one target.
    public struct Delivery: Sendable {
        public var event: String
        public var target: Target
        public var attempts: Int
        public var status: Int?
        public var error: String?
        public var delivered: Bool { error == nil }

        /// The journal event: `notify.delivered` or `notify.failed`.
        public var journalType: JournalEventType { delivered ? .notifyDelivered : .notifyFailed }
        public var journalData: JSONValue {
            var fields: [String: JSONValue] = ["event": .string(event), "target": .string(target.label), "attempts": .number(Double(attempts))]
            if let status { fields["status"] = .number(Double(status)) }
            if let error { fields["error"] = .string(error) }
            return .object(fields)
        }
    }

    public let targets: [Target]
    public let timeout: Duration
    public let attempts: Int
    public let retryDelay: Duration
    private let client: HTTPClient
    private var background: [Task<[Delivery], Never>] = []
    /// Events sent (or being sent) in the background.
    private var backgroundEvents: Set<String> = []
    private var journal: (@Sendable (Delivery) async -> Void)?

    public init(targets: [Target], timeout: Duration = .seconds(5), attempts: Int = 3, retryDelay: Duration = .milliseconds(500),
                client: HTTPClient = .shared) {
        self.targets = targets
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.retryDelay = retryDelay
        self.client = client
    }

    /// Resolves each `notify:` URL (`${secret.…}`, `${var}`) with `resolve`.
    public static func targets(_ plan: Plan, resolve: (String) -> String) -> [Target] {
        targets(plan.notify, origin: nil, resolve: resolve)
    }

    /// Resolves the URLs of `notify` entries from `origin` (`config`, or nil for the plan).
    public static func targets(_ notify: [NotifyTarget], origin: String?, resolve: (String) -> String) -> [Target] {
        notify.enumerated().map { i, t in
            Target(index: i, kind: t.kind, url: resolve(t.url), events: t.events, announceRequired: t.announceRequired, origin: origin)
        }
    }

    /// Where deliveries made from now on are journaled.
    public func setJournal(_ journal: @escaping @Sendable (Delivery) async -> Void) {
        self.journal = journal
    }

    /// Delivers `notification` to every target that listens for its event, and returns the outcomes.
    public func deliver(_ notification: RunNotification) async -> [Delivery] {
        let listening = targets.filter { $0.events.contains(notification.event) }
        let (client, timeout, attempts, retryDelay) = (self.client, self.timeout, self.attempts, self.retryDelay)
        let deliveries = await withTaskGroup(of: Delivery.self) { group in
            for target in listening {
                group.addTask {
                    await Self.send(notification, to: target, client: client, timeout: timeout, attempts: attempts, retryDelay: retryDelay)
                }
            }
            var all: [Delivery] = []
            for await delivery in group { all.append(delivery) }
            return all.sorted { $0.target.index < $1.target.index }
        }
        if let journal { for delivery in deliveries { await journal(delivery) } }
        return deliveries
    }

    /// Delivers in a task of its own; `drain` waits for it.
    public nonisolated func deliverInBackground(_ notification: RunNotification) {
        Task { await self.startBackground(notification) }
    }

    /// Starts delivering `notification` in a task of its own and returns at once; `drain` waits for it.
    public func startBackground(_ notification: RunNotification) {
        backgroundEvents.insert(notification.event)
        background.append(Task { await self.deliver(notification) })
    }

    /// Whether `event` was sent in the background already (an abort told as it happened is not told again).
    public func sentInBackground(_ event: String) -> Bool {
        backgroundEvents.contains(event)
    }

    /// Waits for background deliveries (each is bounded by the timeout and attempts).
    public func drain() async -> [Delivery] {
        // A background delivery may still be being registered: let those tasks run first.
        await Task.yield()
        var all: [Delivery] = []
        while !background.isEmpty {
            let pending = background
            background = []
            for task in pending { all += await task.value }
        }
        return all
    }

    static func send(_ notification: RunNotification, to target: Target, client: HTTPClient, timeout: Duration,
                     attempts: Int, retryDelay: Duration) async -> Delivery {
        let request = HTTPRequest(method: .post, url: target.url, headers: [HTTPHeader("Content-Type", "application/json")],
                                  body: target.channel.body(notification), timeout: timeout, connectTimeout: timeout, maxBodyBytes: 64 << 10)
        var lastError = "not sent"
        var lastStatus: Int?
        for attempt in 1...attempts {
            do {
                let response = try await client.send(request)
                lastStatus = response.status
                if (200..<300).contains(response.status) {
                    return Delivery(event: notification.event, target: target, attempts: attempt, status: response.status, error: nil)
                }
                lastError = "HTTP \(response.status)"
            } catch {
                lastError = Self.scrub(error.description, url: target.url)
            }
            if attempt < attempts { try? await Task.sleep(for: retryDelay * attempt) }
        }
        return Delivery(event: notification.event, target: target, attempts: attempts, status: lastStatus, error: lastError)
    }

    /// An error message without the URL (it may carry a token).
    static func scrub(_ message: String, url: String) -> String {
        message.replacingOccurrences(of: url, with: "<notify URL>")
    }
}
