/// Resolves `vars:` that reference other vars (`dsn: "postgresql://${host}/app"`), once, when the plan is loaded.
///
/// Each value has its `${name}` references to other vars replaced by their resolved values; every other reference
/// (`${env.…}`, `${secret.…}`, `${steps.…}`, an undefined var) stays as written. Vars that reference each other in
/// a cycle keep their references as written, and the cycle is returned so the loader can report it.
public struct VariableGraph: Sendable {
    /// The raw values, command-line overrides already applied, by name.
    public var raw: [String: String]
    /// Declaration order, so results and cycles are reported in the order the plan reads.
    public var order: [String]

    public init(raw: [String: String], order: [String]) {
        self.raw = raw
        self.order = order
    }

    public struct Resolution: Sendable {
        public var values: [String: String]
        /// Each cycle once, as the names in reference order, starting with its first-declared member and ending
        /// with it again (`a → b → a`).
        public var cycles: [[String]]
    }

    /// The names `text` references as plain vars, in order, without repeats.
    static func references(_ text: String) -> [String] {
        var seen: [String] = []
        for ref in Interpolation.references(in: text).refs {
            if case .variable(let name) = ref.target, !seen.contains(name) { seen.append(name) }
        }
        return seen
    }

    public func resolve() -> Resolution {
        enum State { case visiting, done }
        var state: [String: State] = [:]
        var values: [String: String] = [:]
        var cycles: [[String]] = []
        var cyclic: Set<String> = []
        let names = order + raw.keys.filter { !order.contains($0) }.sorted()

        // Iterative depth-first walk: a hostile plan may chain thousands of vars, deeper than the stack allows.
        for root in names where state[root] == nil {
            var stack: [(name: String, pending: [String])] = [(root, Self.references(raw[root] ?? ""))]
            state[root] = .visiting
            while let top = stack.last {
                if let next = top.pending.first {
                    stack[stack.count - 1].pending.removeFirst()
                    guard raw[next] != nil else { continue }
                    switch state[next] {
                    case .visiting?:
                        let path = stack.map(\.name)
                        if let start = path.firstIndex(of: next) {
                            let cycle = Array(path[start...]) + [next]
                            let members = Set(cycle)
                            if !cycles.contains(where: { Set($0) == members }) { cycles.append(Self.rotated(cycle, order: names)) }
                            cyclic.formUnion(members)
                        }
                    case .done?:
                        break
                    case nil:
                        state[next] = .visiting
                        stack.append((next, Self.references(raw[next] ?? "")))
                    }
                    continue
                }
                stack.removeLast()
                state[top.name] = .done
                let text = raw[top.name] ?? ""
                values[top.name] = cyclic.contains(top.name) ? text : Interpolation.substitute(text) { target in
                    guard case .variable(let name) = target, !cyclic.contains(name) else { return nil }
                    return values[name]
                }
            }
        }
        return Resolution(values: values, cycles: cycles)
    }

    /// The cycle `[b, c, a, b]` started at its earliest-declared member: `[a, b, c, a]`.
    static func rotated(_ cycle: [String], order: [String]) -> [String] {
        let ring = Array(cycle.dropLast())
        guard let first = ring.min(by: { (order.firstIndex(of: $0) ?? .max) < (order.firstIndex(of: $1) ?? .max) }),
              let at = ring.firstIndex(of: first) else { return cycle }
        let turned = Array(ring[at...] + ring[..<at])
        return turned + [first]
    }
}
