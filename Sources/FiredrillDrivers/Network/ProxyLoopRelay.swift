#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFiredrillSplice

/// A connection the proxy's event loop carries while no toxic hits it. Each way, small reads are copied through
/// the loop's buffer (`recv`, `send`: the cheapest for requests and responses); once reads come in large pieces
/// the bytes are spliced through that way's pipe instead, never copied into the process. Nothing blocks (the
/// sockets are non-blocking): what the destination cannot take yet waits in the pipe until it can. Owned by the
/// loop's thread.
final class ProxyLoopRelay {
    /// One way through the connection.
    struct Half {
        let direction: ProxyDirection
        let source: Int32
        let destination: Int32
        var pipe: ProxyRelayPipe
        /// Bytes in the pipe not yet written to the destination.
        var inPipe = 0
        /// Reads come in large pieces: splice them.
        var bulk = false
        /// The last read took everything the source had: once it is written, wait for the next edge.
        var drained = false
        /// The loop saw the source's peer close (or the socket fail): read until the end, whatever the sizes.
        var peerClosed = false
        /// The source closed its side.
        var ended = false
        /// The close was passed on (shutdown of the destination's write side).
        var closed = false

        var done: Bool { closed && inPipe == 0 }
    }

    enum Step {
        /// Both ways wait for the next edge.
        case waiting
        /// A way stopped at its bound with more to move: serve it again without waiting.
        case more
        case failed
    }

    /// A read at least this large switches the way to splicing; a smaller one back to copying.
    static let bulkRead = 64 * 1024

    let connection: ProxyConnection
    var halves: [Half]

    init?(_ connection: ProxyConnection) {
        var up = ProxyRelayPipe()
        var down = ProxyRelayPipe()
        guard up.isOpen, down.isOpen else {
            up.close()
            down.close()
            return nil
        }
        self.connection = connection
        halves = [
            Half(direction: .upstream, source: connection.client, destination: connection.upstream, pipe: up),
            Half(direction: .downstream, source: connection.upstream, destination: connection.client, pipe: down),
        ]
    }

    var done: Bool { halves.allSatisfy(\.done) }

    /// Moves what can move now, both ways; stops each way when its source has nothing more or its destination
    /// is full (the next edge of either wakes the loop again). `buffer` holds at least `ProxyPump.bufferSize`.
    func pump(_ counters: ProxyCounters, _ buffer: UnsafeMutableRawPointer) -> Step {
        var step = Step.waiting
        for i in halves.indices where !halves[i].done {
            switch Self.pump(&halves[i], counters, buffer) {
            case .failed: return .failed
            case .more: step = .more
            case .waiting: break
            }
        }
        return step
    }

    private static func pump(_ h: inout Half, _ counters: ProxyCounters, _ buffer: UnsafeMutableRawPointer) -> Step {
        let limit = min(ProxyPump.bufferSize, h.pipe.capacity)
        // Bounded, so one busy connection cannot starve the others; the loop comes back to it.
        for _ in 0..<16 {
            if h.inPipe > 0 {
                let n = firedrill_splice_now(h.pipe.readEnd, h.destination, h.inPipe)
                if n > 0 {
                    h.inPipe -= n
                    if h.inPipe == 0, h.drained, !h.peerClosed { return .waiting }
                    continue
                }
                if n < 0, errno == EINTR { continue }
                return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) ? .waiting : .failed
            }
            if h.ended {
                if !h.closed {
                    _ = shutdown(h.destination, Int32(SHUT_WR))
                    h.closed = true
                }
                return .waiting
            }
            let n = h.bulk ? firedrill_splice_now(h.source, h.pipe.writeEnd, limit)
                : recv(h.source, buffer, limit, Int32(MSG_DONTWAIT))
            if n == 0 {
                h.ended = true
                continue
            }
            if n < 0 {
                if errno == EINTR { continue }
                return errno == EAGAIN || errno == EWOULDBLOCK ? .waiting : .failed
            }
            counters.carried(h.direction, n)
            // A copying read shorter than asked took all there was (a splice may stop short at the pipe's slots).
            h.drained = !h.bulk && n < limit
            let wasBulk = h.bulk
            h.bulk = n >= bulkRead
            if wasBulk {
                h.inPipe = n
                continue
            }
            var sent = 0
            while sent < n {
                let m = send(h.destination, buffer + sent, n - sent, ProxySocket.noSignal | Int32(MSG_DONTWAIT))
                if m > 0 {
                    sent += m
                } else if m < 0, errno == EINTR {
                    continue
                } else if m < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                    break
                } else {
                    return .failed
                }
            }
            if sent < n {
                // The destination is full: the rest waits in the (empty, large enough) pipe until it can go.
                guard h.pipe.put(buffer + sent, n - sent) else { return .failed }
                h.inPipe = n - sent
                return .waiting
            }
            if h.drained, !h.peerClosed { return .waiting }
        }
        return .more
    }
}
