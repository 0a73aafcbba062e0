import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Delivers `SIGTERM`, `SIGINT`, `SIGUSR1` and `SIGUSR2` to a handler instead of their
/// default actions, until cancelled.
final class SignalSources: @unchecked Sendable {
    static let handled: [Int32] = [SIGTERM, SIGINT, SIGUSR1, SIGUSR2]

    // Only touched in init and cancel(), which the owning actor serialises.
    private var sources: [any DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "firedrill.sandbox.signals")

    init(handler: @escaping @Sendable (Int32) -> Void) {
        for number in Self.handled {
            // The disposition must be "ignore" so the default action (exit) does not run.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(number) }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
        sources.removeAll()
        for number in Self.handled { signal(number, SIG_DFL) }
    }
}
