import FiredrillCore
import Synchronization

/// What a proxy carried and what its toxics did: the proof that the fault hit traffic. Shared by the acceptor
/// and every pump thread.
final class ProxyCounters: Sendable {
    struct Values: Sendable, Equatable {
        var connections = 0
        var active = 0
        var refused = 0
        var upstreamFailures = 0
        var lastUpstreamFailure: String?
        var bytesUpstream: Int64 = 0
        var bytesDownstream: Int64 = 0
        /// Connections each toxic acted on (`latency`, `bandwidth`, `blackhole`, `slow-close`), and resets done
        /// (`reset-peer`) and connections refused (`refuse`).
        var toxics: [String: Int] = [:]
        var blackholedBytes: Int64 = 0
    }

    private let values = Mutex(Values())
    /// Bytes carried, counted by every pump on every read: atomics, not the lock.
    private let upstreamBytes = Atomic<Int64>(0)
    private let downstreamBytes = Atomic<Int64>(0)

    var snapshot: Values {
        var v = values.withLock { $0 }
        v.bytesUpstream = upstreamBytes.load(ordering: .relaxed)
        v.bytesDownstream = downstreamBytes.load(ordering: .relaxed)
        return v
    }

    func opened() { values.withLock { $0.connections += 1; $0.active += 1 } }
    func closed() { values.withLock { $0.active -= 1 } }
    func refused(byToxic: Bool) {
        values.withLock {
            $0.refused += 1
            if byToxic { $0.toxics["refuse", default: 0] += 1 }
        }
    }
    func upstreamFailed(_ reason: String) {
        values.withLock {
            $0.upstreamFailures += 1
            $0.lastUpstreamFailure = reason
        }
    }
    func carried(_ direction: ProxyDirection, _ bytes: Int) {
        if direction == .upstream {
            upstreamBytes.wrappingAdd(Int64(bytes), ordering: .relaxed)
        } else {
            downstreamBytes.wrappingAdd(Int64(bytes), ordering: .relaxed)
        }
    }
    func toxic(_ name: String) { values.withLock { $0.toxics[name, default: 0] += 1 } }
    func blackholed(_ bytes: Int) { values.withLock { $0.blackholedBytes += Int64(bytes) } }
}

extension ProxyCounters.Values {
    var json: JSONValue {
        .object([
            "connections": .number(Double(connections)), "active": .number(Double(active)),
            "refused": .number(Double(refused)), "upstream-failures": .number(Double(upstreamFailures)),
            "last-upstream-failure": lastUpstreamFailure.map { .string($0) } ?? .null,
            "bytes-upstream": .number(Double(bytesUpstream)), "bytes-downstream": .number(Double(bytesDownstream)),
            "blackholed-bytes": .number(Double(blackholedBytes)),
            "toxics": .object(toxics.mapValues { .number(Double($0)) }),
        ])
    }

    /// In words: `12 connections, 3 active, 4096 B up, 1 MiB down, toxics: latency 12`.
    var summary: String {
        var line = "\(connections) connections (\(active) open), \(bytesUpstream) B up, \(bytesDownstream) B down"
        if refused > 0 { line += ", \(refused) refused" }
        if upstreamFailures > 0 { line += ", \(upstreamFailures) upstream connects failed (last: \(lastUpstreamFailure ?? "?"))" }
        if !toxics.isEmpty { line += "; toxics applied: " + toxics.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") }
        return line
    }
}
