#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Tells a flood's worker thread to stop at once: a self-pipe its `poll` watches, plus a flag for loops that do
/// not poll. Signalled from a task-cancellation handler.
final class FloodStopSignal: Sendable {
    /// The read end, for `poll`.
    let readFD: Int32
    private let writeFD: Int32
    private let flag = Atomic<Bool>(false)

    init() {
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        if readFD >= 0 { close(readFD) }
        if writeFD >= 0 { close(writeFD) }
    }

    var isSignalled: Bool { flag.load(ordering: .acquiring) }

    func signal() {
        guard !flag.exchange(true, ordering: .acquiringAndReleasing) else { return }
        var byte: UInt8 = 1
        _ = write(writeFD, &byte, 1)
    }
}
