import Foundation

/// Decides whether a plan may run where it points, before anything is injected.
///
/// The plan's `environment` is resolved first (`${var}`, `${env.NAME}`), trimmed, and matched case-insensitively
/// against the protected patterns: `production`, `prod`, `prd` and `live` unless configured otherwise. A pattern
/// matches the whole name or a run of its words (`production-eu`, `eu-prod`, `Live_2`). A protected environment
/// runs only with `--allow-production`, which the journal and the reports record with the operator.
///
/// The list comes from, first found: `$FIREDRILL_PROTECTED_ENVIRONMENTS` (comma-separated), the YAML file named by
/// `$FIREDRILL_CONFIG`, `firedrill.yaml` beside the plan (`protected-environments: [production, pci]`).
///
/// When the plan binds its environment (`kube-context`, `aws-account`), the live context is read with read-only
/// calls and a mismatch refuses the run.
public struct ProductionGate: Sendable {
    public static let defaultPatterns = ["production", "prod", "prd", "live"]
    public static let listVariable = "FIREDRILL_PROTECTED_ENVIRONMENTS"
    public static let configVariable = "FIREDRILL_CONFIG"
    public static let configFileName = "firedrill.yaml"
    public static let configKey = "protected-environments"

    /// Runs a read-only command, argv only, and returns its exit status, standard output and standard error.
    public typealias ContextReader = @Sendable (_ argv: [String]) async throws -> (status: Int32, stdout: String, stderr: String)

    public var patterns: [String]
    /// Where the patterns came from, for messages.
    public var source: String

    public init(patterns: [String] = ProductionGate.defaultPatterns, source: String = "the default list") {
        self.patterns = patterns
        self.source = source
    }

    /// The gate configured for the plan at `planPath`.
    public static func configured(planPath: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ResolutionError) -> ProductionGate {
        if let list = environment[listVariable] {
            let patterns = list.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
            guard !patterns.isEmpty else {
                throw ResolutionError("$\(listVariable) is set but lists no environment; unset it to use the default list")
            }
            return ProductionGate(patterns: patterns, source: "$\(listVariable)")
        }
        let path: String
        if let explicit = environment[configVariable], !explicit.isEmpty {
            path = explicit
            guard FileManager.default.fileExists(atPath: path) else {
                throw ResolutionError("$\(configVariable) names \(path), which does not exist")
            }
        } else {
            path = URL(fileURLWithPath: planPath).deletingLastPathComponent().appendingPathComponent(configFileName).path
            guard FileManager.default.fileExists(atPath: path) else { return ProductionGate() }
        }
        return try read(configAt: path)
    }

    /// Reads `protected-environments` from a config file.
    static func read(configAt path: String) throws(ResolutionError) -> ProductionGate {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ResolutionError("cannot read the config file", at: SourceLocation(file: path, line: 1, column: 1))
        }
        let (root, _, diagnostics) = YAMLReader(path: path).read(data)
        if let first = diagnostics.first { throw ResolutionError(first.message, at: first.location) }
        guard let root, let entries = root.entries else {
            throw ResolutionError("the config file must be a map with `\(configKey)`", at: SourceLocation(file: path, line: 1, column: 1))
        }
        // `notify` and `secrets` are the run's (`RunConfig`), checked where they are read.
        for entry in entries where ![configKey, "notify", "secrets"].contains(entry.key) {
            throw ResolutionError("unknown key `\(entry.key)` in the config file (it holds `\(configKey)`, `notify` and `secrets`)", at: entry.keyLocation)
        }
        guard let node = root[configKey] else { return ProductionGate() }
        guard let items = node.sequence, !items.isEmpty, items.allSatisfy({ $0.scalar.map { !$0.isEmpty } ?? false }) else {
            throw ResolutionError("`\(configKey)` must be a non-empty list of environment names", at: node.location)
        }
        return ProductionGate(patterns: items.compactMap(\.scalar), source: path)
    }

    /// The pattern `environment` matches, if it is protected.
    public func match(_ environment: String) -> String? {
        let words = Self.words(environment)
        for pattern in patterns {
            let wanted = Self.words(pattern)
            guard !wanted.isEmpty, wanted.count <= words.count else { continue }
            for start in 0...(words.count - wanted.count) where Array(words[start..<(start + wanted.count)]) == wanted {
                return pattern
            }
        }
        return nil
    }

    /// The words of a name, folded: case, width and accents ignored, split at every character that is not a
    /// letter or digit and between letters and digits (`EU-Prod2` is `eu`, `prod`, `2`).
    static func words(_ text: String) -> [String] {
        let folded = text.trimmingCharacters(in: .whitespacesAndNewlines)
            .folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil).lowercased()
        var words: [String] = []
        var current = ""
        var currentIsDigit = false
        for c in folded {
            let isDigit = c.isNumber
            guard c.isLetter || isDigit else {
                if !current.isEmpty { words.append(current) }
                current = ""
                continue
            }
            if !current.isEmpty, isDigit != currentIsDigit {
                words.append(current)
                current = ""
            }
            current.append(c)
            currentIsDigit = isDigit
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// Resolves the plan's environment, refuses a protected one without `allowProduction`, and checks the live
    /// context of a bound environment through `reader`.
    public func admit(plan: Plan, resolver: Resolver, allowProduction: Bool, operatorName: String,
                      reader: ContextReader) async throws(ResolutionError) -> GateDecision {
        let environment = try Self.resolve(plan.environment, what: "environment", resolver: resolver)
        let matched = match(environment)
        if let matched, !allowProduction {
            let same = matched.lowercased() == environment.lowercased()
            throw ResolutionError("environment `\(environment)` is protected (\(same ? "listed" : "it matches `\(matched)`") in \(source)); pass --allow-production to run it")
        }
        var decision = GateDecision(environment: environment, protectedBy: matched, allowProduction: allowProduction, operatorName: operatorName)
        if let binding = plan.environmentBinding {
            decision.bindingChecks = try await Self.check(binding, resolver: resolver, reader: reader)
            let failed = decision.bindingChecks.filter { !$0.matches }
            if !failed.isEmpty {
                throw ResolutionError("environment `\(environment)` is bound to \(binding.summary), and the live context does not match; nothing was injected:\n"
                                      + failed.map { "  - " + $0.summary }.joined(separator: "\n"), at: binding.location)
            }
        }
        return decision
    }

    /// Runs the read-only calls that report the live context and compares each with the binding.
    static func check(_ binding: EnvironmentBinding, resolver: Resolver, reader: ContextReader) async throws(ResolutionError) -> [BindingObservation] {
        var observations: [BindingObservation] = []
        if let raw = binding.kubeContext {
            let expected = try resolve(raw, what: "kube-context", resolver: resolver)
            let argv = ["kubectl", "config", "current-context"]
            observations.append(await observe("kube-context", expected: expected, argv: argv, reader: reader) { stdout in
                stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            })
        }
        if let raw = binding.awsAccount {
            let expected = try resolve(raw, what: "aws-account", resolver: resolver)
            let argv = ["aws", "sts", "get-caller-identity", "--output", "json"]
            observations.append(await observe("aws-account", expected: expected, argv: argv, reader: reader) { stdout in
                (try? JSONValue.parse(stdout))?["Account"]?.stringValue
            })
        }
        return observations
    }

    private static func observe(_ what: String, expected: String, argv: [String], reader: ContextReader,
                                extract: (String) -> String?) async -> BindingObservation {
        let command = argv.joined(separator: " ")
        do {
            let result = try await reader(argv)
            guard result.status == 0 else {
                let why = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last.map(String.init)
                return BindingObservation(what: what, expected: expected, found: nil, command: command,
                                          failure: "exit \(result.status)" + (why.map { ": \($0)" } ?? ""))
            }
            guard let found = extract(result.stdout), !found.isEmpty else {
                return BindingObservation(what: what, expected: expected, found: nil, command: command, failure: "it printed no \(what)")
            }
            return BindingObservation(what: what, expected: expected, found: found, command: command)
        } catch {
            return BindingObservation(what: what, expected: expected, found: nil, command: command, failure: "\(error)")
        }
    }

    /// A value of `environment` with its references substituted and trimmed; unresolved references refuse the run.
    static func resolve(_ raw: String, what: String, resolver: Resolver) throws(ResolutionError) -> String {
        let value = resolver.substitute(raw, maskSecrets: true).trimmingCharacters(in: .whitespacesAndNewlines)
        let left = Interpolation.references(in: value)
        if !left.refs.isEmpty || !left.errors.isEmpty {
            throw ResolutionError("`\(what)` is `\(raw)`, which does not resolve (`\(value)`): set what it references")
        }
        guard !value.isEmpty else { throw ResolutionError("`\(what)` is empty once resolved (`\(raw)`)") }
        return value
    }
}
