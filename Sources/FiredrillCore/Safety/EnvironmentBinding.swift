/// Where a plan's environment really points, when the plan says so: `environment: { name: staging,
/// kube-context: staging-eu, aws-account: "123456789012" }`. Before anything is injected the run checks the live
/// context with read-only calls and refuses on a mismatch.
public struct EnvironmentBinding: Sendable, Hashable {
    /// The kubectl context the plan must run under (`kubectl config current-context`).
    public var kubeContext: String?
    /// The AWS account id the plan must run under (`aws sts get-caller-identity`).
    public var awsAccount: String?
    public var location: SourceLocation

    public init(kubeContext: String? = nil, awsAccount: String? = nil, location: SourceLocation) {
        self.kubeContext = kubeContext
        self.awsAccount = awsAccount
        self.location = location
    }

    /// `kube-context staging-eu, aws-account 123456789012`.
    public var summary: String {
        [kubeContext.map { "kube-context \($0)" }, awsAccount.map { "aws-account \($0)" }].compactMap { $0 }.joined(separator: ", ")
    }

    /// The keys of the map form of `environment`.
    public static let keys: [ParamSpec] = [
        ParamSpec("name", .string, required: true, "the environment's name, checked by the production gate"),
        ParamSpec("kube-context", .string, "the kubectl context the run must find (`kubectl config current-context`)"),
        ParamSpec("aws-account", .string, "the 12-digit AWS account the run must find (`aws sts get-caller-identity`)"),
    ]
}
