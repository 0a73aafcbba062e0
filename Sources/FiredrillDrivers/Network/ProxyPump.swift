#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Moves bytes one way through a connection, applying that direction's toxics. With no toxic hitting the
/// connection it moves them with `splice(2)` through a pipe, never copying them into the process (blocking, at
/// most `bufferSize` at a time, so a toxic set on the live proxy is seen at the next chunk); where splice is not
/// available it reads and writes straight through. With a delay or a bandwidth cap it queues chunks with the
/// instant each is due and waits for the earlier of the next due chunk and new data (`ppoll`, nanoseconds).
struct ProxyPump {
    let direction: ProxyDirection
    let source: Int32
    let destination: Int32
    let connection: ProxyConnection
    let proxy: TCPProxy
    /// The event loop's state of this way when it handed the connection over.
    var handed: ProxyLoopRelay.Half?

    static let bufferSize = 256 * 1024
    /// Bytes held back by delays before the pump stops reading (the sender then feels TCP back-pressure).
    static let maxQueued = 4 * 1024 * 1024
    /// The longest a pump sleeps without looking at whether its connection is being reset.
    static let slice: UInt64 = 50_000_000

    private struct Chunk {
        var due: UInt64
        var bytes: [UInt8]
    }

    func run() {
        ProxySocket.keepSIGPIPEFromThisThread()
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.bufferSize, alignment: 16)
        defer { buffer.deallocate() }
        // Opened the first time bytes go straight through (a connection a toxic always hits never needs it).
        var relay = handed?.pipe ?? ProxyRelayPipe(open: false)
        var canSplice = true
        defer { relay.close() }
        var queue: [Chunk] = []
        var head = 0
        var queued = 0
        var lastDue: UInt64 = 0
        var nextFree: UInt64 = 0
        var carried: Int64 = 0
        var eof = handed?.ended ?? false
        var failed = false
        if let handed, handed.inPipe > 0 {
            // Read before the toxic was seen: it goes on as it came.
            failed = !relay.drain(handed.inPipe, to: destination)
        }
        let counters = proxy.counters
        // The toxics as of `generation`; read again (under the proxy's lock) only when a step set new ones.
        var generation = proxy.toxicsGeneration
        var toxics = proxy.toxics(direction)

        func refresh() {
            let current = proxy.toxicsGeneration
            if current != generation {
                generation = current
                toxics = proxy.toxics(direction)
            }
        }

        func enqueue(_ due: UInt64, _ start: Int, _ count: Int) {
            queue.append(Chunk(due: due, bytes: Array(UnsafeRawBufferPointer(start: buffer + start, count: count))))
            queued += count
        }

        outer: while !failed, !connection.isResetting {
            var now = ProxySocket.now()
            while head < queue.count, queue[head].due <= now {
                let ok = queue[head].bytes.withUnsafeBytes { ProxySocket.writeAll(destination, $0.baseAddress!, $0.count) }
                guard ok else { failed = true; break outer }
                queued -= queue[head].bytes.count
                head += 1
            }
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            } else if head > 256 {
                queue.removeFirst(head)
                head = 0
            }
            let pending = head < queue.count
            if pending { now = ProxySocket.now() }
            let wait = pending ? queue[head].due &- min(now, queue[head].due) : 0
            if eof || queued >= Self.maxQueued {
                if !pending { break }
                ProxySocket.sleep(nanos: min(wait, Self.slice))
                continue
            }
            if pending, !ProxySocket.waitReadable(source, nanos: min(wait, Self.slice)) { continue }
            refresh()
            let n: Int
            if canSplice, !pending, !toxics.hits(connection.roll), !relay.isOpen {
                relay = ProxyRelayPipe()
                canSplice = relay.isOpen
            }
            if canSplice, !pending, !toxics.hits(connection.roll) {
                // Straight through: socket to pipe to socket, the bytes never copied into this process.
                let moved = relay.fill(from: source, limit: min(Self.bufferSize, relay.capacity))
                if moved == 0 { eof = true; continue }
                if moved < 0 {
                    if errno == EINTR { continue }
                    if errno == EINVAL || errno == ENOSYS {
                        canSplice = false  // this pair of sockets cannot splice: read and write instead
                        continue
                    }
                    failed = true
                    break
                }
                n = moved
                counters.carried(direction, n)
                carried += Int64(n)
                refresh()
                if !toxics.hits(connection.roll) {
                    guard relay.drain(n, to: destination) else { failed = true; break }
                    continue
                }
                // A toxic was set while these bytes were on their way: they take it, as bytes read after it.
                guard relay.take(n, into: buffer) else { failed = true; break }
            } else {
                let got = recv(source, buffer, Self.bufferSize, 0)
                if got == 0 { eof = true; continue }
                if got < 0 {
                    if errno == EINTR { continue }
                    failed = true
                    break
                }
                n = got
                counters.carried(direction, n)
                carried += Int64(n)
                refresh()
            }
            now = ProxySocket.now()
            guard toxics.hits(connection.roll) else {
                if pending {
                    enqueue(max(now, lastDue), 0, n)
                } else if !ProxySocket.writeAll(destination, buffer, n) {
                    failed = true
                    break
                }
                continue
            }
            // Past `reset-after`, only the bytes up to it are forwarded, then the connection is reset.
            var count = n
            var resetNow = false
            if let after = toxics.resetAfter, carried >= after {
                count = max(0, Int(after - (carried - Int64(n))))
                resetNow = true
            }
            if toxics.blackhole {
                if connection.mark("blackhole") { counters.toxic("blackhole") }
                counters.blackholed(count)
            } else {
                let arrived = now
                var due = arrived
                if toxics.latency > 0 {
                    var delay = Int64(toxics.latency)
                    if toxics.jitter > 0 { delay += Int64.random(in: -Int64(toxics.jitter)...Int64(toxics.jitter)) }
                    due = arrived + UInt64(max(0, delay))
                    if connection.mark("latency") { counters.toxic("latency") }
                }
                due = max(due, lastDue)
                if let rate = toxics.bandwidth {
                    if connection.mark("bandwidth") { counters.toxic("bandwidth") }
                    let piece = max(1, min(count, Int(rate / 20)))
                    var offset = 0
                    while offset < count {
                        let size = min(piece, count - offset)
                        let start = max(due, nextFree)
                        nextFree = start + UInt64(Double(size) * 1e9 / Double(rate))
                        enqueue(start, offset, size)
                        offset += size
                        due = start
                    }
                    lastDue = due
                } else if due > arrived || pending {
                    enqueue(due, 0, count)
                    lastDue = due
                } else if count > 0, !ProxySocket.writeAll(destination, buffer, count) {
                    failed = true
                    break
                }
            }
            if resetNow {
                // What was due before the threshold still goes out; then the reset.
                for chunk in queue[head...] {
                    _ = chunk.bytes.withUnsafeBytes { ProxySocket.writeAll(destination, $0.baseAddress!, $0.count) }
                }
                counters.toxic("reset-peer")
                connection.reset()
                break
            }
        }
        if connection.isResetting {
            // The last pump's close sends the reset.
        } else if failed {
            connection.abort()
        } else {
            let toxics = proxy.toxics(direction)
            if toxics.hits(connection.roll), toxics.slowClose > 0 {
                if connection.mark("slow-close") { counters.toxic("slow-close") }
                let until = ProxySocket.now() + toxics.slowClose
                while !connection.isResetting, !proxy.isStopped {
                    let now = ProxySocket.now()
                    if now >= until { break }
                    ProxySocket.sleep(nanos: min(until - now, Self.slice))
                }
            }
            _ = shutdown(destination, Int32(SHUT_WR))
        }
        if connection.pumpDone() { proxy.ended(connection) }
    }
}
