import Synchronization

/// The parameter names drivers read, by driver key, so a test can check that a driver reads exactly the parameters
/// it declares. Bind it with `ParamReadLog.$current.withValue(log) { … }`; every `DriverParams` made inside
/// records its reads into it. Outside such a scope nothing is recorded.
public final class ParamReadLog: Sendable {
    @TaskLocal public static var current: ParamReadLog?

    private let names = Mutex<[String: Set<String>]>([:])

    public init() {}

    func record(_ key: String, _ name: String) {
        names.withLock { $0[key, default: []].insert(name) }
    }

    /// Every parameter name `key`'s driver read, declared or not.
    public func read(by key: String) -> Set<String> {
        names.withLock { $0[key] ?? [] }
    }
}
