import Synchronization

/// The link between an `async` caller and the worker thread running its transfer: a cancellation
/// flag the curl callbacks read, and a way to wake the transfer out of `poll` at once.
final class HTTPTransferControl: Sendable {
    private let cancelled = Atomic<Bool>(false)
    /// The handle currently running this transfer, so `cancel()` can wake it.
    private let running = Mutex<CurlEasy?>(nil)

    var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    /// Marks the transfer cancelled and wakes its handle if it is waiting for the network.
    func cancel() {
        cancelled.store(true, ordering: .releasing)
        running.withLock { $0?.wakeUp() }
    }

    /// Registers the handle about to run the transfer; `false` if it was cancelled already.
    func attach(_ easy: CurlEasy) -> Bool {
        running.withLock { current in
            guard !isCancelled else { return false }
            current = easy
            return true
        }
    }

    /// After this returns, `cancel()` no longer touches the handle.
    func detach() {
        running.withLock { $0 = nil }
    }
}
