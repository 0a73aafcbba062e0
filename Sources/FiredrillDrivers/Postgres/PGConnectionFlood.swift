import CLibPQ
import FiredrillCore
import Foundation

/// The libpq work of `flood.postgres`: many connections started at once with `PQconnectStartParams` and driven
/// by `PQconnectPoll` under one `poll(2)`, held while noticing the ones the server ends, and finished together.
///
/// Every call blocks; run it on a `FloodThread`, one call at a time (the connections are owned by this object and
/// touched by whichever thread runs the current call, never by two at once; that is why it is `@unchecked
/// Sendable`). Each call ends early when the `FloodStopSignal` fires. Whatever is still open is finished by
/// `closeAll()` or, at the latest, when the object goes away.
final class PGConnectionFlood: @unchecked Sendable {
    /// What opening found.
    struct Opening: Sendable {
        var opened = 0
        /// Refused with SQLSTATE 53300 (`sorry, too many clients already`, or the slots left are reserved).
        var refused = 0
        var failed = 0
        var timedOut = 0
        var seconds = 0.0
        /// Seconds from the first attempt to the first refusal.
        var firstRefusalSeconds: Double?
        var refusalMessage: String?
        /// The first failure other than a refusal, in the server's or libpq's words.
        var firstError: String?
    }

    /// What holding found.
    struct Holding: Sendable {
        var held: Int
        var dropped: Int
        var firstDropReason: String?
    }

    /// Connection attempts in flight at once at most: enough to saturate a server quickly, few enough that the
    /// postmaster's fork rate, not its listen backlog, sets the pace.
    static let maxInFlight = 64
    /// `connections: max` stops here even if the server never refuses.
    static let maxAttempts = 10_000
    static let tooManyClients = "53300"

    let conninfo: String
    private var connections: [OpaquePointer] = []

    init(conninfo: String) {
        self.conninfo = conninfo
    }

    deinit {
        for conn in connections { PQfinish(conn) }
    }

    var openCount: Int { connections.count }

    /// Opens `count` connections (`nil`: until the server refuses, at most `maxAttempts`), `rate` per second
    /// at most. No new attempt starts once the server has refused one with "too many clients"; the attempts
    /// already in flight finish. An attempt that has not completed after `connectTimeout` counts as timed out.
    func open(count: Int?, rate: Double?, connectTimeout: Duration, stop: FloodStopSignal) -> Opening {
        var result = Opening()
        let limit = count ?? Self.maxAttempts
        var pending: [Attempt] = []
        let clock = ContinuousClock()
        let start = clock.now
        var attempted = 0
        var saturated = false
        while (!saturated && attempted < limit || !pending.isEmpty) && !stop.isSignalled {
            let elapsed = start.duration(to: clock.now).seconds
            let allowed = rate.map { min(limit, (elapsed * $0).clampedInt &+ 1) } ?? limit
            while !saturated && attempted < allowed && pending.count < Self.maxInFlight {
                attempted += 1
                guard let conn = startConnection() else {
                    result.failed += 1
                    result.firstError = result.firstError ?? "libpq could not start a connection (out of memory)"
                    continue
                }
                if PQstatus(conn) == CONNECTION_BAD {
                    settle(failed: conn, at: elapsed, into: &result, saturated: &saturated)
                } else {
                    pending.append(Attempt(conn: conn, since: clock.now, polling: PGRES_POLLING_WRITING))
                }
            }
            var waitMS: Int32 = 50
            if let rate, !saturated, attempted < limit, pending.count < Self.maxInFlight {
                let nextAt = Double(attempted) / rate
                waitMS = Int32(max(0, min(50, ((nextAt - elapsed) * 1000).rounded(.up))))
            }
            if pending.isEmpty && waitMS == 0 { continue }
            var fds = pending.map { attempt in
                pollfd(fd: PQsocket(attempt.conn), events: Int16(attempt.polling == PGRES_POLLING_READING ? POLLIN : POLLOUT), revents: 0)
            }
            fds.append(pollfd(fd: stop.readFD, events: Int16(POLLIN), revents: 0))
            let ready = poll(&fds, nfds_t(fds.count), waitMS)
            if ready < 0 && errno != EINTR { break }
            let now = clock.now
            let nowSeconds = start.duration(to: now).seconds
            var index = pending.count - 1
            while index >= 0 {
                defer { index -= 1 }
                let attempt = pending[index]
                if fds[index].revents != 0 {
                    let status = PQconnectPoll(attempt.conn)
                    switch status {
                    case PGRES_POLLING_OK:
                        connections.append(attempt.conn)
                        result.opened += 1
                    case PGRES_POLLING_FAILED:
                        settle(failed: attempt.conn, at: nowSeconds, into: &result, saturated: &saturated)
                    default:
                        pending[index].polling = status
                        continue
                    }
                    pending.remove(at: index)
                } else if attempt.since.duration(to: now) > connectTimeout {
                    PQfinish(attempt.conn)
                    result.timedOut += 1
                    result.firstError = result.firstError ?? "connect timed out after \(DurationSyntax.format(connectTimeout))"
                    pending.remove(at: index)
                }
            }
        }
        for attempt in pending { PQfinish(attempt.conn) }
        result.seconds = start.duration(to: clock.now).seconds
        return result
    }

    /// Holds every open connection for `duration`, reading whatever the server sends; a connection the server
    /// ends (`pg_terminate_backend`, a restart) is finished here too and counted as dropped.
    func hold(for duration: Duration, stop: FloodStopSignal) -> Holding {
        var dropped = 0
        var firstDropReason: String?
        let clock = ContinuousClock()
        let deadline = clock.now + duration
        while !stop.isSignalled {
            let remaining = clock.now.duration(to: deadline)
            if remaining <= .zero { break }
            var fds = connections.map { pollfd(fd: PQsocket($0), events: Int16(POLLIN), revents: 0) }
            fds.append(pollfd(fd: stop.readFD, events: Int16(POLLIN), revents: 0))
            let ready = poll(&fds, nfds_t(fds.count), Int32(max(1, min(200, (remaining.seconds * 1000).rounded(.up)))))
            if ready < 0 && errno != EINTR { break }
            guard ready > 0 else { continue }
            var index = connections.count - 1
            while index >= 0 {
                defer { index -= 1 }
                guard fds[index].revents != 0 else { continue }
                let conn = connections[index]
                if PQconsumeInput(conn) == 1 && PQstatus(conn) == CONNECTION_OK {
                    // A notice or parameter report: read and forget it.
                    while PQisBusy(conn) == 0, let result = PQgetResult(conn) { PQclear(result) }
                    continue
                }
                firstDropReason = firstDropReason ?? PGConnection.parseMessage(String(cString: PQerrorMessage(conn))).message
                PQfinish(conn)
                connections.remove(at: index)
                dropped += 1
            }
        }
        return Holding(held: connections.count, dropped: dropped, firstDropReason: firstDropReason)
    }

    /// Finishes every open connection (the server sees a Terminate message); returns how many there were.
    @discardableResult
    func closeAll() -> Int {
        let count = connections.count
        for conn in connections { PQfinish(conn) }
        connections.removeAll()
        return count
    }

    // MARK: - libpq plumbing

    private struct Attempt {
        var conn: OpaquePointer
        var since: ContinuousClock.Instant
        var polling: PostgresPollingStatusType
    }

    private func startConnection() -> OpaquePointer? {
        let keywords = ["dbname", "fallback_application_name"]
        let values = [conninfo, "firedrill-flood"]
        let copies = (keywords + values).map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let keywordPointers = copies[0..<2].map { UnsafePointer($0) } + [nil]
        let valuePointers = copies[2..<4].map { UnsafePointer($0) } + [nil]
        guard let conn = keywordPointers.withUnsafeBufferPointer({ k in
            valuePointers.withUnsafeBufferPointer { v in PQconnectStartParams(k.baseAddress!, v.baseAddress!, 1) }
        }) else { return nil }
        PQsetErrorVerbosity(conn, PQERRORS_VERBOSE)
        return conn
    }

    /// Counts a failed attempt as a refusal (53300) or a failure, and finishes it.
    private func settle(failed conn: OpaquePointer, at seconds: Double, into result: inout Opening, saturated: inout Bool) {
        let parsed = PGConnection.parseMessage(String(cString: PQerrorMessage(conn)))
        PQfinish(conn)
        if parsed.sqlstate == Self.tooManyClients {
            result.refused += 1
            saturated = true
            if result.firstRefusalSeconds == nil {
                result.firstRefusalSeconds = seconds
                result.refusalMessage = parsed.message
            }
        } else {
            result.failed += 1
            result.firstError = result.firstError ?? parsed.message
        }
    }
}
