import Foundation

/// Substitutes `${…}` references in driver parameters: vars, the environment, secrets and earlier steps' results.
///
/// Secret values are substituted only in what is executed; `display` shows them as `***`, and `secretValues`
/// lets every log, journal and report writer mask them.
public struct Resolver: Sendable {
    public var variables: [String: String]
    public var environment: [String: String]
    public var secrets: [String: String]
    /// Results of finished steps, by step name (`${steps.NAME.FIELD}`).
    public var stepResults: [String: JSONValue]
    /// Text that is public anyway (the plan file): pieces of a split secret found in it are not masked.
    public var publicText = ""

    public init(variables: [String: String] = [:], environment: [String: String] = ProcessInfo.processInfo.environment,
                secrets: [String: String] = [:], stepResults: [String: JSONValue] = [:]) {
        self.variables = variables
        self.environment = environment
        self.secrets = secrets
        self.stepResults = stepResults
    }

    /// A resolver for `plan`: its vars (command-line overrides already applied by the loader) and, when
    /// `readSecrets` is true, the secret values read from their sources.
    public static func forPlan(_ plan: Plan, environment: [String: String] = ProcessInfo.processInfo.environment,
                               readSecrets: Bool) throws(ResolutionError) -> Resolver {
        var resolver = Resolver(environment: environment)
        resolver.publicText = plan.text
        for v in plan.vars { resolver.variables[v.name] = v.value }
        guard readSecrets else { return resolver }
        for secret in plan.secrets {
            switch secret.source {
            case .environment(let name):
                guard let value = environment[name], !value.isEmpty else {
                    throw ResolutionError("secret `\(secret.name)`: environment variable \(name) is not set", at: secret.location)
                }
                resolver.secrets[secret.name] = value
            case .file(let path):
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw ResolutionError("secret `\(secret.name)`: cannot read \(path)", at: secret.location)
                }
                var value = String(decoding: data, as: UTF8.self)
                while value.hasSuffix("\n") || value.hasSuffix("\r") { value.removeLast() }
                resolver.secrets[secret.name] = value
            }
        }
        return resolver
    }

    /// Every secret value and every form of it a parser or an encoder may print (`SecretVariants`), longest first:
    /// what every log, journal, console and report writer masks.
    public var secretValues: [String] {
        let forms = Set(secrets.values.flatMap { SecretVariants.forms(of: $0, publicText: publicText) })
        return forms.sorted { ($0.count, $0) > ($1.count, $1) }
    }

    /// The node with every reference substituted (secrets in clear: for execution only).
    public func resolve(_ node: PlanNode) -> PlanNode {
        map(node) { substitute($0, maskSecrets: false) }
    }

    /// The node as it may be shown: secrets as `***`.
    public func display(_ node: PlanNode) -> PlanNode {
        map(node) { substitute($0, maskSecrets: true) }
    }

    public func substitute(_ text: String, maskSecrets: Bool) -> String {
        substitute(text, maskSecrets: maskSecrets, insideVariable: false)
    }

    /// A var's value may itself hold `${env.…}` or `${secret.…}` (vars referencing vars were resolved at load), so a
    /// var is substituted once more, and only once: nothing a var holds is looked up as a var again.
    private func substitute(_ text: String, maskSecrets: Bool, insideVariable: Bool) -> String {
        Interpolation.substitute(text) { target in
            switch target {
            case .variable(let name):
                guard !insideVariable, let value = variables[name] else { return nil }
                return value.contains("${") ? substitute(value, maskSecrets: maskSecrets, insideVariable: true) : value
            case .environment(let name): return environment[name]
            case .secret(let name): return maskSecrets ? "***" : secrets[name]
            case .step(let name, let field):
                guard let result = stepResults[name] else { return nil }
                var value: JSONValue? = result
                for part in field.split(separator: ".") { value = value?[String(part)] }
                return value.map(Self.text).map(Self.droppingTrailingNewline)
            }
        }
    }

    /// References still unresolved in `node` after substitution, e.g. an environment variable that is not set.
    public func unresolved(in node: PlanNode) -> [String] {
        var found: [String] = []
        func walk(_ n: PlanNode) {
            switch n.content {
            case .scalar(let s, _):
                found += Interpolation.references(in: substitute(s, maskSecrets: true)).refs.map { "${\($0.expression)}" }
            case .sequence(let items): items.forEach(walk)
            case .mapping(let entries): entries.forEach { walk($0.value) }
            }
        }
        walk(node)
        return found
    }

    /// Masks every secret value in free text (command output, error messages).
    public func mask(_ text: String) -> String {
        var out = text
        for value in secretValues.sorted(by: { $0.count > $1.count }) {
            out = out.replacingOccurrences(of: value, with: "***")
        }
        return out
    }

    /// A step's text as substituted: one trailing newline (`\n` or `\r\n`) dropped, as shell command substitution
    /// drops it, so `${steps.get-primary.stdout}` is `db-2`, not `db-2\n`. The journal keeps the output as printed.
    static func droppingTrailingNewline(_ text: String) -> String {
        // `\r\n` is one Character, so one `dropLast` removes either ending.
        text.hasSuffix("\n") || text.hasSuffix("\r\n") ? String(text.dropLast()) : text
    }

    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s
        case .number(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .bool(let b): return b ? "true" : "false"
        case .null: return ""
        case .array(let items): return items.map(text).joined(separator: ",")
        case .object: return JSONOutput.pretty(value)
        }
    }

    private func map(_ node: PlanNode, _ f: (String) -> String) -> PlanNode {
        var copy = node
        switch node.content {
        case .scalar(let s, let quoted): copy.content = .scalar(s.contains("${") ? f(s) : s, quoted: quoted)
        case .sequence(let items): copy.content = .sequence(items.map { map($0, f) })
        case .mapping(let entries):
            copy.content = .mapping(entries.map { PlanNode.Entry(key: $0.key, keyLocation: $0.keyLocation, value: map($0.value, f)) })
        }
        return copy
    }
}
