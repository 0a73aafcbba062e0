import FiredrillCore

extension RunReport {
    /// What an auditor asks first, from the journal's `run.record` (who ran it, the effective parameters, the
    /// versions, the plan's source, the runbook) and `environment.checked` events. A journal written before the
    /// record existed has `recorded` false: every report then says "not recorded" instead of guessing.
    public struct Record: Sendable, Codable {
        public var recorded: Bool
        /// The operator named with `--operator` or `$FIREDRILL_OPERATOR`; nil when none was given.
        public var operatorName: String?
        /// `--operator` or `FIREDRILL_OPERATOR`.
        public var operatorSource: String?
        public var osUser: String?
        public var uid: Int?
        public var host: String?
        /// The plan's vars after `--var` overrides (secrets masked).
        public var parameters: [Parameter]
        /// `0.1.0 (Swift 6.2, release build)`.
        public var firedrill: String?
        /// The external tools the plan uses, as read at the start of the run.
        public var tools: [Tool]
        /// `committed`, `modified`, `untracked`, `not-in-repository`, `unavailable` or `not-checked`.
        public var planSource: String?
        /// Why there is no commit, in words, or `git commit …`.
        public var planSourceDetail: String?
        /// The environment binding the plan declares, when it declares one.
        public var binding: String?
        /// The live checks of the binding (`environment.checked`), recorded by runs of any age.
        public var bindingChecks: [BindingCheck]
        public var runbook: String?

        public static let notRecorded = Record(recorded: false, parameters: [], tools: [], bindingChecks: [])

        public var overrides: [Parameter] { parameters.filter(\.overridden) }

        /// `Jane Doe (--operator); OS user root (uid 0) on db-host`, `operator not given; OS user …`, or
        /// `not recorded`.
        public var operatorSummary: String {
            guard recorded, let osUser else { return ReportLabels.notRecorded }
            return RunOperator(name: operatorName, source: operatorSource, osUser: osUser, uid: uid ?? -1, host: host ?? "").summary
        }
    }

    /// One var as the run used it.
    public struct Parameter: Sendable, Codable {
        public var name: String
        public var value: String
        /// The plan file's value; nil for a var only `--var` set.
        public var planValue: String?
        public var overridden: Bool
        public var secretReference: Bool
    }

    /// One external tool's version, or why it could not be read.
    public struct Tool: Sendable, Codable {
        public var tool: String
        public var command: String
        /// `read`, `missing`, `timed-out` or `failed`.
        public var status: String
        public var version: String?
        public var detail: String?

        public var summary: String {
            ToolVersion(tool: tool, command: command, status: ToolVersion.Status(rawValue: status) ?? .failed, version: version, detail: detail).summary
        }
    }

    /// One `environment.checked` event: what the plan binds and what the read-only call found.
    public struct BindingCheck: Sendable, Codable {
        public var what: String
        public var expected: String
        public var found: String?
        public var matches: Bool
        public var command: String
        public var failure: String?

        public var summary: String {
            BindingObservation(what: what, expected: expected, found: found, command: command, failure: failure).summary
        }
    }
}

extension RunReport.Record {
    /// The record from a `run.record` event's data (nil: the journal has none) and the binding checks.
    init(event data: JSONValue?, checks: [RunReport.BindingCheck]) {
        self = .notRecorded
        bindingChecks = checks
        guard let data else { return }
        recorded = true
        let op = RunOperator(json: data["operator"])
        operatorName = op?.name
        operatorSource = op?.source
        osUser = op?.osUser
        uid = op?.uid
        host = op?.host
        parameters = (data["parameters"]?.arrayValue ?? []).compactMap { p in
            guard let name = p["name"]?.stringValue else { return nil }
            return RunReport.Parameter(name: name, value: p["value"]?.stringValue ?? "", planValue: p["plan-value"]?.stringValue,
                                       overridden: p["overridden"]?.boolValue ?? false, secretReference: p["secret-reference"]?.boolValue ?? false)
        }
        if let f = data["firedrill"], let version = f["version"]?.stringValue {
            let how = [f["compiler"]?.stringValue, f["configuration"]?.stringValue.map { "\($0) build" }].compactMap { $0 }
            firedrill = version + (how.isEmpty ? "" : " (\(how.joined(separator: ", ")))")
        }
        tools = (data["tools"]?.arrayValue ?? []).compactMap { t in
            guard let tool = t["tool"]?.stringValue else { return nil }
            return RunReport.Tool(tool: tool, command: t["command"]?.stringValue ?? "", status: t["status"]?.stringValue ?? "failed",
                                  version: t["version"]?.stringValue, detail: t["detail"]?.stringValue)
        }
        if let source = data["plan-source"] {
            planSource = source["status"]?.stringValue
            if let status = planSource.flatMap(PlanProvenance.Status.init(rawValue:)) {
                planSourceDetail = PlanProvenance(status: status, commit: source["git-commit"]?.stringValue, detail: source["detail"]?.stringValue).summary
            }
        }
        binding = data["binding"]?.stringValue
        runbook = data["runbook"]?.stringValue
    }
}

extension RunReport.BindingCheck {
    init(_ data: JSONValue) {
        self.init(what: data["what"]?.stringValue ?? "", expected: data["expected"]?.stringValue ?? "", found: data["found"]?.stringValue,
                  matches: data["matches"]?.boolValue ?? false, command: data["command"]?.stringValue ?? "", failure: data["failure"]?.stringValue)
    }
}

extension ReportLabels {
    /// What a report says for a fact the journal does not hold (written before the run record existed).
    static let notRecorded = "not recorded"
    static let notRecordedNote = "Not recorded: this journal was written before runs recorded the operator, the effective parameters, the versions, the plan's source and the runbook."
}

extension ReportLabels {
    /// `url` when it is safe to render as a link in Markdown and HTML: an http(s) URL of plain URL characters
    /// (no quote, bracket, parenthesis, angle bracket, backslash or space). A journal is data; anything else is
    /// shown as text only.
    static func linkableURL(_ url: String?) -> String? {
        guard let url, url.hasPrefix("https://") || url.hasPrefix("http://"), url.count <= 2048 else { return nil }
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#@!$&*+,;=%")
        return url.allSatisfy { allowed.contains($0) } ? url : nil
    }

    /// The environment and its binding, in words.
    static func binding(_ r: RunReport) -> String {
        let checks = r.record.bindingChecks
        if !checks.isEmpty { return checks.map(\.summary).joined(separator: "; ") }
        if let binding = r.record.binding { return "binding \(binding) declared, but no check was journaled" }
        return r.record.recorded ? "no binding declared (the live context was not checked)" : "no binding check journaled"
    }

    /// The plan's source: its SHA-256 and git commit, or why there is none.
    static func planSource(_ r: RunReport) -> String {
        guard r.record.recorded else { return "git state " + notRecorded }
        return r.record.planSourceDetail ?? notRecorded
    }
}
