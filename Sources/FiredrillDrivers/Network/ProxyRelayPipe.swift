#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFiredrillSplice

/// The pipe a pump splices through when no toxic hits its connection: socket to pipe, pipe to socket, the bytes
/// staying in the kernel. Not open where the system has no `splice` (the pump then reads and writes).
struct ProxyRelayPipe {
    private(set) var readEnd: Int32 = -1
    private(set) var writeEnd: Int32 = -1
    /// Bytes the pipe holds at most.
    private(set) var capacity = 0

    /// A pipe, or (`open: false`) none yet.
    init(open: Bool = true) {
        guard open else { return }
        var fds: [Int32] = [-1, -1]
        let capacity = firedrill_relay_pipe(&fds, Int32(ProxyPump.bufferSize))
        if capacity > 0 {
            readEnd = fds[0]
            writeEnd = fds[1]
            self.capacity = Int(capacity)
        }
    }

    var isOpen: Bool { writeEnd >= 0 }

    /// Moves up to `limit` bytes from `source` into the pipe (blocking until some arrive): the count, 0 at the
    /// end of input, -1 on error (errno).
    func fill(from source: Int32, limit: Int) -> Int {
        firedrill_splice(source, writeEnd, limit)
    }

    /// Moves the `count` bytes in the pipe on to `destination`; false when it is gone.
    func drain(_ count: Int, to destination: Int32) -> Bool {
        var left = count
        while left > 0 {
            let n = firedrill_splice(readEnd, destination, left)
            if n < 0, errno == EINTR { continue }
            if n <= 0 { return false }
            left -= n
        }
        return true
    }

    /// Puts `count` bytes (no more than the pipe's capacity, into an empty pipe) in the pipe, to be drained later.
    func put(_ bytes: UnsafeRawPointer, _ count: Int) -> Bool {
        var offset = 0
        while offset < count {
            let n = write(writeEnd, bytes + offset, count - offset)
            if n < 0, errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// Reads the `count` bytes in the pipe into `buffer` instead (a toxic was set while they were on their way).
    func take(_ count: Int, into buffer: UnsafeMutableRawPointer) -> Bool {
        var offset = 0
        while offset < count {
            let n = read(readEnd, buffer + offset, count - offset)
            if n < 0, errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    mutating func close() {
        guard writeEnd >= 0 else { return }
        Self.closeDescriptor(readEnd)
        Self.closeDescriptor(writeEnd)
        readEnd = -1
        writeEnd = -1
    }

    private static func closeDescriptor(_ fd: Int32) {
        #if canImport(Glibc)
        _ = Glibc.close(fd)
        #else
        _ = Darwin.close(fd)
        #endif
    }
}
