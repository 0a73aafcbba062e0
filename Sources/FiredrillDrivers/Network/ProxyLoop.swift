#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFiredrillSplice
import Foundation
import Synchronization

/// The proxy's event loop: one thread carries every connection no toxic hits, spliced both ways on readiness
/// (epoll, edge-triggered), instead of two blocked threads per connection. A busy proxy then wakes once for many
/// ready connections. When a step sets toxics that hit a connection, the loop hands it to a pair of pump threads
/// (`ProxyPump`), with whatever sat in its pipes, and the toxics apply from the next byte read.
final class ProxyLoop: Sendable {
    private let epoll: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32

    private struct Incoming {
        var connections: [ProxyConnection] = []
        var closed = false
    }

    private let incoming = Mutex(Incoming())
    private static let wakeToken = UInt64.max

    /// Nil where the system has no epoll or splice: the proxy then serves every connection with pump threads.
    init?() {
        let epoll = firedrill_loop_create()
        guard epoll >= 0 else { return nil }
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else {
            close(epoll)
            return nil
        }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        guard firedrill_loop_add(epoll, fds[0], Self.wakeToken) == 0 else {
            close(epoll)
            close(fds[0])
            close(fds[1])
            return nil
        }
        self.epoll = epoll
        wakeRead = fds[0]
        wakeWrite = fds[1]
    }

    deinit {
        close(epoll)
        close(wakeRead)
        close(wakeWrite)
    }

    /// Gives the loop a connection; false once the loop has ended (the caller then serves it with threads).
    func adopt(_ connection: ProxyConnection) -> Bool {
        let taken = incoming.withLock { i -> Bool in
            if i.closed { return false }
            i.connections.append(connection)
            return true
        }
        if taken { wake() }
        return taken
    }

    func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    /// The loop's thread: runs until the proxy stopped and every connection it carried has ended.
    func run(_ proxy: TCPProxy) {
        ProxySocket.keepSIGPIPEFromThisThread()
        var relays: [Int: ProxyLoopRelay] = [:]
        var again: Set<Int> = []
        var tokens = [UInt64](repeating: 0, count: 256)
        var closed = [UInt8](repeating: 0, count: 256)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: ProxyPump.bufferSize, alignment: 16)
        defer { buffer.deallocate() }
        var generation = proxy.toxicsGeneration
        var toxics = proxy.allToxics
        let counters = proxy.counters

        func hits(_ connection: ProxyConnection) -> Bool {
            toxics.values.contains { $0.hits(connection.roll) }
        }

        func end(_ relay: ProxyLoopRelay, failed: Bool) {
            relays[relay.connection.id] = nil
            again.remove(relay.connection.id)
            if failed, !relay.connection.isResetting { relay.connection.abort() }
            for var half in relay.halves { half.pipe.close() }
            relay.connection.closeSockets()
            proxy.ended(relay.connection)
        }

        func serve(_ relay: ProxyLoopRelay) {
            if relay.connection.isResetting { return end(relay, failed: false) }
            switch relay.pump(counters, buffer) {
            case .failed: end(relay, failed: true)
            case .more: again.insert(relay.connection.id)
            case .waiting:
                again.remove(relay.connection.id)
                if relay.done { end(relay, failed: false) }
            }
        }

        func handOff(_ relay: ProxyLoopRelay) {
            relays[relay.connection.id] = nil
            again.remove(relay.connection.id)
            let c = relay.connection
            _ = firedrill_loop_remove(epoll, c.client)
            _ = firedrill_loop_remove(epoll, c.upstream)
            ProxySocket.setBlocking(c.client, true)
            ProxySocket.setBlocking(c.upstream, true)
            proxy.startPumps(c, halves: relay.halves)
        }

        while true {
            let n = tokens.withUnsafeMutableBufferPointer { t in
                closed.withUnsafeMutableBufferPointer { c in
                    firedrill_loop_wait(epoll, t.baseAddress, c.baseAddress, Int32(t.count), again.isEmpty ? 250 : 0)
                }
            }
            let current = proxy.toxicsGeneration
            if current != generation {
                generation = current
                toxics = proxy.allToxics
                for relay in Array(relays.values) where hits(relay.connection) { handOff(relay) }
            }
            let stopped = proxy.isStopped
            let arrivals = incoming.withLock { i -> [ProxyConnection] in
                let taken = i.connections
                i.connections = []
                if stopped, relays.isEmpty, taken.isEmpty { i.closed = true }
                return taken
            }
            if stopped, relays.isEmpty, arrivals.isEmpty { break }
            for connection in arrivals {
                ProxySocket.setBlocking(connection.client, false)
                ProxySocket.setBlocking(connection.upstream, false)
                guard !hits(connection), let relay = ProxyLoopRelay(connection),
                      firedrill_loop_add(epoll, connection.client, UInt64(connection.id) << 1) == 0,
                      firedrill_loop_add(epoll, connection.upstream, UInt64(connection.id) << 1 | 1) == 0 else {
                    _ = firedrill_loop_remove(epoll, connection.client)
                    ProxySocket.setBlocking(connection.client, true)
                    ProxySocket.setBlocking(connection.upstream, true)
                    proxy.startPumps(connection, halves: [])
                    continue
                }
                relays[connection.id] = relay
                serve(relay)
            }
            var ready = again
            for i in 0..<Int(max(0, n)) {
                let token = tokens[i]
                if token == Self.wakeToken {
                    var drain = [UInt8](repeating: 0, count: 64)
                    while read(wakeRead, &drain, drain.count) > 0 {}
                } else {
                    let id = Int(token >> 1)
                    // The client's socket is the source of the upstream half (0), the upstream's of the other (1).
                    if closed[i] != 0, let relay = relays[id] { relay.halves[Int(token & 1)].peerClosed = true }
                    ready.insert(id)
                }
            }
            for id in ready {
                if let relay = relays[id] { serve(relay) }
            }
        }
    }
}
