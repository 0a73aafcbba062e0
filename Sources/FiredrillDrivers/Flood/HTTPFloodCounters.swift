import Synchronization

/// What an HTTP flood counted, shared by its concurrent senders.
final class HTTPFloodCounters: Sendable {
    struct Values: Sendable {
        var requests = 0
        var ok = 0
        var errors = 0
        /// Requests the rate schedule called for but that could not start because too many were in flight.
        var skipped = 0
        var statuses: [Int: Int] = [:]
        var failures: [String: Int] = [:]
        var inFlight = 0
    }

    private let values = Mutex(Values())

    var snapshot: Values { values.withLock { $0 } }

    func response(_ status: Int) {
        values.withLock {
            $0.requests += 1
            $0.statuses[status, default: 0] += 1
            if status < 400 { $0.ok += 1 } else { $0.errors += 1 }
        }
    }

    func failure(_ kind: String) {
        values.withLock {
            $0.requests += 1
            $0.errors += 1
            $0.failures[kind, default: 0] += 1
        }
    }

    /// Counts one more request in flight, unless `limit` are already; false when it may not start.
    func begin(limit: Int) -> Bool {
        values.withLock {
            guard $0.inFlight < limit else { return false }
            $0.inFlight += 1
            return true
        }
    }

    func end() {
        values.withLock { $0.inFlight -= 1 }
    }

    func skip() {
        values.withLock { $0.skipped += 1 }
    }
}
