/// Why a test Prometheus server could not be set up or did not do what the test waits for. Tests that need it fail
/// with this message; they never skip.
public enum PrometheusFixtureError: Error, Sendable, CustomStringConvertible {
    /// No `prometheus` program in any of the places listed.
    case binaryNotFound(searched: [String])
    /// The program could not be started, or ended before it was ready; `log` is the end of its output.
    case startFailed(binary: String, reason: String, log: String)
    /// Still not answering `GET /-/ready` with 200 when the time was up.
    case notReady(port: Int, seconds: Double, log: String)
    /// The target was not scraped successfully in time; `detail` is what Prometheus says about it.
    case notScraped(target: String, seconds: Double, detail: String)
    case system(what: String, detail: String)

    static let installHint = "install Debian's `prometheus` package (`scripts/install-deps.sh test`, or `apt-get install prometheus`) "
        + "or set FIREDRILL_PROMETHEUS_BIN to a prometheus binary"

    public var description: String {
        switch self {
        case .binaryNotFound(let searched):
            return "the prometheus server program was not found; looked at: \(searched.joined(separator: ", ")). \(Self.installHint)"
        case .startFailed(let binary, let reason, let log):
            return "\(binary) could not be started: \(reason). \(Self.installHint)" + (log.isEmpty ? "" : "\nEnd of its output:\n\(log)")
        case .notReady(let port, let seconds, let log):
            return "Prometheus on 127.0.0.1:\(port) did not answer GET /-/ready with 200 within \(seconds) s; end of its output:\n\(log)"
        case .notScraped(let target, let seconds, let detail):
            return "Prometheus did not scrape \(target) successfully within \(seconds) s: \(detail)"
        case .system(let what, let detail):
            return "\(what) failed: \(detail)"
        }
    }
}
