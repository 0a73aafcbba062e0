/// Runs one probe spec: resolves its parameters, applies its timeout, retries through `attempts`, requires
/// `consecutive` passes, and judges each observation against `expect`.
public struct ProbeRunner: Sendable {
    public let drivers: any DriverSet
    public let resolver: Resolver
    public let context: @Sendable (String, Duration) -> DriverContext

    public init(drivers: any DriverSet, resolver: Resolver, context: @escaping @Sendable (String, Duration) -> DriverContext) {
        self.drivers = drivers
        self.resolver = resolver
        self.context = context
    }

    /// One execution and judgement, without retries: what guards and the `recovered` loop use.
    public func once(_ spec: ProbeSpec, role: String = "steady-state") async -> ProbeResult {
        let clock = ContinuousClock()
        let start = clock.now
        let timeout = spec.timeout ?? Self.defaultTimeout(spec.call)
        guard let driver = drivers.probe(spec.call.key) else {
            return ProbeResult(probe: spec.name, passed: false, observed: nil, message: "no probe driver for `\(spec.call.key)` in this build",
                               expected: nil, attempts: 1, duration: clock.now - start)
        }
        let params = resolver.resolve(spec.call.params)
        var probeContext = context(spec.name, timeout)
        probeContext.role = role
        let ctx = probeContext
        do {
            let observation = try await withTimeout(timeout, what: "probe \(spec.name)") {
                try await driver.observe(params, context: ctx)
            }
            let (passed, message, expected) = judge(spec, observation)
            return ProbeResult(probe: spec.name, passed: passed, observed: observation.value, message: ctx.mask(message),
                               expected: expected, attempts: 1, duration: clock.now - start)
        } catch is CancellationError {
            return ProbeResult(probe: spec.name, passed: false, observed: nil, message: "cancelled", expected: nil, attempts: 1, duration: clock.now - start)
        } catch {
            return ProbeResult(probe: spec.name, passed: false, observed: nil, message: ctx.mask(String(describing: error)),
                               expected: spec.expectNode.map { resolver.display($0).inline }, attempts: 1, duration: clock.now - start)
        }
    }

    /// Tells the probe's driver that a watch of `spec` in `role` has ended (see `ProbeDriver.release`).
    public func release(_ spec: ProbeSpec, role: String) async {
        guard let driver = drivers.probe(spec.call.key) else { return }
        var probeContext = context(spec.name, spec.timeout ?? Self.defaultTimeout(spec.call))
        probeContext.role = role
        await driver.release(resolver.resolve(spec.call.params), context: probeContext)
    }

    /// The full steady-state semantics: `initial-delay`, then up to `attempts` executions `every` apart until
    /// `consecutive` passes in a row are seen.
    public func run(_ spec: ProbeSpec, role: String = "steady-state", onResult: @Sendable (ProbeResult) async -> Void = { _ in }) async throws -> ProbeResult {
        let clock = ContinuousClock()
        let start = clock.now
        if spec.initialDelay > .zero { try await Task.sleep(for: spec.initialDelay) }
        var streak = 0
        var last: ProbeResult?
        let maxRuns = max(spec.attempts, spec.consecutive)
        for attempt in 1...maxRuns {
            try Task.checkCancellation()
            var result = await once(spec, role: role)
            result.attempts = attempt
            await onResult(result)
            last = result
            streak = result.passed ? streak + 1 : 0
            if streak >= spec.consecutive { break }
            let remainingNeeded = spec.consecutive - streak
            if maxRuns - attempt < remainingNeeded, !result.passed, attempt >= spec.attempts { break }
            if attempt < maxRuns { try await Task.sleep(for: spec.every) }
        }
        var final = last!
        final.passed = streak >= spec.consecutive
        final.duration = clock.now - start
        if !final.passed, spec.consecutive > 1, last?.passed == true {
            final.message += " (only \(streak) of \(spec.consecutive) consecutive passes)"
        }
        return final
    }

    func judge(_ spec: ProbeSpec, _ observation: Observation) -> (Bool, String, String?) {
        var tolerance = spec.expect
        let fields = spec.call.spec?.observedFields(spec.call.params) ?? []
        var expectedText = spec.expectNode.map { resolver.display($0).inline }
        if let node = spec.expectNode, node.scalar?.contains("${") == true || node.inline.contains("${") {
            let resolved = resolver.resolve(node)
            let (t, diags) = Tolerance.parse(resolved)
            if t == nil || !diags.isEmpty {
                return (false, "expect `\(resolved.inline)` is not a valid tolerance after substitution", expectedText)
            }
            if let t, let problem = ExpectCheck.problems(t, driver: spec.call.key, fields: fields).first {
                let hint = problem.hint.map { " (\($0))" } ?? ""
                return (false, "expect `\(resolved.inline)`: \(problem.message)\(hint)", expectedText)
            }
            tolerance = t
            expectedText = resolver.display(node).inline
        }
        guard let tolerance else {
            return (observation.ok, observation.summary, nil)
        }
        let judgement = tolerance.judge(observation.value, label: spec.call.key, fields: fields)
        var message = judgement.passed ? observation.summary : judgement.message
        // A failed observation's own words (a refused connection, a TLS verify error) say why the fields are off.
        if !judgement.passed, !observation.ok, !observation.summary.isEmpty, !message.contains(observation.summary) {
            message += " — " + observation.summary
        }
        return (judgement.passed, message, judgement.expected.isEmpty ? expectedText : judgement.expected)
    }

    public static func defaultTimeout(_ call: DriverCall) -> Duration {
        call.spec?.defaultTimeoutDuration ?? .seconds(30)
    }
}
