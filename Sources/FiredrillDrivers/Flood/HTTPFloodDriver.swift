import FiredrillCore
import Foundation

/// `flood.http`: sends requests to `url` for `for`, either open-loop at `rate` (requests start on schedule
/// whatever the server does) or closed-loop with `concurrency` requests always in flight. A response with a
/// status below 400 is ok; a status of 400 or more, or no response at all, is an error.
///
/// The `flood.release` undo ("requests stopped") is journaled first. When `for` ends, or the step is
/// cancelled, requests still in flight are cancelled and not counted.
public struct HTTPFloodDriver: StepDriver, DeclaredDriver {
    static let key = "flood.http"

    public static let spec = DriverSpec(
        key, role: .step, "Sends a flood of HTTP requests.",
        timeout: "none",
        params: [
            ParamSpec("url", .url, required: true, "the URL to request"),
            ParamSpec("method", .enumeration(["GET", "HEAD", "POST"]), default: "GET", "HTTP method"),
            ParamSpec("rate", .rate, "requests per second"),
            ParamSpec("concurrency", .integer(min: 1, max: 4096), "requests in flight at once"),
            ParamSpec("for", .duration, required: true, "how long the flood lasts"),
        ],
        rules: [.exactlyOne(["rate", "concurrency"])],
        undo: "requests stopped"
    )

    /// In-flight requests at most in rate mode; beyond it, scheduled requests are skipped and counted.
    static let maxInFlight = 4096

    public init() {}

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = Self.params(params)
        let url = try p.string("url")
        let method = HTTPMethod(p.text("method") ?? "GET")
        guard let duration = try p.duration("for"), duration > .zero else { throw DriverError(Self.key, "`for` must be a positive duration") }
        let rate = try p.rate("rate")?.perSecond
        let concurrency = try p.int("concurrency")
        guard rate != nil || concurrency != nil else { throw DriverError(Self.key, "needs `rate` or `concurrency`") }
        if let rate, rate <= 0 { throw DriverError(Self.key, "`rate` must be above zero") }
        let request = HTTPRequest(method: method, url: url, body: method == .post ? Data() : nil,
                                  timeout: min(duration, .seconds(10)))
        if let problem = request.validationProblem() { throw DriverError(Self.key, "`url`: \(problem)") }

        let threads = concurrency ?? min(Self.maxInFlight, max(8, ((rate ?? 1) * 2).clampedInt))
        let client = HTTPClient(maxConcurrentTransfers: threads, idleTimeout: .seconds(2))
        let counters = HTTPFloodCounters()
        let token = try await context.willApply(UndoAction(key: FloodReleaseUndo.key, params: ["url": .string(url)],
                                                           description: "stop the requests to \(url)"))
        let started = ContinuousClock.now
        let deadline = started + duration
        if let concurrency {
            await Self.closedLoop(client: client, request: request, workers: concurrency, deadline: deadline, counters: counters)
        } else if let rate {
            await Self.openLoop(client: client, request: request, rate: rate, deadline: deadline, counters: counters)
        }
        let elapsed = started.duration(to: .now)
        let cancelled = Task.isCancelled
        try? await context.didUndo(token, cancelled ? "requests stopped: the step was cancelled" : "requests stopped after \(DurationSyntax.format(duration))")
        if cancelled { throw CancellationError() }

        let counted = counters.snapshot
        let output: JSONValue = [
            "requests": .number(Double(counted.requests)), "ok": .number(Double(counted.ok)), "errors": .number(Double(counted.errors)),
            "skipped": .number(Double(counted.skipped)), "seconds": .number(elapsed.seconds),
            "rate-achieved": .number(elapsed.seconds > 0 ? Double(counted.requests) / elapsed.seconds : 0),
            "statuses": .object(Dictionary(uniqueKeysWithValues: counted.statuses.map { (String($0.key), JSONValue.number(Double($0.value))) })),
            "failures": .object(counted.failures.mapValues { .number(Double($0)) }),
        ]
        let mode = concurrency.map { "\($0) in flight" } ?? "\(rate.map { Rate(perSecond: $0).description } ?? "")"
        var line = "\(counted.requests) requests to \(url) in \(DurationSyntax.format(duration)) (\(mode)): \(counted.ok) ok, \(counted.errors) errors"
        if counted.skipped > 0 { line += ", \(counted.skipped) skipped" }
        return StepOutcome(output: output, summary: line)
    }

    static func send(_ client: HTTPClient, _ request: HTTPRequest, counters: HTTPFloodCounters) async {
        do {
            let response = try await client.send(request)
            counters.response(response.status)
        } catch {
            if error.kind != .cancelled { counters.failure(error.kind.description) }
        }
    }

    /// `workers` senders, each sending its next request as soon as the previous one ends.
    static func closedLoop(client: HTTPClient, request: HTTPRequest, workers: Int, deadline: ContinuousClock.Instant,
                           counters: HTTPFloodCounters) async {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    while ContinuousClock.now < deadline && !Task.isCancelled {
                        await send(client, request, counters: counters)
                    }
                }
            }
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// Starts requests on a fixed schedule of `rate` per second, in batches every few milliseconds.
    static func openLoop(client: HTTPClient, request: HTTPRequest, rate: Double, deadline: ContinuousClock.Instant,
                         counters: HTTPFloodCounters) async {
        let start = ContinuousClock.now
        let tick = Duration.milliseconds(max(1, min(20, (1000 / rate).clampedInt)))
        await withDiscardingTaskGroup { group in
            var launched = 0
            while !Task.isCancelled {
                let now = ContinuousClock.now
                if now >= deadline { break }
                let due = (start.duration(to: now).seconds * rate).clampedInt &+ 1
                while launched < due {
                    launched += 1
                    guard counters.begin(limit: maxInFlight) else {
                        counters.skip()
                        continue
                    }
                    group.addTask {
                        await send(client, request, counters: counters)
                        counters.end()
                    }
                }
                try? await Task.sleep(for: tick)
            }
            group.cancelAll()
        }
    }
}
