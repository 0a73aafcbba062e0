/// Why a `RedisFixture` could not start. A missing `redis-server` is an error: the tests fail, they do not skip.
public enum RedisFixtureError: Error, CustomStringConvertible {
    case binaryNotFound(searched: [String])
    case startFailed(reason: String, log: String)
    case notReady(port: Int, log: String)

    public var description: String {
        switch self {
        case .binaryNotFound(let searched):
            return "redis-server not found (searched \(searched.joined(separator: ", "))); install Debian's redis-server (scripts/install-deps.sh test) or set FIREDRILL_REDIS_SERVER_BIN"
        case .startFailed(let reason, let log):
            return "redis-server did not start: \(reason)\n\(log)"
        case .notReady(let port, let log):
            return "redis-server on 127.0.0.1:\(port) did not answer PING in time\n\(log)"
        }
    }
}
