import Foundation

extension PlanLoader {
    /// `environment: staging` or `environment: { name: staging, kube-context: …, aws-account: … }`.
    ///
    /// Vars are substituted now, so the production gate, `list` and the journal see the real name; `${env.NAME}`
    /// is resolved when the run starts. A secret or a step result cannot name an environment.
    mutating func loadEnvironment(_ node: PlanNode) -> (String, EnvironmentBinding?) {
        if node.entries == nil {
            return (environmentValue(node, "environment") ?? "staging", nil)
        }
        guard mapping(node, "environment", keys: EnvironmentBinding.keys) != nil else { return ("staging", nil) }
        let name = node["name"].flatMap { environmentValue($0, "environment.name") } ?? "staging"
        var binding = EnvironmentBinding(location: node.location)
        binding.kubeContext = node["kube-context"].flatMap { environmentValue($0, "environment.kube-context") }
        if let accountNode = node["aws-account"], let account = environmentValue(accountNode, "environment.aws-account") {
            if !Self.hasReferences(account), !(account.count == 12 && account.allSatisfy { $0.isASCII && $0.isNumber }) {
                error(accountNode.location, "`environment.aws-account` must be a 12-digit AWS account id, but this is `\(account)`",
                      hint: "quote it so YAML keeps its leading zeros: aws-account: \"012345678901\"")
            }
            binding.awsAccount = account
        }
        if binding.kubeContext == nil, binding.awsAccount == nil {
            error(node.location, "`environment` as a map binds the environment: give `kube-context`, `aws-account` or both",
                  hint: "or write just the name: `environment: \(name)`")
        }
        return (name, binding)
    }

    /// One string of `environment`, vars substituted and trimmed; only vars and `${env.NAME}` may be referenced.
    private mutating func environmentValue(_ node: PlanNode, _ what: String) -> String? {
        guard let raw = string(node, what) else { return nil }
        for ref in Interpolation.references(in: raw).refs {
            switch ref.target {
            case .secret, .step:
                error(node.location, "`\(what)` may reference vars and `${env.NAME}` only, not `${\(ref.expression)}`",
                      hint: "the production gate must know the environment before anything runs")
            case .variable, .environment:
                break
            }
        }
        let value = resolveKnown(raw).trimmingCharacters(in: .whitespacesAndNewlines)
        if value.isEmpty { error(node.location, "`\(what)` is empty") }
        return value
    }
}
