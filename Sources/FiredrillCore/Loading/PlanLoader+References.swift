extension PlanLoader {
    static let stepSections = ["method", "rollbacks", "disaster", "recovery", "failback"]

    /// Records every named step before anything else is checked, so `${steps.NAME…}` can be resolved and
    /// duplicate names reported at the second occurrence.
    ///
    /// Named steady-state probes are collected too: their baseline observation is what a later check compares
    /// against (`expect: ">= ${steps.baseline-orders.value}"`), so they share the steps' namespace.
    mutating func collectStepNames(_ root: PlanNode) {
        if let probes = root["steady-state"]?.sequence {
            collectStepNames(probes)
        }
        for section in Self.stepSections {
            guard let items = root[section]?.sequence else { continue }
            collectStepNames(items)
        }
    }

    private mutating func collectStepNames(_ items: [PlanNode]) {
        for item in items {
            if let nameNode = item["name"], let name = nameNode.scalar {
                if let first = stepNames[name] {
                    error(nameNode.location, "duplicate step name `\(name)` (first used at line \(first.line))",
                          hint: "names of steps and steady-state probes must be unique: reports and `${steps.\(name)…}` refer to them",
                          length: name.count)
                } else {
                    stepNames[name] = nameNode.location
                }
            }
            if let nested = item["parallel"] {
                collectStepNames(nested.sequence ?? nested["steps"]?.sequence ?? [])
            }
        }
    }

    /// Reports every `--var` that names no var of the plan: a mistyped name would otherwise be ignored and the run
    /// would go to the plan's default.
    mutating func checkOverrides(_ root: PlanNode, declared: Set<String>) {
        let known = declared.union(referencedVariables)
        let at = root.entry("vars")?.keyLocation ?? SourceLocation(file: path, line: 1, column: 1)
        for name in overrides.keys.sorted() where !known.contains(name) {
            let hint = Suggestion.hint(for: name, in: known.sorted())
                ?? (known.isEmpty ? "this plan has no vars" : "the plan's vars: \(known.sorted().joined(separator: ", "))")
            error(at, "`--var \(name)=…` names no var of this plan", hint: hint)
        }
    }

    /// Checks every `${…}` in the document against vars, secrets and step names.
    mutating func checkReferences(_ node: PlanNode) {
        switch node.content {
        case .scalar(let text, let quoted):
            guard text.contains("${") else { return }
            let (refs, problems) = Interpolation.references(in: text)
            let singleLine = !text.contains("\n")
            func at(_ offset: Int) -> SourceLocation {
                var l = node.location
                if singleLine { l.column += offset + (quoted ? 1 : 0) }
                return l
            }
            if refs.count > Interpolation.maxReferences {
                error(node.location, "this value holds \(refs.count) references; a value may hold at most \(Interpolation.maxReferences)",
                      hint: "a plan value with this many `${…}` is almost certainly a mistake")
                return
            }
            for p in problems.prefix(PlanLoader.maxDiagnostics) { error(at(p.offset), p.message) }
            if Interpolation.expand(text, { target in
                if case .variable(let name) = target { return variables[name] }
                return nil
            }).overflowed {
                error(node.location, "this value grows past \(ByteSize(bytes: Int64(Interpolation.maxExpandedBytes))) once its vars are substituted",
                      hint: "a plan value this long is almost certainly a mistake; reference fewer or shorter vars")
            }
            for ref in refs {
                if case .variable(let name) = ref.target { referencedVariables.insert(name) }
                switch ref.target {
                case .variable(let name) where variables[name] == nil:
                    let hint = Suggestion.hint(for: name, in: Array(variables.keys))
                        ?? (variables.isEmpty ? "declare it under `vars:` or pass `--var \(name)=…`" : "declared vars: \(variables.keys.sorted().joined(separator: ", "))")
                    error(at(ref.offset), "undefined var `\(name)` in `${\(ref.expression)}`", hint: hint, length: ref.length)
                case .secret(let name) where !secretNames.contains(name):
                    error(at(ref.offset), "undefined secret `\(name)` in `${\(ref.expression)}`",
                          hint: Suggestion.hint(for: name, in: Array(secretNames)) ?? "declare it under `secrets:` as `\(name): { env: VAR }`", length: ref.length)
                case .step(let name, _) where stepNames[name] == nil:
                    error(at(ref.offset), "`${\(ref.expression)}` names no step `\(name)`",
                          hint: Suggestion.hint(for: name, in: Array(stepNames.keys)) ?? "only named steps can be referenced", length: ref.length)
                default:
                    break
                }
            }
        case .sequence(let items):
            for item in items { checkReferences(item) }
        case .mapping(let entries):
            for entry in entries { checkReferences(entry.value) }
        }
    }
}
