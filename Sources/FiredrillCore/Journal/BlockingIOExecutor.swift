import Dispatch

/// A serial executor that runs an actor's jobs on a private dispatch queue instead of Swift's cooperative
/// thread pool. For actors whose methods make blocking system calls (`fsync(2)`, `poll(2)`): the cooperative
/// pool has one thread per core, and a blocked one stalls unrelated tasks; a serial dispatch queue gets a
/// thread of its own while it blocks.
///
/// Use: `nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }`.
public final class BlockingIOExecutor: SerialExecutor {
    private let queue: DispatchQueue

    public init(label: String) {
        queue = DispatchQueue(label: label)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    public func checkIsolated() {
        dispatchPrecondition(condition: .onQueue(queue))
    }
}
