/// What the production gate decided for one run, journaled in `run.started` and shown in every report.
public struct GateDecision: Sendable, Hashable {
    /// The environment after `${…}` substitution, trimmed: what the run records.
    public var environment: String
    /// The protected pattern the environment matched, if any.
    public var protectedBy: String?
    /// Whether `--allow-production` was given.
    public var allowProduction: Bool
    /// Who started the run (`user@host`).
    public var operatorName: String
    /// The live-context checks of the environment binding, in the order they ran.
    public var bindingChecks: [BindingObservation]

    public init(environment: String, protectedBy: String?, allowProduction: Bool, operatorName: String, bindingChecks: [BindingObservation] = []) {
        self.environment = environment
        self.protectedBy = protectedBy
        self.allowProduction = allowProduction
        self.operatorName = operatorName
        self.bindingChecks = bindingChecks
    }

    /// The fields added to `run.started`.
    public var journalFields: [String: JSONValue] {
        var fields: [String: JSONValue] = [
            "allow-production": .bool(allowProduction),
            "protected-environment": .bool(protectedBy != nil),
        ]
        if allowProduction { fields["allowed-by"] = .string(operatorName) }
        return fields
    }
}
