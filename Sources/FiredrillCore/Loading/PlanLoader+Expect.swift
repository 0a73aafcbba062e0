extension PlanLoader {
    /// Checks a probe's `expect` map against the fields its driver declares (see `ExpectCheck`): an unknown key is
    /// an error at the key, with "did you mean"; a tolerance that could be misread (`latency: "< 200"`) is an error
    /// at the value. A tolerance that still holds a `${…}` has only its keys checked here; its value is checked
    /// when the run knows it.
    mutating func checkExpect(_ node: PlanNode, tolerance: Tolerance?, call: DriverCall) {
        guard let spec = call.spec else { return }
        let fields = spec.observedFields(call.params)
        guard let checked = tolerance ?? Self.keysOnly(node) else { return }
        for problem in ExpectCheck.problems(checked, driver: call.key, fields: fields) {
            guard let key = problem.key, let entry = node.entry(key) else {
                error(node.location, problem.message, hint: problem.hint)
                continue
            }
            if problem.atKey {
                error(entry.keyLocation, "`expect`: " + problem.message, hint: problem.hint, length: key.count)
            } else {
                error(entry.value.location, "`expect`: " + problem.message, hint: problem.hint, length: Self.scalarLength(entry.value))
            }
        }
    }

    /// The keys of an `expect` map with tolerances that check nothing, so only the keys are judged.
    private static func keysOnly(_ node: PlanNode) -> Tolerance? {
        guard let entries = node.entries else { return nil }
        return .fields(entries.map { entry in
            let selector = (try? JSONPath.parse(entry.key)).map(FieldTolerance.Selector.path) ?? .field(entry.key)
            return FieldTolerance(selector: entry.key.hasPrefix("$") ? selector : .field(entry.key), tolerance: .regex(""))
        })
    }

    private static func scalarLength(_ node: PlanNode) -> Int {
        guard case .scalar(let text, let quoted) = node.content else { return 1 }
        return text.prefix { !$0.isNewline }.count + (quoted ? 2 : 0)
    }
}
