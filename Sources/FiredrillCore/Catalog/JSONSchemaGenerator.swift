/// Generates the JSON Schema of the plan format from the driver catalog and `PlanSchema`, for editor completion
/// (yaml-language-server) and for other tools. It describes shapes; `firedrill validate` remains the authority.
public enum JSONSchemaGenerator {
    static let durationPattern = "^([0-9]+(\\.[0-9]+)?(us|ms|s|m|h|d))+$|\\$\\{"
    static let ratePattern = "^[0-9]+(\\.[0-9]+)?/(s|m|min|h)$|\\$\\{"
    static let percentPattern = "^[0-9]+(\\.[0-9]+)?%$|\\$\\{"
    static let bytesPattern = "^[0-9]+(\\.[0-9]+)?(B|kB|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$|\\$\\{"

    public static func schema(_ catalog: DriverCatalog) -> JSONValue {
        var defs: [String: JSONValue] = [:]
        for spec in catalog.all {
            defs["driver:" + spec.key] = paramsObject(spec.params, required: spec.params.filter(\.required).map(\.name), summary: spec.summary)
        }
        defs["probe"] = .object(["oneOf": .array(catalog.all.filter { $0.role.contains(.probe) }.map { driverEntry($0, common: PlanSchema.probeCommon) }
            + [usesEntry()])])
        defs["step"] = .object(["oneOf": .array(catalog.all.filter { $0.role.contains(.step) }.map { driverEntry($0, common: PlanSchema.stepCommon) })])
        defs["tolerance"] = .object([
            "description": .string("a literal, a list (any of), a comparison like \"< 200ms\" or \">= 99%\", \"between 1 and 5\", /regex/, or a map of fields"),
            "anyOf": .array([.object(["type": .array(["string", "number", "boolean"])]), .object(["type": "array"]), .object(["type": "object"])]),
        ])
        var properties: [String: JSONValue] = [:]
        for p in PlanSchema.topLevel {
            properties[p.name] = topLevelSchema(p)
        }
        return .object([
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "https://firedrill.dev/schema/firedrill-v1.json",
            "title": "Firedrill plan (firedrill/v1)",
            "type": "object",
            "additionalProperties": false,
            "required": .array(PlanSchema.topLevel.filter(\.required).map { .string($0.name) }),
            "properties": .object(properties),
            "definitions": .object(defs),
        ])
    }

    static func topLevelSchema(_ p: ParamSpec) -> JSONValue {
        let list = { (item: String) -> JSONValue in .object(["type": "array", "items": .object(["$ref": .string("#/definitions/\(item)")])]) }
        switch p.name {
        case "steady-state", "guards", "effect", "verify": return described(list("probe"), p)
        case "method", "rollbacks", "disaster", "recovery", "failback": return described(list("step"), p)
        case "recovered": return described(.object(["$ref": "#/definitions/probe"]), p)
        case "limits": return paramsObject(PlanSchema.limits, required: [], summary: p.summary)
        case "objectives": return paramsObject(PlanSchema.objectives, required: [], summary: p.summary)
        case "schedule": return paramsObject(PlanSchema.schedule, required: ["cron"], summary: p.summary)
        case "notify":
            var entry = paramsObject(PlanSchema.notify, required: [], summary: "one of webhook or slack")
            if case .object(var fields) = entry {
                fields["oneOf"] = .array([.object(["required": ["webhook"]]), .object(["required": ["slack"]])])
                entry = .object(fields)
            }
            return .object(["type": "array", "description": .string(p.summary), "items": entry])
        case "heartbeat":
            return .object(["type": "object", "additionalProperties": false, "description": .string(p.summary),
                            "required": ["postgres"],
                            "properties": .object([
                                "postgres": paramsObject(PlanSchema.heartbeatPostgres, required: ["dsn"], summary: "PostgreSQL markers"),
                                "lead": typeSchema(PlanSchema.heartbeat[1]),
                            ])])
        case "rpo":
            return .object(["type": "object", "additionalProperties": false, "description": .string(p.summary), "maxProperties": 1,
                            "properties": .object([
                                "heartbeat": paramsObject(PlanSchema.rpoHeartbeat, required: ["dsn"], summary: "heartbeat markers"),
                                "query": paramsObject(PlanSchema.rpoQuery, required: ["dsn", "query"], summary: "a timestamp query"),
                                "backup": paramsObject(PlanSchema.rpoBackup, required: [], summary: "the newest backup"),
                            ])])
        case "secrets":
            return .object(["type": "object", "description": .string(p.summary),
                            "additionalProperties": paramsObject(PlanSchema.secretSource, required: [], summary: "where the secret comes from")])
        case "vars":
            return .object(["type": "object", "description": .string(p.summary),
                            "additionalProperties": .object(["type": .array(["string", "number", "boolean"])])])
        default: return typeSchema(p)
        }
    }

    static func described(_ schema: JSONValue, _ p: ParamSpec) -> JSONValue {
        guard case .object(var o) = schema else { return schema }
        o["description"] = .string(p.summary)
        return .object(o)
    }

    static func driverEntry(_ spec: DriverSpec, common: [ParamSpec]) -> JSONValue {
        var properties: [String: JSONValue] = [:]
        for p in common { properties[p.name] = typeSchema(p) }
        var params: JSONValue = .object(["$ref": .string("#/definitions/driver:\(spec.key)")])
        if let shorthand = spec.shorthand, let p = spec.param(shorthand) {
            params = .object(["anyOf": .array([params, typeSchema(p)])])
        }
        properties[spec.key] = params
        if !spec.fields.isEmpty, common.contains(where: { $0.name == "expect" }) {
            properties["expect"] = expectSchema(spec)
        }
        return .object([
            "type": "object", "description": .string(spec.summary), "additionalProperties": false,
            "required": .array([.string(spec.key)]), "properties": .object(properties),
        ])
    }

    /// `expect` of one probe driver: a map of the fields it observes (each described with its kind and unit) or
    /// of JSONPaths (`$…`).
    static func expectSchema(_ spec: DriverSpec) -> JSONValue {
        var fields: [String: JSONValue] = [:]
        for field in spec.fields {
            fields[field.name] = .object(["$ref": "#/definitions/tolerance", "description": .string("\(field.summary) — \(field.kindSummary)")])
        }
        return .object([
            "type": "object", "additionalProperties": false,
            "description": .string("the tolerance per observed field: " + spec.fields.map(\.name).joined(separator: ", ")),
            "properties": .object(fields),
            "patternProperties": .object(["^\\$": .object(["$ref": "#/definitions/tolerance"])]),
        ])
    }

    static func usesEntry() -> JSONValue {
        var properties: [String: JSONValue] = [:]
        for p in PlanSchema.probeCommon { properties[p.name] = typeSchema(p) }
        return .object(["type": "object", "additionalProperties": false, "required": ["use"], "properties": .object(properties)])
    }

    static func paramsObject(_ params: [ParamSpec], required: [String], summary: String) -> JSONValue {
        var properties: [String: JSONValue] = [:]
        for p in params { properties[p.name] = typeSchema(p) }
        return .object([
            "type": "object", "description": .string(summary), "additionalProperties": false,
            "required": .array(required.map { .string($0) }), "properties": .object(properties),
        ])
    }

    static func typeSchema(_ p: ParamSpec) -> JSONValue {
        guard case .object(var o) = typeSchema(p.type) else { return .null }
        var description = p.summary
        if let d = p.defaultValue { description += " (default: \(d))" }
        o["description"] = .string(description)
        return .object(o)
    }

    static func typeSchema(_ type: ParamType) -> JSONValue {
        let interpolated: JSONValue = .object(["type": "string", "pattern": "\\$\\{"])
        switch type {
        case .string, .regex, .dsn, .signal: return .object(["type": .array(["string", "number"])])
        case .url: return .object(["type": "string", "pattern": "^(https?://|\\$\\{)"])
        case .integer(let lo, let hi):
            var o: [String: JSONValue] = ["type": "integer"]
            if let lo { o["minimum"] = .number(Double(lo)) }
            if let hi { o["maximum"] = .number(Double(hi)) }
            return .object(["anyOf": .array([.object(o), interpolated])])
        case .number: return .object(["anyOf": .array([.object(["type": "number"]), interpolated])])
        case .boolean: return .object(["anyOf": .array([.object(["type": "boolean"]), interpolated])])
        case .duration: return .object(["type": "string", "pattern": .string(durationPattern)])
        case .rate: return .object(["type": "string", "pattern": .string(ratePattern)])
        case .percentage: return .object(["type": "string", "pattern": .string(percentPattern)])
        case .byteSize: return .object(["type": "string", "pattern": .string(bytesPattern)])
        case .argv: return .object(["type": "array", "minItems": 1, "items": .object(["type": .array(["string", "number"])])])
        case .stringList: return .object(["type": "array", "items": .object(["type": .array(["string", "number", "boolean"])])])
        case .stringMap: return .object(["type": "object", "additionalProperties": .object(["type": .array(["string", "number", "boolean"])])])
        case .enumeration(let values): return .object(["anyOf": .array([.object(["enum": .array(values.map { .string($0) })]), interpolated])])
        case .tolerance: return .object(["$ref": "#/definitions/tolerance"])
        case .countOrMax: return .object(["anyOf": .array([.object(["type": "integer", "minimum": 1]), .object(["const": "max"]), interpolated])])
        case .steps: return .object(["type": "array", "items": .object(["$ref": "#/definitions/step"])])
        case .probe: return .object(["$ref": "#/definitions/probe"])
        case .oneOf(let types): return .object(["anyOf": .array(types.map(typeSchema))])
        case .file: return .object(["type": "string", "minLength": 1])
        case .options(let specs, _):
            var properties: [String: JSONValue] = [:]
            for spec in specs { properties[spec.name] = typeSchema(spec) }
            return .object(["type": "object", "additionalProperties": false, "properties": .object(properties)])
        }
    }
}
