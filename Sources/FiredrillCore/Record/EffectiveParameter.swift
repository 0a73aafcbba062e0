/// One var as the run used it: its value after `--var` overrides, with the plan's own value beside an override.
/// Values are journaled as written (a `${secret.NAME}` reference stays a reference, never the secret), and the
/// journal masks any secret value that appears in them.
public struct EffectiveParameter: Sendable, Hashable {
    public var name: String
    /// The value the run used.
    public var value: String
    /// The value in the plan file; nil when the plan does not declare the var (set by `--var` only).
    public var planValue: String?
    /// Whether `--var` set it.
    public var overridden: Bool
    /// Whether the value refers to a secret (`${secret.NAME}`).
    public var secretReference: Bool

    public init(name: String, value: String, planValue: String?, overridden: Bool, secretReference: Bool) {
        self.name = name
        self.value = value
        self.planValue = planValue
        self.overridden = overridden
        self.secretReference = secretReference
    }

    /// The plan's vars after `overrides`, in plan order, then overrides of vars the plan does not declare.
    public static func of(_ plan: Plan, overrides: [String: String]) -> [EffectiveParameter] {
        var result = plan.vars.map { v in
            let overridden = overrides[v.name] != nil
            let value = overrides[v.name] ?? v.value
            return EffectiveParameter(name: v.name, value: value, planValue: overridden ? v.planValue : v.value,
                                      overridden: overridden, secretReference: refersToSecret(value))
        }
        let declared = Set(plan.vars.map(\.name))
        for (name, value) in overrides.sorted(by: { $0.key < $1.key }) where !declared.contains(name) {
            result.append(EffectiveParameter(name: name, value: value, planValue: nil, overridden: true, secretReference: refersToSecret(value)))
        }
        return result
    }

    static func refersToSecret(_ text: String) -> Bool {
        Interpolation.references(in: text).refs.contains {
            if case .secret = $0.target { return true }
            return false
        }
    }

    public var json: JSONValue {
        .object([
            "name": .string(name), "value": .string(value), "plan-value": planValue.map { .string($0) } ?? .null,
            "overridden": .bool(overridden), "secret-reference": .bool(secretReference),
        ])
    }
}
