import FiredrillCore
import Foundation

/// `firedrill schedule export --kubernetes DIR`: a CronJob per scheduled plan, a ConfigMap holding the plans, and
/// per plan a ServiceAccount with a Role (and a ClusterRole for node drivers) granting only what its Kubernetes
/// drivers do. Kubernetes runs the drill; the history lives in the shared store whose DSN comes from a Secret.
public struct KubernetesExport: Sendable {
    public var namespace: String
    public var image: String
    /// The Secret holding the store DSN, under key `dsn`.
    public var storeSecret: String
    /// How late a missed schedule may still start (Kubernetes counts a later start as missed).
    public var startingDeadlineSeconds: Int
    /// Secrets whose keys become the pod's environment variables (`envFrom`): what `secrets: { env: VAR }` reads.
    public var environmentSecrets: [String]
    /// A Secret with key `firedrill.yaml` (notify list, protected environments), mounted as `$FIREDRILL_CONFIG`.
    public var configSecret: String?
    /// A Secret with key `signing.key` (from `firedrill key generate`), mounted as `$FIREDRILL_SIGNING_KEY`.
    public var signingKeySecret: String?

    public init(namespace: String, image: String, storeSecret: String, startingDeadlineSeconds: Int,
                environmentSecrets: [String] = [], configSecret: String? = nil, signingKeySecret: String? = nil) {
        self.namespace = namespace
        self.image = image
        self.storeSecret = storeSecret
        self.startingDeadlineSeconds = startingDeadlineSeconds
        self.environmentSecrets = environmentSecrets
        self.configSecret = configSecret
        self.signingKeySecret = signingKeySecret
    }

    public static let configMapName = "firedrill-plans"
    /// Where the pod finds the configuration and the signing key.
    static let configPath = "/etc/firedrill/config/" + RunConfig.fileName
    static let signingKeyPath = "/etc/firedrill/signing/signing.key"

    /// What a scheduled plan needs that these manifests would not give its pod: environment variables its secrets
    /// read with no `--env-secret`, files its secrets read (the export mounts none), and a configuration file that
    /// applies to it (`configFile`) with no `--config-secret`. Each line names the plan and where the need is written.
    public func gaps(_ plan: ScheduledPlan, configFile: String?) -> [String] {
        var secrets = plan.plan.secrets
        if let configFile, let config = PlanLoader.loadConfig(path: configFile).config { secrets += config.secrets }
        var lines: [String] = []
        for secret in secrets {
            switch secret.source {
            case .environment(let variable) where environmentSecrets.isEmpty:
                lines.append("\(plan.plan.name): the secret `\(secret.name)` (\(secret.location)) reads $\(variable), which the CronJob's pod has only from a Secret given with --env-secret NAME")
            case .file(let path):
                lines.append("\(plan.plan.name): the secret `\(secret.name)` (\(secret.location)) reads the file \(path), which the export does not mount; add it to the pod, or read it from an environment variable with --env-secret NAME")
            default:
                break
            }
        }
        if let configFile, configSecret == nil {
            lines.append("\(plan.plan.name): \(configFile) applies to this plan (notify, protected environments) but is not in the CronJob's pod; create a Secret from it (key \(RunConfig.fileName)) and pass --config-secret NAME")
        }
        return lines
    }

    /// The files to write: name → YAML.
    public func files(for plans: [ScheduledPlan]) throws -> [(name: String, text: String)] {
        var files: [(name: String, text: String)] = [("firedrill-plans.configmap.yaml", try configMap(plans).yaml())]
        for plan in plans {
            let name = Self.resourceName(plan.plan.name)
            var documents = [serviceAccount(plan)] + rbac(plan)
            documents.append(cronJob(plan))
            files.append(("\(name).yaml", try documents.map { try $0.yaml() }.joined(separator: "---\n")))
        }
        return files
    }

    /// `firedrill-<plan>` as a DNS-1123 label a CronJob accepts (at most 52 characters).
    public static func resourceName(_ plan: String) -> String {
        var name = "firedrill-" + String(plan.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
        if name.count > 52 { name = String(name.prefix(52)) }
        while name.hasSuffix("-") { name.removeLast() }
        return name
    }

    static func configMapKey(_ plan: ScheduledPlan) -> String { Self.resourceName(plan.plan.name).dropFirst("firedrill-".count) + ".yaml" }

    func metadata(_ name: String, plan: String?) -> ManifestYAML {
        var labels: [(String, ManifestYAML)] = [("app.kubernetes.io/name", .string("firedrill")), ("app.kubernetes.io/managed-by", .string("firedrill-schedule-export"))]
        if let plan { labels.append(("firedrill.dev/plan", .string(Self.resourceName(plan).dropFirst("firedrill-".count).description))) }
        return .map([("name", .string(name)), ("namespace", .string(namespace)), ("labels", .map(labels))])
    }

    func configMap(_ plans: [ScheduledPlan]) -> ManifestYAML {
        .map([
            ("apiVersion", .string("v1")), ("kind", .string("ConfigMap")), ("metadata", metadata(Self.configMapName, plan: nil)),
            ("data", .map(plans.map { (Self.configMapKey($0), .text($0.plan.text)) })),
        ])
    }

    func serviceAccount(_ plan: ScheduledPlan) -> ManifestYAML {
        .map([
            ("apiVersion", .string("v1")), ("kind", .string("ServiceAccount")),
            ("metadata", metadata(Self.resourceName(plan.plan.name), plan: plan.plan.name)),
            // No token at all unless a Kubernetes driver needs the API.
            ("automountServiceAccountToken", .bool(!KubernetesPermissions.rules(for: plan.plan).isEmpty)),
        ])
    }

    /// A Role and RoleBinding for namespaced rules, a ClusterRole and ClusterRoleBinding for node rules; none for
    /// a plan without Kubernetes drivers.
    func rbac(_ plan: ScheduledPlan) -> [ManifestYAML] {
        let name = Self.resourceName(plan.plan.name)
        let rules = KubernetesPermissions.rules(for: plan.plan)
        var documents: [ManifestYAML] = []
        for (clusterWide, kindPrefix) in [(false, ""), (true, "Cluster")] {
            let selected = rules.filter { $0.clusterWide == clusterWide }
            guard !selected.isEmpty else { continue }
            var meta = metadata(name, plan: plan.plan.name)
            if clusterWide, case .map(var pairs) = meta { pairs.removeAll { $0.0 == "namespace" }; meta = .map(pairs) }
            documents.append(.map([
                ("apiVersion", .string("rbac.authorization.k8s.io/v1")), ("kind", .string(kindPrefix + "Role")), ("metadata", meta),
                ("rules", .list(selected.map { rule in
                    .map([("apiGroups", .list(rule.apiGroups.map { .string($0) })), ("resources", .list(rule.resources.map { .string($0) })),
                          ("verbs", .list(rule.verbs.map { .string($0) }))])
                })),
            ]))
            documents.append(.map([
                ("apiVersion", .string("rbac.authorization.k8s.io/v1")), ("kind", .string(kindPrefix + "RoleBinding")), ("metadata", meta),
                ("subjects", .list([.map([("kind", .string("ServiceAccount")), ("name", .string(name)), ("namespace", .string(namespace))])])),
                ("roleRef", .map([("apiGroup", .string("rbac.authorization.k8s.io")), ("kind", .string(kindPrefix + "Role")), ("name", .string(name))])),
            ]))
        }
        return documents
    }

    func cronJob(_ plan: ScheduledPlan) -> ManifestYAML {
        let name = Self.resourceName(plan.plan.name)
        let limits = plan.plan.limits
        let deadline = Int((limits.duration.seconds + limits.rollbacks.seconds).rounded(.up)) + 300
        var environment: [ManifestYAML] = [
            .map([
                ("name", .string(StoreLocation.environmentVariable)),
                ("valueFrom", .map([("secretKeyRef", .map([("name", .string(storeSecret)), ("key", .string("dsn"))]))])),
            ]),
            // The run record names the CronJob as the operator.
            .map([("name", .string(RunOperator.environmentVariable)), ("value", .string("kubernetes cronjob \(namespace)/\(name)"))]),
        ]
        var mounts: [ManifestYAML] = [
            .map([("name", .string("plans")), ("mountPath", .string("/plans")), ("readOnly", .bool(true))]),
            .map([("name", .string("reports")), ("mountPath", .string("/var/lib/firedrill/reports"))]),
        ]
        var volumes: [ManifestYAML] = [
            .map([("name", .string("plans")), ("configMap", .map([("name", .string(Self.configMapName))]))]),
            .map([("name", .string("reports")), ("emptyDir", .map([]))]),
        ]
        // The configuration and the signing key: one key of a Secret each, read-only, the key readable by its owner only.
        for (volume, secret, key, path, variable) in [
            ("config", configSecret, RunConfig.fileName, Self.configPath, RunConfig.environmentVariable),
            ("signing-key", signingKeySecret, "signing.key", Self.signingKeyPath, JournalSigningKey.environmentVariable),
        ] {
            guard let secret else { continue }
            let folder = (path as NSString).deletingLastPathComponent
            environment.append(.map([("name", .string(variable)), ("value", .string(path))]))
            mounts.append(.map([("name", .string(volume)), ("mountPath", .string(folder)), ("readOnly", .bool(true))]))
            volumes.append(.map([("name", .string(volume)), ("secret", .map([
                ("secretName", .string(secret)), ("defaultMode", .int(0o400)),
                ("items", .list([.map([("key", .string(key)), ("path", .string((path as NSString).lastPathComponent))])])),
            ]))]))
        }
        var containerFields: [(String, ManifestYAML)] = [
            ("name", .string("firedrill")), ("image", .string(image)), ("workingDir", .string("/var/lib/firedrill")),
            ("args", .list([.string("run"), .string("/plans/" + Self.configMapKey(plan)), .string("--quiet")])),
            ("env", .list(environment)),
        ]
        if !environmentSecrets.isEmpty {
            containerFields.append(("envFrom", .list(environmentSecrets.map { .map([("secretRef", .map([("name", .string($0))]))]) })))
        }
        containerFields.append(("volumeMounts", .list(mounts)))
        let container: ManifestYAML = .map(containerFields)
        let pod: ManifestYAML = .map([
            ("serviceAccountName", .string(name)), ("restartPolicy", .string("Never")),
            // SIGTERM makes the runner roll back: give it the rollback limit before SIGKILL.
            ("terminationGracePeriodSeconds", .int(Int(limits.rollbacks.seconds.rounded(.up)) + 60)),
            ("containers", .list([container])),
            ("volumes", .list(volumes)),
        ])
        return .map([
            ("apiVersion", .string("batch/v1")), ("kind", .string("CronJob")), ("metadata", metadata(name, plan: plan.plan.name)),
            ("spec", .map([
                ("schedule", .string(plan.cron.text)), ("timeZone", .string(plan.timeZoneName)),
                ("concurrencyPolicy", .string("Forbid")), ("startingDeadlineSeconds", .int(startingDeadlineSeconds)),
                ("successfulJobsHistoryLimit", .int(3)), ("failedJobsHistoryLimit", .int(3)),
                ("jobTemplate", .map([("spec", .map([
                    // A failed drill is not retried blindly.
                    ("backoffLimit", .int(0)), ("activeDeadlineSeconds", .int(deadline)),
                    ("template", .map([("metadata", .map([("labels", .map([("firedrill.dev/plan", .string(String(name.dropFirst("firedrill-".count))))]))])), ("spec", pod)])),
                ]))])),
            ])),
        ])
    }
}
