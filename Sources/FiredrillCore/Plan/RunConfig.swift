import Foundation

/// The configuration file: what applies to every run, whatever the plan. It is the file the production gate reads
/// its `protected-environments` from (`ProductionGate`), and it may also hold a `notify:` list, told about every
/// run in addition to the plan's own, with the `secrets:` its URLs reference:
///
/// ```yaml
/// protected-environments: [production, pci]
/// secrets:
///   drills-webhook: { env: SLACK_DRILLS_WEBHOOK }
/// notify:
///   - slack: "${secret.drills-webhook}"
///     announce: required
/// ```
///
/// Found at `--config FILE`, else `$FIREDRILL_CONFIG`, else `firedrill.yaml` beside the plan; a file named by the
/// option or the variable must exist.
public struct RunConfig: Sendable {
    public static let environmentVariable = ProductionGate.configVariable
    public static let fileName = ProductionGate.configFileName
    /// The keys a configuration file may have.
    public static let keys = [ProductionGate.configKey, "notify", "secrets"]

    public var path: String
    /// The file's text (public, like a plan's: pieces of a secret found in it are not masked).
    public var text: String
    public var notify: [NotifyTarget]
    public var secrets: [SecretReference]

    public init(path: String, text: String, notify: [NotifyTarget] = [], secrets: [SecretReference] = []) {
        self.path = path
        self.text = text
        self.notify = notify
        self.secrets = secrets
    }

    /// What loading a configuration file gives: the configuration when it is valid, and every diagnostic.
    public struct Loaded: Sendable {
        public var config: RunConfig?
        public var text: String
        public var diagnostics: [Diagnostic]

        /// Every diagnostic rendered with its source line and caret.
        public func rendered() -> String {
            let renderer = DiagnosticRenderer(source: text)
            return diagnostics.map(renderer.render).joined(separator: "\n")
        }
    }

    /// The configuration file to read: the explicit path, else `$FIREDRILL_CONFIG`, else `firedrill.yaml` beside
    /// the plan when there is one; nil when there is none.
    public static func locate(option: String?, planPath: String,
                              environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let option, !option.isEmpty { return option }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty { return fromEnvironment }
        // Spelled as the plan's path is, so messages name the file the way the user does.
        let beside = ((planPath as NSString).deletingLastPathComponent as NSString).appendingPathComponent(fileName)
        return FileManager.default.fileExists(atPath: beside) ? beside : nil
    }

    /// A plan-shaped carrier of the configuration's secrets, for `Resolver.forPlan`: the same secret sources,
    /// read the same way, and the file's text as the public text.
    public var secretCarrier: Plan {
        var plan = Plan(path: path, text: text, kind: .experiment, name: "config")
        plan.secrets = secrets
        return plan
    }
}
