import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes to stdout and stderr that can never end the run.
///
/// `FileHandle.write(_:)` traps when the terminal or pipe has gone away (EPIPE after `| head`, EIO after an SSH
/// disconnect), and a chaos run must outlive its audience: rollbacks still have to run. These writes use
/// `write(2)` directly, retry on EINTR and partial writes, and drop the text when the stream is gone.
/// SIGPIPE itself is caught by the run's signal handling, which turns it into an interrupt that rolls back.
public enum StandardStreams {
    public static func out(_ text: String) {
        if !write(STDOUT_FILENO, text), errno == EPIPE { outputGone() }
    }
    public static func err(_ text: String) { write(STDERR_FILENO, text) }

    /// Called once, the first time stdout's reader turns out to be gone (EPIPE): the run treats it as SIGPIPE.
    public static func onOutputGone(_ handler: @escaping @Sendable () -> Void) {
        gone.withLock { $0 = (handler, false) }
    }

    private static let gone = Mutex<(handler: (@Sendable () -> Void)?, fired: Bool)>((nil, false))

    private static func outputGone() {
        let handler: (@Sendable () -> Void)? = gone.withLock { state in
            guard !state.fired else { return nil }
            state.fired = true
            return state.handler
        }
        handler?()
    }

    /// Writes all of `text` to `fd`, or as much as the descriptor accepts before it fails (then `errno` says why).
    /// - Returns: whether everything was written.
    @discardableResult
    public static func write(_ fd: Int32, _ text: String) -> Bool {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return true }
        return bytes.withUnsafeMutableBytes { buffer -> Bool in
            guard let base = buffer.baseAddress else { return true }
            var offset = 0
            // Bounded: each round either writes at least one byte or stops; EINTR retries at most 64 times.
            var interrupted = 0
            while offset < buffer.count {
                let n = Foundation.write(fd, base + offset, buffer.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0, errno == EINTR, interrupted < 64 {
                    interrupted += 1
                } else {
                    return false
                }
            }
            return true
        }
    }
}
