import Foundation

extension Translation {
    /// One activity as a Firedrill probe (steady state, guards) or step (method, rollbacks); nil when it could not
    /// be mapped (then it is listed) or is not an activity at all (then it is an error).
    mutating func activity(_ node: PlanNode, pointer: String, asProbe: Bool) -> ImportedYAML? {
        var node = node
        var pointer = pointer
        if node["ref"] != nil {
            guard let resolved = resolveRef(node, pointer: pointer) else { return nil }
            (node, pointer) = resolved
        }
        guard node.entries != nil else {
            error(node, pointer, "an activity must be an object with `type`, `name` and `provider`")
            return nil
        }
        let type = node["type"]?.scalar ?? ""
        guard type == "action" || type == "probe" else {
            error(node["type"] ?? node, pointer + "/type", "unknown activity type `\(type)`: expected `action` or `probe`")
            return nil
        }
        let name = node["name"]?.scalar
        let what = "\(type) \"\(name ?? "unnamed")\""
        guard let provider = node["provider"], provider.entries != nil else {
            error(node, pointer, "the \(what) has no `provider`")
            return nil
        }
        let providerType = provider["type"]?.scalar ?? ""
        var entries: [ImportedYAML.Entry] = []
        var field: ToleranceTarget
        switch providerType {
        case "http":
            guard let url = provider["url"]?.scalar else {
                error(provider, pointer + "/provider", "an http provider needs a `url`")
                return nil
            }
            if asProbe {
                entries.append(.init("http", httpRequest(provider, url: url)))
                field = .http
            } else {
                entries.append(.init("command", .list(curl(provider, url: url).map { .string($0) })))
                notes.append("the http \(type) \"\(name ?? "")\" at \(pointer) runs as `curl` (Firedrill's method has no HTTP step); its response status is not checked, as in Chaos Toolkit")
                field = .process
            }
            if let seconds = Self.timeoutSeconds(provider["timeout"]) {
                entries.append(.init("timeout", .string(Self.duration(seconds: seconds))))
            }
        case "process":
            guard let program = provider["path"]?.scalar else {
                error(provider, pointer + "/provider", "a process provider needs a `path`")
                return nil
            }
            let argv: [String]
            do {
                argv = try processArgv(program, provider["arguments"])
            } catch {
                notMapped(node, pointer, what, error.description)
                return nil
            }
            entries.append(.init("command", .list(argv.map { .string(text($0)) })))
            if let seconds = Self.timeoutSeconds(provider["timeout"]) {
                entries.append(.init("timeout", .string(Self.duration(seconds: seconds))))
            }
            field = .process
        case "python":
            let module = provider["module"]?.scalar ?? ""
            let function = provider["func"]?.scalar ?? ""
            switch pythonActivity(module: module, function: function, arguments: provider["arguments"]) {
            case .mapped(let key, let params):
                entries.append(.init(key, .map(params)))
            case .refused(let why):
                notMapped(node, pointer, what, why)
                return nil
            }
            field = .none
        default:
            error(provider["type"] ?? provider, pointer + "/provider/type",
                  "unknown provider type `\(providerType)`: expected `http`, `process` or `python`")
            return nil
        }
        if let tolerance = node["tolerance"], asProbe || type == "probe" {
            switch expectation(tolerance, target: field) {
            case .mapped(let expect):
                if asProbe, let expect { entries.append(.init("expect", expect)) }
            case .refused(let why):
                notMapped(tolerance, pointer + "/tolerance", "the tolerance of \(what)", why)
                return nil
            }
        }
        if node["controls"] != nil {
            notes.append("the controls of the \(what) at \(pointer) were left out")
        }
        let fallback = asProbe ? "probe" : "step"
        return .map([.init("name", .string(uniqueName(name, fallback: fallback)))] + entries)
    }

    // MARK: http

    func httpRequest(_ provider: PlanNode, url: String) -> ImportedYAML {
        var params: [ImportedYAML.Entry] = [.init("url", .string(text(url)))]
        let method = (provider["method"]?.scalar ?? "GET").uppercased()
        if method != "GET" { params.append(.init("method", .string(method))) }
        var headers = (provider["headers"]?.entries ?? []).compactMap { e in e.value.scalar.map { (e.key, text($0)) } }
        if let body = httpBody(provider["arguments"]) {
            if provider["arguments"]?.entries != nil, !headers.contains(where: { $0.0.lowercased() == "content-type" }) {
                headers.append(("Content-Type", "application/json"))
            }
            params.append(.init("body", .string(body)))
        }
        if !headers.isEmpty { params.insert(.init("headers", .map(headers.map { .init($0.0, .string($0.1)) })), at: 1) }
        return .map(params)
    }

    /// `curl` for an HTTP action in the method: the same request, its response shown in the step's output.
    func curl(_ provider: PlanNode, url: String) -> [String] {
        var argv = ["curl", "--silent", "--show-error"]
        if let seconds = Self.timeoutSeconds(provider["timeout"]) { argv += ["--max-time", Self.number(seconds)] }
        argv += ["--request", (provider["method"]?.scalar ?? "GET").uppercased()]
        var headers = (provider["headers"]?.entries ?? []).compactMap { e in e.value.scalar.map { "\(e.key): \(text($0))" } }
        if let body = httpBody(provider["arguments"]) {
            if provider["arguments"]?.entries != nil, !headers.contains(where: { $0.lowercased().hasPrefix("content-type:") }) {
                headers.append("Content-Type: application/json")
            }
            argv += ["--data-raw", body]
        }
        for h in headers { argv += ["--header", h] }
        return argv + ["--", text(url)]
    }

    /// A request body: a JSON object as compact JSON, a string as it is.
    func httpBody(_ arguments: PlanNode?) -> String? {
        guard let arguments else { return nil }
        if let s = arguments.scalar { return text(s) }
        return text(JSONOutput.compact(Self.json(arguments)))
    }

    /// A parsed node as JSON: quoted scalars stay strings, plain ones become numbers, booleans and null.
    static func json(_ node: PlanNode) -> JSONValue {
        switch node.content {
        case .scalar(let s, let quoted):
            if quoted { return .string(s) }
            if s == "true" { return .bool(true) }
            if s == "false" { return .bool(false) }
            if s == "null" || s == "~" { return .null }
            if let d = Double(s) { return .number(d) }
            return .string(s)
        case .sequence(let items): return .array(items.map(json))
        case .mapping(let entries): return .object(Dictionary(entries.map { ($0.key, json($0.value)) }, uniquingKeysWith: { a, _ in a }))
        }
    }

    static func timeoutSeconds(_ node: PlanNode?) -> Double? {
        if let s = node?.scalar.flatMap(Double.init), s > 0 { return s }
        if let parts = node?.sequence?.compactMap({ $0.scalar.flatMap(Double.init) }), !parts.isEmpty { return parts.reduce(0, +) }
        return nil
    }

    static func number(_ d: Double) -> String {
        d.rounded() == d ? String(Int64(d)) : String(d)
    }

    // MARK: process

    /// `path` plus its arguments: a list as it is, a string split as a shell would (refused when only a shell can
    /// run it), a mapping turned into `--key value` pairs as Chaos Toolkit does.
    func processArgv(_ program: String, _ arguments: PlanNode?) throws(ShellWords.NeedsShell) -> [String] {
        let shells: Set<String> = ["sh", "bash", "zsh", "dash", "ksh"]
        var argv = [program]
        if let arguments {
            if let line = arguments.scalar {
                argv += try ShellWords.split(line)
            } else if let items = arguments.sequence {
                argv += items.compactMap(\.scalar)
            } else if let entries = arguments.entries {
                for e in entries {
                    argv.append("--\(e.key)")
                    if let v = e.value.scalar, v != "true" { argv.append(v) }
                }
            }
        }
        if shells.contains((program as NSString).lastPathComponent), argv.contains("-c") {
            throw ShellWords.NeedsShell(reason: "it runs a shell script (`\(program) -c`): write the commands as steps, or as a script file run by `command`")
        }
        return argv
    }

    // MARK: tolerances

    /// What a tolerance is checked against.
    enum ToleranceTarget {
        case http, process, none
    }

    enum Expectation {
        case mapped(ImportedYAML?)
        case refused(String)
    }

    /// A Chaos Toolkit tolerance as an `expect` map.
    func expectation(_ tolerance: PlanNode, target: ToleranceTarget) -> Expectation {
        let statusField = target == .http ? "status" : "exit-code"
        if target == .none { return .refused("there is no Firedrill probe to check it against") }
        if let s = tolerance.scalar {
            if !tolerance.isQuoted, s == "true" {
                return .mapped(target == .process ? .map([.init("exit-code", .literal("0"))]) : nil)
            }
            if !tolerance.isQuoted, s == "false" { return .refused("a `false` tolerance (the probe must fail) has no Firedrill equivalent") }
            if !tolerance.isQuoted, Int(s) != nil { return .mapped(.map([.init(statusField, .literal(s))])) }
            if target == .http { return .mapped(.map([.init("body", .string(s))])) }
            return .mapped(.map([.init("stdout", .string("/^" + Self.regexEscape(s) + "\\n?$/"))]))
        }
        if let items = tolerance.sequence {
            let values = items.compactMap { $0.isQuoted ? nil : $0.scalar.flatMap(Int.init) }
            guard values.count == items.count, !values.isEmpty else { return .refused("a list tolerance of other than whole numbers") }
            return .mapped(.map([.init(statusField, .list(values.map { .literal(String($0)) }))]))
        }
        switch tolerance["type"]?.scalar {
        case "jsonpath":
            guard target == .http, let path = tolerance["path"]?.scalar, let expect = tolerance["expect"] else {
                return .refused("a jsonpath tolerance without `expect`, or on something other than an HTTP body")
            }
            let value: ImportedYAML = expect.scalar.map { expect.isQuoted ? .string($0) : .literal($0) } ?? .string(JSONOutput.compact(Self.json(expect)))
            return .mapped(.map([.init("json", .map([.init(path, value)]))]))
        case "regex":
            guard let pattern = tolerance["pattern"]?.scalar else { return .refused("a regex tolerance without `pattern`") }
            let field = tolerance["target"]?.scalar ?? (target == .http ? "body" : "stdout")
            guard ["body", "stdout", "stderr"].contains(field) else { return .refused("a regex on `\(field)`") }
            return .mapped(.map([.init(field, .string("/" + pattern + "/"))]))
        case "range":
            guard let bounds = tolerance["range"]?.sequence?.compactMap(\.scalar), bounds.count == 2,
                  bounds.allSatisfy({ Double($0) != nil }) else { return .refused("a range tolerance without two numbers") }
            let field = tolerance["target"]?.scalar ?? statusField
            guard field == "status" || field == statusField else { return .refused("a range on `\(field)`") }
            return .mapped(.map([.init(statusField, .string("between \(bounds[0]) and \(bounds[1])"))]))
        case "probe":
            return .refused("a tolerance that is itself a probe")
        default:
            return .refused("a tolerance of type `\(tolerance["type"]?.scalar ?? "unknown")`")
        }
    }

    static func regexEscape(_ s: String) -> String {
        var out = ""
        for c in s {
            if "\\^$.|?*+()[]{}/".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }
}
