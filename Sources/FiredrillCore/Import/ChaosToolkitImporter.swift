import Foundation

/// Translates a Chaos Toolkit experiment (JSON or YAML, the format of chaostoolkit-lib 1.x) into a Firedrill
/// Experiment plan.
///
/// It maps the metadata, `configuration` (→ `vars`, or `${env.…}` for environment entries), `secrets`, the
/// steady-state hypothesis with its tolerances (→ `steady-state` with `expect`), `method` and `rollbacks` (pauses →
/// `wait`, `background` → `parallel`), `process` providers (→ `command`, a string of arguments split as a shell
/// would and refused when it needs a real shell), `http` providers (→ `http` probes, or `curl` command steps), the
/// common Kubernetes and AWS extension activities, and the `safeguards` control (→ `guards`). Anything else is
/// listed, commented at the top of the plan and left as a `TODO` that keeps `validate` failing until a person
/// decides: nothing disappears silently.
///
/// The experiment is read with the plan loader's own YAML reader (JSON is YAML), so it gets the same protection
/// against hostile input and its errors point at `file:line:column` with the JSON pointer.
public struct ChaosToolkitImporter: Sendable {
    /// Why the experiment could not be read: one diagnostic per problem.
    public struct Invalid: Error, Sendable {
        public var diagnostics: [Diagnostic]
    }

    public let path: String
    /// The plan's `environment` (Chaos Toolkit experiments do not say where they run).
    public let environment: String

    public init(path: String, environment: String = "staging") {
        self.path = path
        self.environment = environment
    }

    public func translate(_ data: Data) throws(Invalid) -> ChaosToolkitImport {
        let (root, _, diagnostics) = YAMLReader(path: path).read(data)
        guard let root else { throw Invalid(diagnostics: diagnostics) }
        var t = Translation(path: path)
        let plan = t.document(root, environment: environment)
        if !t.errors.isEmpty { throw Invalid(diagnostics: t.errors) }
        var yaml = ImportedYAML.map(plan).render()
        let header = Self.header(unmapped: t.unmapped, notes: t.notes, source: path)
        yaml = header + yaml
        return ChaosToolkitImport(yaml: yaml, unmapped: t.unmapped, notes: t.notes)
    }

    static func header(unmapped: [ChaosToolkitImport.Unmapped], notes: [String], source: String) -> String {
        var lines = ["# Imported from the Chaos Toolkit experiment \((source as NSString).lastPathComponent) by `firedrill import chaostoolkit`."]
        if !unmapped.isEmpty {
            lines.append("#")
            lines.append("# NOT MAPPED (\(unmapped.count)): each left a TODO below, so this plan does not validate until you decide:")
            for u in unmapped { lines.append("#   - \(u.pointer) \(u.what): \(u.why)") }
        }
        if !notes.isEmpty {
            lines.append("#")
            lines.append("# Mapped with a difference:")
            for n in notes { lines.append("#   - \(n)") }
        }
        return lines.joined(separator: "\n") + "\n\n"
    }
}

/// The state of one translation: errors (the input is not a Chaos Toolkit experiment), what was not mapped, notes,
/// the configuration's substitutions and the names already used.
struct Translation {
    let path: String
    var errors: [Diagnostic] = []
    var unmapped: [ChaosToolkitImport.Unmapped] = []
    var notes: [String] = []
    /// `${name}` of a configuration entry → what replaces it in the plan.
    var substitutions: [String: String] = [:]
    /// Every named activity of the experiment, for `ref`.
    var named: [String: (node: PlanNode, pointer: String)] = [:]
    var usedNames: Set<String> = []
    /// Whether the experiment has a configuration value `aws_region` (passed to the AWS activities).
    var awsRegion: String?

    init(path: String) {
        self.path = path
    }

    mutating func error(_ node: PlanNode, _ pointer: String, _ message: String) {
        errors.append(Diagnostic(at: node.location, "\(message) (at \(pointer.isEmpty ? "/" : pointer))"))
    }

    mutating func notMapped(_ node: PlanNode, _ pointer: String, _ what: String, _ why: String) {
        unmapped.append(ChaosToolkitImport.Unmapped(pointer: pointer, location: node.location, what: what, why: why))
    }

    // MARK: the document

    mutating func document(_ root: PlanNode, environment: String) -> [ImportedYAML.Entry] {
        guard root.entries != nil else {
            error(root, "", "a Chaos Toolkit experiment is a JSON object or YAML mapping")
            return []
        }
        let known: Set<String> = ["version", "title", "description", "tags", "contributions", "configuration", "secrets",
                                  "controls", "steady-state-hypothesis", "method", "rollbacks", "extensions", "runtime"]
        for entry in root.entries ?? [] where !known.contains(entry.key) {
            notes.append("top-level `\(entry.key)` has no Firedrill equivalent and was left out")
        }
        guard let title = root["title"]?.scalar else {
            error(root, "/title", "the experiment has no `title`")
            return []
        }
        guard let method = root["method"] else {
            error(root, "/method", "the experiment has no `method`")
            return []
        }
        collectNames(root)
        var out: [ImportedYAML.Entry] = [
            .init("apiVersion", .string("firedrill/v1")),
            .init("kind", .string("Experiment")),
            .init("name", .string(Self.slug(title, fallback: "imported-experiment"))),
            .init("title", .string(title)),
        ]
        var description = root["description"]?.scalar ?? ""
        if let contributions = root["contributions"]?.entries, !contributions.isEmpty {
            let list = contributions.map { "\($0.key): \($0.value.scalar ?? "?")" }.joined(separator: ", ")
            description += (description.isEmpty ? "" : "\n\n") + "Contributions: \(list)."
        }
        if !description.isEmpty { out.append(.init("description", .string(description + "\n"))) }
        if let tags = root["tags"]?.sequence?.compactMap(\.scalar), !tags.isEmpty {
            out.append(.init("tags", .list(tags.map { .string($0) })))
        }
        out.append(.init("environment", .string(environment), comment: "Chaos Toolkit does not say where an experiment runs: check this"))

        let before = unmapped.count
        let vars = configuration(root["configuration"])
        if !vars.isEmpty { out.append(.init("vars", .map(vars))) }
        let secrets = secrets(root["secrets"])
        if !secrets.isEmpty { out.append(.init("secrets", .map(secrets))) }
        if unmapped.count > before {
            // Not a plan key: `validate` fails on it until a person has dealt with the settings listed at the top.
            out.append(.init("TODO", .string("configuration or secrets not mapped: see the NOT MAPPED list at the top")))
        }

        if let hypothesis = root["steady-state-hypothesis"] {
            let probes = steadyState(hypothesis)
            if !probes.isEmpty {
                out.append(.init("steady-state", .list(probes), comment: hypothesis["title"]?.scalar.map { "Hypothesis: \($0)" }))
            }
        }
        let (guards, controlTODOs) = controls(root["controls"])
        if !guards.isEmpty { out.append(.init("guards", .list(guards), comment: "From the safeguards control")) }

        var methodSteps = steps(method, pointer: "/method", section: "method")
        methodSteps.insert(contentsOf: controlTODOs, at: 0)
        if methodSteps.isEmpty {
            error(method, "/method", "`method` has no activity")
        }
        out.append(.init("method", .list(methodSteps)))
        if let rollbacks = root["rollbacks"] {
            let list = steps(rollbacks, pointer: "/rollbacks", section: "rollbacks")
            if !list.isEmpty { out.append(.init("rollbacks", .list(list))) }
        }
        return out
    }

    /// Every activity with a name, wherever it is, so `{ "ref": NAME }` can be resolved.
    mutating func collectNames(_ root: PlanNode) {
        func add(_ list: PlanNode?, _ pointer: String) {
            for (i, item) in (list?.sequence ?? []).enumerated() {
                if let name = item["name"]?.scalar, item["ref"] == nil, named[name] == nil {
                    named[name] = (item, "\(pointer)/\(i)")
                }
            }
        }
        add(root["steady-state-hypothesis"]?["probes"], "/steady-state-hypothesis/probes")
        add(root["method"], "/method")
        add(root["rollbacks"], "/rollbacks")
    }

    // MARK: configuration and secrets

    mutating func configuration(_ node: PlanNode?) -> [ImportedYAML.Entry] {
        guard let node else { return [] }
        guard let entries = node.entries else {
            error(node, "/configuration", "`configuration` must be an object")
            return []
        }
        var vars: [ImportedYAML.Entry] = []
        for entry in entries {
            let pointer = "/configuration/" + Self.pointerToken(entry.key)
            if let value = entry.value.scalar {
                vars.append(.init(entry.key, .string(value)))
                if entry.key == "aws_region" { awsRegion = "${aws_region}" }
            } else if entry.value["type"]?.scalar == "env", let key = entry.value["key"]?.scalar {
                substitutions[entry.key] = "${env.\(key)}"
                if entry.key == "aws_region" { awsRegion = "${env.\(key)}" }
                if entry.value["default"] != nil {
                    notes.append("configuration `\(entry.key)` reads $\(key); its default was dropped: the variable must be set")
                }
            } else {
                let kind = entry.value["type"]?.scalar ?? "structured"
                notMapped(entry.value, pointer, "configuration `\(entry.key)`", "a `\(kind)` configuration value has no Firedrill equivalent; set it as a var")
            }
        }
        return vars
    }

    mutating func secrets(_ node: PlanNode?) -> [ImportedYAML.Entry] {
        guard let scopes = node?.entries else { return [] }
        var out: [ImportedYAML.Entry] = []
        for scope in scopes {
            for secret in scope.value.entries ?? [] {
                let pointer = "/secrets/\(Self.pointerToken(scope.key))/\(Self.pointerToken(secret.key))"
                let name = Self.slug("\(scope.key)-\(secret.key)", fallback: "secret")
                if secret.value["type"]?.scalar == "env", let key = secret.value["key"]?.scalar {
                    out.append(.init(name, .map([.init("env", .string(key))])))
                } else if secret.value.scalar != nil {
                    notMapped(secret.value, pointer, "secret `\(scope.key).\(secret.key)`",
                              "a secret written into the experiment is not kept in a plan: put it in an environment variable or a file")
                } else {
                    let kind = secret.value["type"]?.scalar ?? "structured"
                    notMapped(secret.value, pointer, "secret `\(scope.key).\(secret.key)`", "a `\(kind)` secret has no Firedrill source (env or file)")
                }
            }
        }
        return out
    }

    // MARK: sections

    mutating func steadyState(_ hypothesis: PlanNode) -> [ImportedYAML] {
        guard let probes = hypothesis["probes"]?.sequence else { return [] }
        var out: [ImportedYAML] = []
        for (i, probe) in probes.enumerated() {
            let pointer = "/steady-state-hypothesis/probes/\(i)"
            out.append(activity(probe, pointer: pointer, asProbe: true) ?? todo("probe at \(pointer) was not mapped"))
        }
        return out
    }

    /// Guards from the `safeguards` control; a `TODO` step for every other control.
    mutating func controls(_ node: PlanNode?) -> (guards: [ImportedYAML], todos: [ImportedYAML]) {
        var guards: [ImportedYAML] = []
        var todos: [ImportedYAML] = []
        for (i, control) in (node?.sequence ?? []).enumerated() {
            let pointer = "/controls/\(i)"
            let name = control["name"]?.scalar ?? "control \(i)"
            let module = control["provider"]?["module"]?.scalar ?? ""
            guard module == "chaosaddons.controls.safeguards" else {
                notMapped(control, pointer, "control `\(name)`", module.isEmpty ? "a control without a Python module" : "the control `\(module)` has no Firedrill equivalent")
                todos.append(todo("control `\(name)` (\(module)) was not mapped"))
                continue
            }
            for (j, probe) in (control["provider"]?["arguments"]?["probes"]?.sequence ?? []).enumerated() {
                let probePointer = "\(pointer)/provider/arguments/probes/\(j)"
                guard var mapped = activity(probe, pointer: probePointer, asProbe: true) else {
                    guards.append(todo("safeguard probe at \(probePointer) was not mapped"))
                    continue
                }
                if case .map(var entries) = mapped, let frequency = probe["frequency"]?.scalar.flatMap(Double.init) {
                    entries.append(.init("every", .string(Self.duration(seconds: frequency))))
                    mapped = .map(entries)
                }
                guards.append(mapped)
            }
        }
        return (guards, todos)
    }

    /// The activities of `method` or `rollbacks` as steps: pauses become `wait` steps, and a run of `background`
    /// activities with the activity after it becomes one `parallel` step.
    mutating func steps(_ node: PlanNode, pointer: String, section: String) -> [ImportedYAML] {
        guard let items = node.sequence else {
            error(node, pointer, "`\(section)` must be a list of activities")
            return []
        }
        var out: [ImportedYAML] = []
        var background: [ImportedYAML] = []
        var sawBackground = false
        for (i, item) in items.enumerated() {
            let itemPointer = "\(pointer)/\(i)"
            let resolved = resolveRef(item, pointer: itemPointer)
            let pauses = resolved?.node["pauses"]
            let activityName = Self.slug(resolved?.node["name"]?.scalar ?? "activity-\(i)", fallback: "activity-\(i)")
            if let before = pauses?["before"]?.scalar.flatMap(Double.init), before > 0 {
                out.append(pause(before: true, activityName, seconds: before))
            }
            let step: ImportedYAML
            if let resolved {
                step = activity(resolved.node, pointer: resolved.pointer, asProbe: false) ?? todo("activity at \(itemPointer) was not mapped")
            } else {
                step = todo("activity at \(itemPointer) was not mapped")
            }
            if resolved?.node["background"]?.scalar == "true" {
                background.append(step)
                sawBackground = true
            } else if !background.isEmpty {
                out.append(.map([.init("parallel", .list(background + [step]))]))
                background = []
            } else {
                out.append(step)
            }
            if let after = pauses?["after"]?.scalar.flatMap(Double.init), after > 0, background.isEmpty {
                out.append(pause(before: false, activityName, seconds: after))
            }
        }
        if !background.isEmpty {
            out.append(background.count == 1 ? background[0] : .map([.init("parallel", .list(background))]))
        }
        if sawBackground {
            notes.append("`background: true` activities in `\(section)` run in a `parallel` step together with the activity after them; Chaos Toolkit lets them run on until the end of the method")
        }
        return out
    }

    /// A `pauses` entry as a named `wait` step.
    mutating func pause(before: Bool, _ activity: String, seconds: Double) -> ImportedYAML {
        let name = uniqueName((before ? "pause-before-" : "pause-after-") + activity, fallback: "pause")
        return .map([.init("name", .string(name)), .init("wait", .string(Self.duration(seconds: seconds)))])
    }

    /// The activity itself, or the one a `ref` names; nil (with the item listed as not mapped) when a ref is dangling.
    mutating func resolveRef(_ item: PlanNode, pointer: String) -> (node: PlanNode, pointer: String)? {
        guard let ref = item["ref"]?.scalar else { return (item, pointer) }
        if let found = named[ref] { return found }
        notMapped(item, pointer, "ref `\(ref)`", "no activity of this experiment is named `\(ref)`")
        return nil
    }

    /// A step that keeps `validate` failing until a person replaces it.
    func todo(_ text: String) -> ImportedYAML {
        .map([.init("TODO", .string(text + ": see the NOT MAPPED list at the top"))])
    }

    // MARK: helpers

    /// A plan or step name: lowercase letters, digits and `-`, at most 63 characters.
    static func slug(_ text: String, fallback: String) -> String {
        var out = ""
        for c in text.lowercased() {
            if (c.isLetter && c.isASCII) || c.isNumber && c.isASCII {
                out.append(c)
            } else if !out.isEmpty, out.last != "-" {
                out.append("-")
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        out = String(out.prefix(63))
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? fallback : out
    }

    /// A unique step or probe name from an activity's name.
    mutating func uniqueName(_ name: String?, fallback: String) -> String {
        let base = Self.slug(name ?? fallback, fallback: fallback)
        var candidate = base
        var n = 2
        while usedNames.contains(candidate) {
            candidate = String(base.prefix(58)) + "-\(n)"
            n += 1
        }
        usedNames.insert(candidate)
        return candidate
    }

    /// Seconds as a Firedrill duration: `5s`, `1.5s`, `250ms`.
    static func duration(seconds: Double) -> String {
        let ms = (seconds * 1000).rounded()
        if ms.truncatingRemainder(dividingBy: 1000) == 0 { return "\(Int64(ms / 1000))s" }
        return "\(Int64(ms))ms"
    }

    static func pointerToken(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// A string of the experiment with its configuration references rewritten (`${ns}` of an environment entry
    /// becomes `${env.NS}`).
    func text(_ s: String) -> String {
        var out = s
        for (name, replacement) in substitutions {
            out = out.replacingOccurrences(of: "${\(name)}", with: replacement)
        }
        return out
    }
}
