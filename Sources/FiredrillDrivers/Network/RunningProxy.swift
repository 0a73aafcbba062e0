import FiredrillCore
import Foundation
import Synchronization

/// A proxy started by a `network.proxy` step, with the context it journals through: its counters every
/// `report-every` while it runs, and once more when it stops.
final class RunningProxy: Sendable {
    let proxy: TCPProxy
    /// Unique to this start, so an undo never stops a later proxy of the same name.
    let instance: String
    let listen: String
    let context: DriverContext
    let started = ProxySocket.now()
    private let ticker = Mutex<Task<Void, Never>?>(nil)
    private let finished = Mutex<ProxyCounters.Values?>(nil)

    init(proxy: TCPProxy, instance: String, listen: String, context: DriverContext) {
        self.proxy = proxy
        self.instance = instance
        self.listen = listen
        self.context = context
    }

    /// Journals the counters every `every` until stopped.
    func startReporting(every: Duration) {
        let task = Task { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: every)
                if Task.isCancelled || proxy.isStopped { break }
                await context.record(.proxyCounters, eventData(proxy.counters.snapshot, final: false))
                context.progress("proxy \(proxy.name): \(proxy.counters.snapshot.summary)")
            }
        }
        ticker.withLock { $0 = task }
    }

    /// Stops the proxy (once), journals its final counters and returns them.
    func stop() async -> ProxyCounters.Values {
        if let done = finished.withLock({ $0 }) { return done }
        ticker.withLock { $0?.cancel() }
        let proxy = self.proxy
        let values = await withCheckedContinuation { (continuation: CheckedContinuation<ProxyCounters.Values, Never>) in
            let thread = Thread { continuation.resume(returning: proxy.stop()) }
            thread.name = "network.proxy stop"
            thread.start()
        }
        let first = finished.withLock { f -> Bool in
            if f != nil { return false }
            f = values
            return true
        }
        ProxyRegistry.remove(self)
        if first { await context.record(.proxyCounters, eventData(values, final: true)) }
        return values
    }

    func eventData(_ values: ProxyCounters.Values, final: Bool) -> JSONValue {
        var data = values.json.objectValue ?? [:]
        data["proxy"] = .string(proxy.name)
        data["listen"] = .string(listen)
        data["upstream"] = .string(proxy.upstream.display)
        data["seconds"] = .number((Double(ProxySocket.now() - started) / 1e6).rounded() / 1e3)
        data["final"] = .bool(final)
        var toxics: [String: JSONValue] = [:]
        for (direction, set) in proxy.allToxics { toxics[direction.rawValue] = set.json }
        data["set"] = .object(toxics)
        return .object(data)
    }
}
