import Foundation

extension PlanLoader {
    /// Checks a driver's parameters against its catalog entry: unknown, duplicate, missing and ill-typed values,
    /// and the rules across parameters. With `shorthand` the plan wrote a plain value (`command: [argv…]`,
    /// `wait: 5s`), so messages name the driver rather than a parameter the user never wrote.
    mutating func checkParams(_ params: PlanNode, spec: DriverSpec, context: String, shorthand: Bool = false) {
        var params = params
        if params.isNull, !spec.params.contains(where: \.required) {
            // `process.kill:` with nothing after it: no parameters, but the rules across them still apply.
            params = PlanNode(.mapping([]), at: params.location)
        }
        guard let entries = params.entries else {
            if params.isNull, spec.params.contains(where: \.required) {
                let required = spec.params.filter(\.required).map { "`\($0.name)`" }.joined(separator: ", ")
                error(params.location, "\(context) needs parameters: \(required)")
            } else if !params.isNull {
                error(params.location, "\(context) takes a map of parameters, but this is \(params.kindName)")
            }
            return
        }
        checkKeys(entries, allowed: spec.params.map(\.name), context: context)
        for p in spec.params where p.required && params.entry(p.name) == nil {
            error(params.location, "\(context) is missing `\(p.name)` (\(p.type.summary)): \(p.summary)")
        }
        checkRules(params, rules: spec.rules, context: context)
        for entry in entries {
            guard let p = spec.param(entry.key) else { continue }
            checkValue(entry.value, type: p.type, name: shorthand ? spec.key : "\(spec.key).\(entry.key)")
            caution(entry.value, spec: p, name: "\(spec.key).\(entry.key)")
            if p.type == .probe, !DriverCatalog.control.contains(where: { $0.key == spec.key }) {
                checkStepProbe(entry.value, name: "\(spec.key).\(entry.key)")
            }
            if spec.key.hasPrefix("aws.") { refuseFileScheme(entry.value, name: "\(spec.key).\(entry.key)") }
        }
    }

    /// Checks the rules across the parameters (or options) of one map.
    mutating func checkRules(_ params: PlanNode, rules: [ParamRule], context: String) {
        for rule in rules {
            let given = rule.names.filter { params.entry($0) != nil }
            switch rule {
            case .exactlyOne(let names) where given.isEmpty:
                error(params.location, "\(context) needs one of \(names.map { "`\($0)`" }.joined(separator: ", "))")
            case .requires(let name, let needed):
                guard let given = params.entry(name) else { break }
                for other in needed where params.entry(other) == nil {
                    error(given.keyLocation, "\(context) sets `\(name)`, which needs `\(other)` too")
                }
            case .exactlyOne, .atMostOne:
                if given.count > 1, let second = params.entry(given[1]) {
                    error(second.keyLocation, "\(context) takes only one of \(rule.names.map { "`\($0)`" }.joined(separator: ", ")), but sets \(given.map { "`\($0)`" }.joined(separator: " and "))")
                }
            }
        }
    }

    /// Warns when a parameter with a caution (`insecure-skip-verify`) is set to true: the plan runs, but says so.
    mutating func caution(_ node: PlanNode, spec: ParamSpec, name: String) {
        guard let caution = spec.caution, let raw = node.scalar, resolveKnown(raw).lowercased() == "true" else { return }
        diagnostics.append(Diagnostic(.warning, at: node.location, "`\(name)`: \(caution)"))
    }

    /// A probe a driver polls itself (`process.start`'s `ready`): its driver, parameters and `expect` are checked at
    /// load, at their lines, like a steady-state probe's. (`until`'s probe is the runner's, checked with the step.)
    mutating func checkStepProbe(_ node: PlanNode, name: String) {
        guard node.entries != nil, let spec = probe(node, section: name, index: nil, allowUse: false) else { return }
        if spec.expectNode == nil {
            error(node.location, "`\(name)` needs an `expect`: a probe that checks nothing would pass at once, so readiness would be assumed, not measured",
                  hint: "for example `expect: { connected: true }` for `tcp`, `expect: { status: 200 }` for `http`")
        }
    }

    /// Refuses `file://` and `fileb://` anywhere in an aws parameter: the aws CLI would send a local file's contents.
    mutating func refuseFileScheme(_ node: PlanNode, name: String) {
        switch node.content {
        case .scalar(let raw, _):
            if let scheme = ParamType.awsFileScheme(resolveKnown(raw)) {
                error(node.location, "`\(name)` starts with `\(scheme)`: the aws CLI would read a local file and send its contents",
                      hint: "give the value itself; Firedrill never lets a plan make the aws CLI read files")
            }
        case .sequence(let items): items.forEach { refuseFileScheme($0, name: name) }
        case .mapping(let entries): entries.forEach { refuseFileScheme($0.value, name: "\(name).\($0.key)") }
        }
    }

    /// Checks one value against its declared type. Values that reference the environment, secrets or step
    /// results cannot be known before the run and are checked then.
    mutating func checkValue(_ node: PlanNode, type: ParamType, name: String) {
        if let raw = node.scalar {
            let text = resolveKnown(raw)
            // A reference left after substitution is checked at run time; a malformed one was already reported.
            if Self.hasReferences(text) { return }
            checkScalar(node, text: text, raw: raw, type: type, name: name)
            return
        }
        switch type {
        case .argv, .stringList:
            guard let items = node.sequence else {
                error(node.location, "`\(name)` must be a list, but this is \(node.kindName)")
                return
            }
            if type == .argv, items.isEmpty {
                error(node.location, "`\(name)` is an empty command: give at least the program")
            }
            for item in items where item.scalar == nil {
                error(item.location, "`\(name)` items must be strings, but this is \(item.kindName)")
            }
        case .stringMap:
            guard let entries = node.entries else {
                error(node.location, "`\(name)` must be a map, but this is \(node.kindName)")
                return
            }
            checkKeys(entries, allowed: entries.map(\.key), context: "`\(name)`")
            for entry in entries where entry.value.scalar == nil {
                error(entry.value.location, "`\(name).\(entry.key)` must be a single value, but this is \(entry.value.kindName)")
            }
        case .tolerance:
            diagnostics += Tolerance.parse(node).1
        case .steps, .probe:
            break
        case .options(let specs, let rules):
            guard let entries = node.entries else {
                error(node.location, "`\(name)` must be a map, but this is \(node.kindName)")
                return
            }
            checkKeys(entries, allowed: specs.map(\.name), context: "`\(name)`")
            checkRules(node, rules: rules, context: "`\(name)`")
            for entry in entries {
                guard let option = specs.first(where: { $0.name == entry.key }) else { continue }
                checkValue(entry.value, type: option.type, name: "\(name).\(entry.key)")
                caution(entry.value, spec: option, name: "\(name).\(entry.key)")
            }
        case .oneOf(let types):
            if types.contains(.stringList) || types.contains(.argv) { checkValue(node, type: .stringList, name: name) }
            if let options = types.first(where: { if case .options = $0 { true } else { false } }) { checkValue(node, type: options, name: name) }
        default:
            error(node.location, "`\(name)` must be \(type.summary), but this is \(node.kindName)")
        }
    }

    mutating func checkScalar(_ node: PlanNode, text: String, raw: String, type: ParamType, name: String) {
        let shown = raw == text ? "" : " (`\(raw)` is `\(text)`)"
        func fail(_ message: String, hint: String? = nil) {
            error(node.location, "`\(name)`: \(message)\(shown)", hint: hint)
        }
        switch type {
        case .string, .regex:
            if node.isNull { fail("a value is required") }
            if type == .regex, (try? Regex(text)) == nil {
                fail("`\(text)` is not a valid regular expression")
            }
        case .url:
            let lowered = text.lowercased()
            if !(lowered.hasPrefix("http://") || lowered.hasPrefix("https://")) || URL(string: text)?.host == nil {
                fail("`\(text)` is not an http:// or https:// URL")
            }
        case .dsn:
            if text.isEmpty { fail("a connection string is required") }
        case .integer(let lo, let hi):
            _ = integer(node, name, min: lo, max: hi)
        case .number:
            if let value = Double(text) {
                if !value.isFinite || abs(value) > 1e15 { fail("`\(text)` is out of range", hint: "numbers are at most 1e15 in size") }
            } else {
                fail("`\(text)` is not a number")
            }
        case .boolean:
            if !["true", "false"].contains(text) {
                fail("`\(text)` is not a boolean", hint: "write `true` or `false`")
            }
        case .duration:
            do { _ = try DurationSyntax.parse(text) } catch { fail(error.message, hint: error.hint) }
        case .rate:
            do { _ = try Rate.parse(text) } catch { fail(error.message, hint: error.hint) }
        case .percentage:
            do { _ = try Percentage.parse(text) } catch { fail(error.message, hint: error.hint) }
        case .byteSize:
            do { _ = try ByteSize.parse(text) } catch { fail(error.message, hint: error.hint) }
        case .countOrMax:
            if text != "max" {
                if let v = Int(text) {
                    if v < 1 { fail("must be at least 1, or `max`", hint: v < 0 ? "counts cannot be negative" : nil) }
                    if v > ParamType.largestCount { fail("must be at most \(ParamType.largestCount), or `max`") }
                } else {
                    fail("`\(text)` is neither a whole number nor `max`")
                }
            }
        case .enumeration(let values):
            if !values.contains(text) {
                fail("`\(text)` is not one of \(values.joined(separator: ", "))", hint: Suggestion.hint(for: text, in: values))
            }
        case .signal:
            if !Self.isSignal(text) {
                fail("`\(text)` is not a signal", hint: "use a name such as KILL, TERM, INT, HUP, STOP, CONT, USR1, or a number 1–64")
            }
        case .argv:
            let words = text.split(separator: " ").map(String.init)
            let suggestion = "[" + words.map { $0.contains(",") || $0.contains(":") ? "\"\($0)\"" : $0 }.joined(separator: ", ") + "]"
            error(node.location, "`\(name)` is one shell string; Firedrill runs commands as a list of arguments, never through a shell",
                  hint: "write it as a list: \(suggestion)")
        case .stringList:
            error(node.location, "`\(name)` must be a list, but this is \(node.kindName)", hint: "write `[\(text)]`")
        case .stringMap:
            error(node.location, "`\(name)` must be a map, but this is \(node.kindName)")
        case .tolerance:
            diagnostics += Tolerance.parse(node).1
        case .steps:
            error(node.location, "`\(name)` must be a list of steps, but this is \(node.kindName)")
        case .probe:
            error(node.location, "`\(name)` must be a probe (a map with one probe driver key and its `expect`), but this is \(node.kindName)")
        case .file:
            // The file must exist where the plan runs, which may not be where it is validated (CI): here it is a
            // warning at its line; the driver names a missing file again before it connects.
            var isDirectory: ObjCBool = false
            func caution(_ message: String) {
                diagnostics.append(Diagnostic(.warning, at: node.location, "`\(name)`: \(message)\(shown)",
                                              hint: "it must exist where the plan runs; a relative path is read from the directory firedrill runs in"))
            }
            if node.isNull || text.isEmpty {
                fail("a file path is required")
            } else if !FileManager.default.fileExists(atPath: text, isDirectory: &isDirectory) {
                caution("no such file `\(text)` here")
            } else if isDirectory.boolValue {
                caution("`\(text)` is a directory here, not a file")
            } else if !FileManager.default.isReadableFile(atPath: text) {
                caution("`\(text)` cannot be read here (permission denied)")
            }
        case .options:
            fail("must be a map, but this is \(node.kindName)")
        case .oneOf(let types):
            if types.contains(.stringList) { return }
            // `tls: true` or a map of options: a scalar must be the boolean.
            if types.contains(.boolean), !types.contains(.string) { checkScalar(node, text: text, raw: raw, type: .boolean, name: name) }
        }
    }

    static let signalNames: Set<String> = [
        "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
        "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ",
        "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
    ]

    static func isSignal(_ text: String) -> Bool {
        if let n = Int(text) { return (1...64).contains(n) }
        let upper = text.uppercased()
        return signalNames.contains(upper.hasPrefix("SIG") ? String(upper.dropFirst(3)) : upper)
    }
}
