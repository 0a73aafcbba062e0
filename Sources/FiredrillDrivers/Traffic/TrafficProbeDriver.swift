import FiredrillCore
import Foundation

/// The `traffic` probe: a stream of requests to one URL, open-loop at `rate` (latency counted from each request's
/// intended send instant) or closed-loop at `concurrency`, measured with HdrHistogram.
///
/// - As a steady-state or `verify` probe, one execution sends for `for` and reports on all of it.
/// - As a guard or `recovered` probe, the first execution starts a stream that keeps running between
///   executions; each execution reports on the last `window` (whole seconds), so `success: ">= 99%"` reads
///   "the last ten seconds were at least 99% successful". The stream stops when the watch ends.
///
/// Observes `success` (percent), `requests`, `ok`, `errors`, `p50`, `p95`, `p99`, `max` (seconds, failed requests
/// included), `rate` (requests per second), `error-kinds` (`connection refused`, `timed out`, `5xx`…) and
/// `statuses`. A request counts when its outcome is known, so a request still stuck counts once its
/// `request-timeout` ends it. Without an `expect`, the probe passes when at least 99% of requests succeeded.
public struct TrafficProbeDriver: ProbeDriver, DeclaredDriver {
    static let key = "traffic"

    public static let spec = DriverSpec(
        key, role: .probe, "A stream of HTTP requests: success ratio and latency percentiles (HdrHistogram), open-loop at a rate (latency from each request's intended send instant) or closed-loop at a concurrency. A guard judges a sliding `window`; without `expect`, at least 99% must succeed.",
        timeout: "10m",
        params: [
            ParamSpec("url", .url, required: true, "the URL to request"),
            ParamSpec("method", .enumeration(["GET", "HEAD", "POST"]), default: "GET", "HTTP method"),
            ParamSpec("headers", .stringMap, "request headers"),
            ParamSpec("rate", .rate, "open-loop: requests per second, timed from their intended send instant"),
            ParamSpec("concurrency", .integer(min: 1, max: 4096), "closed-loop: requests in flight at once"),
            ParamSpec("for", .duration, default: "10s", "how long a steady-state measurement runs"),
            ParamSpec("window", .duration, default: "10s", "as a guard: the sliding window judged each time"),
            ParamSpec("request-timeout", .duration, default: "2s", "timeout of each request"),
            ParamSpec("success-status", .stringList, default: "[200-399]", "status codes or ranges that count as success"),
        ] + TLSParams.all,
        rules: [.exactlyOne(["rate", "concurrency"])],
        fields: [
            ProbeField("success", .percent, "share of requests that succeeded"),
            ProbeField("requests", .count, "requests whose outcome is known"),
            ProbeField("ok", .count, "requests that succeeded"),
            ProbeField("errors", .count, "requests that failed"),
            ProbeField("p50", .duration, "median latency, failed requests included"),
            ProbeField("p95", .duration, "95th percentile latency"),
            ProbeField("p99", .duration, "99th percentile latency"),
            ProbeField("max", .duration, "slowest request"),
            ProbeField("rate", .rate, "requests per second achieved"),
            ProbeField("seconds", .duration, "the span the figures cover"),
            ProbeField("error-kinds", .object, "failed requests by kind (`connection refused`, `timed out`, `5xx`…)"),
            ProbeField("statuses", .object, "responses by status code"),
        ]
    )
    /// Open-loop requests in flight at most; later due requests wait, their latency still running.
    static let maxInFlight = 4096
    /// The verdict without an `expect`.
    static let defaultSuccessPercent = 99.0

    public init() {}

    struct Setup: Sendable {
        var request: HTTPRequest
        var mode: TrafficLoad.Mode
        var measureFor: Duration
        var window: Duration
        var success: StatusRanges
        var threads: Int
        var streamKey: String
    }

    public func observe(_ params: PlanNode, context: DriverContext) async throws -> Observation {
        let setup = try Self.setup(params, context: context)
        let clock = ContinuousClock()
        let summary: TrafficSummary
        if Self.streams(context.role) {
            let (load, started) = TrafficStreams.shared.stream(setup.streamKey) {
                TrafficLoad(request: setup.request, mode: setup.mode, threads: setup.threads, maxInFlight: Self.inFlight(setup.mode),
                            success: setup.success, recorder: TrafficRecorder(origin: clock.now, window: setup.window), deadline: nil)
            }
            if started {
                context.progress("\(context.name): traffic stream to \(context.mask(setup.request.url)) started")
                try await Task.sleep(for: min(setup.window, .seconds(1)))
            }
            summary = load.recorder.window(setup.window, now: clock.now)
        } else {
            let start = clock.now
            let deadline = start + setup.measureFor
            let load = TrafficLoad(request: setup.request, mode: setup.mode, threads: setup.threads, maxInFlight: Self.inFlight(setup.mode),
                                   success: setup.success, recorder: TrafficRecorder(origin: start), deadline: deadline)
            _ = await withTaskCancellationHandler {
                await load.finished()
            } onCancel: {
                load.stop()
            }
            try Task.checkCancellation()
            summary = load.recorder.total(now: min(clock.now, deadline))
        }
        let ok = (summary.success ?? 0) >= Self.defaultSuccessPercent
        return Observation(value: summary.json, summary: context.mask("\(Self.describe(setup)): \(summary.line)"), ok: ok)
    }

    public func release(_ params: PlanNode, context: DriverContext) async {
        guard Self.streams(context.role), let setup = try? Self.setup(params, context: context) else { return }
        // The whole stream is the availability of the whole fault window (repeated faults included), from every
        // request's outcome rather than an average of windows.
        guard let total = await TrafficStreams.shared.stop(setup.streamKey) else { return }
        var data = total.json
        if case .object(var fields) = data {
            fields["role"] = .string(context.role)
            fields["line"] = .string(context.mask(total.line))
            data = .object(fields)
        }
        await context.record(.trafficTotal, data)
    }

    /// Guards and `recovered` probes keep a stream between executions; other roles measure once.
    static func streams(_ role: String) -> Bool {
        role == "guard" || role == "recovered"
    }

    static func inFlight(_ mode: TrafficLoad.Mode) -> Int {
        if case .closed(let concurrency) = mode { return concurrency }
        return maxInFlight
    }

    static func describe(_ setup: Setup) -> String {
        switch setup.mode {
        case .closed(let concurrency): return "\(setup.request.method) \(setup.request.url), \(concurrency) in flight"
        case .open(let rate): return "\(setup.request.method) \(setup.request.url) at \(Rate(perSecond: rate))"
        }
    }

    static func setup(_ params: PlanNode, context: DriverContext) throws -> Setup {
        let p = Self.params(params)
        let url = try p.string("url")
        let method = HTTPMethod(rawValue: p.text("method") ?? "GET")
        var headers: [HTTPHeader] = []
        for (name, value) in p.map("headers") { headers.append(HTTPHeader(name: name, value: value)) }
        let requestTimeout = try p.duration("request-timeout") ?? .seconds(2)
        guard requestTimeout > .zero else { throw DriverError(key, "`request-timeout` must be above zero") }
        let tls = TLSOptions(verifyPeer: p.has("tls-verify") ? try p.bool("tls-verify") : true,
                             verifyHost: p.has("tls-verify") ? try p.bool("tls-verify") : true,
                             caFile: p.optionalString("ca-file"), clientCert: p.optionalString("client-cert"),
                             clientKey: p.optionalString("client-key"))
        let request = HTTPRequest(method: method, url: url, headers: headers, body: method == .post ? Data() : nil,
                                  timeout: requestTimeout, tls: tls)
        if let problem = request.validationProblem() { throw DriverError(key, "`url`: \(problem)") }

        let mode: TrafficLoad.Mode
        switch (try p.rate("rate")?.perSecond, try p.int("concurrency")) {
        case (let rate?, nil):
            guard rate > 0, rate <= 1_000_000 else { throw DriverError(key, "`rate` must be above zero and at most 1000000/s") }
            mode = .open(rate: rate)
        case (nil, let concurrency?):
            guard (1...4096).contains(concurrency) else { throw DriverError(key, "`concurrency` must be 1–4096") }
            mode = .closed(concurrency: concurrency)
        default:
            throw DriverError(key, "give exactly one of `rate` (open loop) and `concurrency` (closed loop)")
        }
        let measureFor = try p.duration("for") ?? .seconds(10)
        let window = try p.duration("window") ?? .seconds(10)
        guard measureFor > .zero, window > .zero else { throw DriverError(key, "`for` and `window` must be above zero") }
        let success: StatusRanges
        switch StatusRanges.parse(p.list("success-status") ?? ["200-399"]) {
        case .success(let ranges): success = ranges
        case .failure(let error): throw DriverError(key, error.description)
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let threads: Int
        switch mode {
        case .closed(let concurrency): threads = concurrency >= 8 ? max(1, min(cores, 4)) : 1
        case .open(let rate): threads = rate > 5000 ? max(1, min(cores, 4)) : 1
        }
        let streamKey = [context.name, method.rawValue, url, "\(mode)", "\(window)"].joined(separator: "\u{1F}")
        return Setup(request: request, mode: mode, measureFor: measureFor, window: window, success: success,
                     threads: threads, streamKey: streamKey)
    }
}
