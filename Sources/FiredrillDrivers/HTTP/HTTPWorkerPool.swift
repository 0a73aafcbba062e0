import Foundation

/// Threads that run blocking libcurl transfers off Swift's cooperative pool.
///
/// Each thread owns one `CurlEasy` for its whole life, so its connections and DNS cache are reused
/// by the next transfer it runs. Threads are started on demand, one per transfer in flight, up to
/// `maxThreads` (further transfers wait in a FIFO queue), and end after `idleTimeout` without work.
/// A thread is started only while there are more transfers outstanding (queued or running) than
/// threads, so N callers that each send their next request as soon as the last one answers keep
/// N warm threads (and N connections), however the threads and callers happen to interleave.
final class HTTPWorkerPool: @unchecked Sendable {
    struct Job: Sendable {
        let request: HTTPRequest
        let control: HTTPTransferControl
        let complete: @Sendable (Result<HTTPResponse, HTTPError>) -> Void
    }

    let maxThreads: Int
    let idleTimeout: Duration

    /// Guards every `var` below.
    private let condition = NSCondition()
    private var queue: [Job] = []
    private var queueHead = 0
    private var threads = 0
    /// Jobs submitted and not yet completed: queued plus running.
    private var outstanding = 0
    private var shuttingDown = false

    init(maxThreads: Int, idleTimeout: Duration) {
        self.maxThreads = max(1, maxThreads)
        self.idleTimeout = idleTimeout
    }

    /// Queues `job`; its `complete` is called exactly once, on a worker thread (or on the calling
    /// thread when the job is cancelled before a worker took it).
    func submit(_ job: Job) {
        condition.lock()
        // Checked under the lock: a `cancelQueued` that comes later finds the job in the queue.
        if job.control.isCancelled {
            condition.unlock()
            job.complete(.failure(HTTPError(.cancelled, request: job.request, detail: "the task was cancelled")))
            return
        }
        queue.append(job)
        outstanding += 1
        // With threads >= outstanding, some thread is idle or about to look at the queue.
        let spawn = outstanding > threads && threads < maxThreads && !shuttingDown
        if spawn { threads += 1 } else { condition.signal() }
        condition.unlock()
        if spawn { startThread() }
    }

    /// Completes the job of `control` as cancelled if it is still waiting for a thread, so a
    /// cancelled request never waits for a busy pool. Call after `control.cancel()`.
    func cancelQueued(_ control: HTTPTransferControl) {
        condition.lock()
        var removed: Job?
        if let index = queue[queueHead...].firstIndex(where: { $0.control === control }) {
            removed = queue.remove(at: index)
            outstanding -= 1
        }
        condition.unlock()
        if let removed {
            removed.complete(.failure(HTTPError(.cancelled, request: removed.request, detail: "the task was cancelled")))
        }
    }

    /// Lets idle threads end now; threads that are busy end after their current transfer.
    func shutdown() {
        condition.lock()
        shuttingDown = true
        condition.broadcast()
        condition.unlock()
    }

    private func startThread() {
        let thread = Thread { [self] in
            // Set from inside: on Linux a name set before start() never reaches the OS thread.
            Thread.current.name = "firedrill-http"
            run()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    private func run() {
        let easy = CurlEasy()
        while let job = nextJob() {
            let result: Result<HTTPResponse, HTTPError>
            if let easy {
                if job.control.attach(easy) {
                    result = easy.perform(job.request, control: job.control)
                    job.control.detach()
                } else {
                    result = .failure(HTTPError(.cancelled, request: job.request, detail: "the task was cancelled"))
                }
            } else {
                result = .failure(HTTPError(.other, request: job.request, detail: "libcurl could not create a handle"))
            }
            condition.lock()
            outstanding -= 1
            condition.unlock()
            job.complete(result)
        }
    }

    /// The next job, or `nil` when this thread should end (idle too long, or shutting down).
    private func nextJob() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        let idleSeconds = Double(idleTimeout.components.seconds) + Double(idleTimeout.components.attoseconds) / 1e18
        while queueHead == queue.count {
            if shuttingDown {
                threads -= 1
                return nil
            }
            let signalled = condition.wait(until: Date(timeIntervalSinceNow: idleSeconds))
            if !signalled && queueHead == queue.count {
                threads -= 1
                return nil
            }
        }
        let job = queue[queueHead]
        queueHead += 1
        if queueHead == queue.count {
            queue.removeAll(keepingCapacity: true)
            queueHead = 0
        } else if queueHead > 1024 && queueHead * 2 > queue.count {
            queue.removeFirst(queueHead)
            queueHead = 0
        }
        return job
    }
}
