import Foundation

/// A self-pipe that interrupts a connection's `poll(2)` when its task is cancelled: the cancellation handler
/// writes a byte, the waiting loop sees the read end become readable.
final class PGWakeup: Sendable {
    let readFD: Int32
    let writeFD: Int32

    init() throws(PGError) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else {
            throw PGError(kind: .connectFailed, operation: "create wake-up pipe", message: String(cString: strerror(errno)))
        }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        close(readFD)
        close(writeFD)
    }

    /// Wakes the waiter; safe from any thread, never blocks.
    func signal() {
        var byte: UInt8 = 1
        _ = write(writeFD, &byte, 1)
    }

    /// Empties the pipe.
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readFD, &buffer, buffer.count) > 0 {}
    }
}
