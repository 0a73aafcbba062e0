/// Sends HTTP requests with libcurl. Safe to share between tasks; one per process is typical
/// (`HTTPClient.shared`).
///
/// Each transfer runs on a dedicated worker thread (never on Swift's cooperative pool), with a
/// warm, reused curl handle per thread. Cancelling the calling task stops the transfer within a
/// few milliseconds and throws `HTTPError` of kind `.cancelled`.
public final class HTTPClient: Sendable {
    /// A process-wide client.
    public static let shared = HTTPClient()

    private let pool: HTTPWorkerPool

    /// - Parameters:
    ///   - maxConcurrentTransfers: worker threads at most; more requests in flight wait their turn.
    ///   - idleTimeout: how long an unused worker thread (and its open connections) is kept.
    public init(maxConcurrentTransfers: Int = 256, idleTimeout: Duration = .seconds(30)) {
        pool = HTTPWorkerPool(maxThreads: maxConcurrentTransfers, idleTimeout: idleTimeout)
    }

    deinit {
        pool.shutdown()
    }

    /// Sends `request` and returns the final response, whatever its status code.
    /// Throws only when there is no response (connection, timeout, TLS, cancellation…).
    public func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        if let problem = request.validationProblem() {
            throw HTTPError(.invalidRequest, request: request, detail: problem)
        }
        if Task.isCancelled {
            throw HTTPError(.cancelled, request: request, detail: "the task was cancelled")
        }
        let control = HTTPTransferControl()
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<HTTPResponse, HTTPError>, Never>) in
                pool.submit(HTTPWorkerPool.Job(request: request, control: control) { continuation.resume(returning: $0) })
            }
        } onCancel: {
            control.cancel()
            pool.cancelQueued(control)
        }
        return try result.get()
    }
}
