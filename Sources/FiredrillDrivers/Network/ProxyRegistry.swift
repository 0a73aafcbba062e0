import Synchronization

/// The proxies running in this process, by name: later `set:` / `clear:` steps and the undo find them here.
/// `firedrill recover` runs in a fresh process, where this is empty: a proxy never outlives its runner.
enum ProxyRegistry {
    private static let running = Mutex<[String: RunningProxy]>([:])

    static func find(_ name: String) -> RunningProxy? {
        running.withLock { $0[name] }
    }

    /// Registers `proxy`; false when one of that name already runs.
    static func add(_ proxy: RunningProxy) -> Bool {
        running.withLock { map in
            if map[proxy.proxy.name] != nil { return false }
            map[proxy.proxy.name] = proxy
            return true
        }
    }

    static func remove(_ proxy: RunningProxy) {
        running.withLock { map in
            if map[proxy.proxy.name] === proxy { map[proxy.proxy.name] = nil }
        }
    }
}
