import FiredrillCore

/// `aws.route53.failover`: points a DNS record at new values (the standby). The current record set is read
/// first; the `aws.route53.restore-record` undo, which UPSERTs it back (or DELETEs the record when there was
/// none), is journaled before the change. Records with a routing policy (a `SetIdentifier`) are refused.
public struct AWSRoute53FailoverDriver: StepDriver, ProgramDriver {
    static let key = "aws.route53.failover"

    public static let spec = DriverSpec(
        "aws.route53.failover", role: .step, "Points a DNS record at the standby region.",
        timeout: "5m",
        params: AWSParams.access + [
            ParamSpec("hosted-zone", .string, required: true, "hosted zone id"),
            ParamSpec("record", .string, required: true, "record name, e.g. api.example.com."),
            ParamSpec("type", .enumeration(["A", "AAAA", "CNAME"]), default: "A", "record type"),
            ParamSpec("values", .stringList, required: true, "the new record values"),
            ParamSpec("ttl", .integer(min: 0, max: nil), default: "60", "record TTL in seconds"),
        ],
        undo: "the previous record restored",
        program: "aws"
    )

    public static func dryRunArgv(_ p: DriverParams, environment: [String: String]) throws -> [[String]]? {
        [AWSCLI.argv("route53", "list-resource-record-sets", try listArgs(p), access: AWSCLI.access(p)),
         AWSCLI.argv("route53", "change-resource-record-sets", try changeArgs(p), access: AWSCLI.access(p))]
    }

    public static func previewTargets(_ p: DriverParams, environment: [String: String]) async throws -> [String]? {
        let current = try await currentRecordSet(p, aws: AWSCLI(key: key, environment: environment), context: BuiltinDrivers.previewContext)
        let record = normalized(try p.string("record"))
        return ["\(record) \(p.text("type") ?? "A"): " + (current.map(describe) ?? "no record yet")]
    }

    let environment: [String: String]

    /// - Parameter environment: variables set on top of the process environment for every aws call.
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = Self.params(params)
        let aws = AWSCLI(key: Self.key, environment: environment)
        let zone = try p.string("hosted-zone")
        let record = Self.normalized(try p.string("record"))
        let type = p.text("type") ?? "A"
        let previous = try await Self.currentRecordSet(p, aws: aws, context: context)
        await context.record(.targetsResolved, ["hosted-zone": .string(zone), "record": .string(record), "type": .string(type),
                                                  "previous": previous ?? .null])
        let newSet = try Self.recordSet(p)
        let restore: JSONValue = previous.map { ["Action": "UPSERT", "ResourceRecordSet": $0] }
            ?? ["Action": "DELETE", "ResourceRecordSet": newSet]
        var undoParams = AWSCLI.accessJSON(p)
        undoParams["hosted-zone"] = .string(zone)
        undoParams["change"] = restore
        let was = previous.map(Self.describe) ?? "no record"
        _ = try await context.willApply(UndoAction(key: "aws.route53.restore-record", params: .object(undoParams),
                                                   description: previous == nil ? "delete \(record) \(type)" : "restore \(record) \(type) to \(was)"))
        let answer = try await aws.call("route53", "change-resource-record-sets", try Self.changeArgs(p),
                                        access: AWSCLI.access(p), context: context)
        let status = answer["ChangeInfo"]?["Status"]?.stringValue ?? "submitted"
        return StepOutcome(output: ["record": .string(record), "type": .string(type), "previous": previous ?? .null,
                                    "values": .array((p.list("values") ?? []).map { .string($0) }), "change-status": .string(status)],
                           summary: "\(record) \(type): \(was) → \(Self.describe(newSet)) (\(status))")
    }

    static func listArgs(_ p: DriverParams) throws -> [String] {
        ["--hosted-zone-id=\(try p.string("hosted-zone"))", "--start-record-name=\(normalized(try p.string("record")))",
         "--start-record-type=\(p.text("type") ?? "A")", "--max-items=1"]
    }

    static func changeArgs(_ p: DriverParams) throws -> [String] {
        let batch: JSONValue = ["Comment": "firedrill aws.route53.failover", "Changes": [["Action": "UPSERT", "ResourceRecordSet": try recordSet(p)]]]
        return ["--hosted-zone-id=\(try p.string("hosted-zone"))", "--change-batch=\(batch.canonicalJSON())"]
    }

    /// The record set the step writes.
    static func recordSet(_ p: DriverParams) throws -> JSONValue {
        let values = p.list("values") ?? []
        guard !values.isEmpty else { throw DriverError(p.key, "`values` must list at least one value") }
        return [
            "Name": .string(normalized(try p.string("record"))), "Type": .string(p.text("type") ?? "A"),
            "TTL": .number(Double(try p.int("ttl") ?? 60)),
            "ResourceRecords": .array(values.map { ["Value": .string($0)] }),
        ]
    }

    /// The record set with this exact name and type, or nil when there is none.
    static func currentRecordSet(_ p: DriverParams, aws: AWSCLI, context: DriverContext) async throws -> JSONValue? {
        let listed = try await aws.call("route53", "list-resource-record-sets", try listArgs(p), access: AWSCLI.access(p), context: context)
        let name = normalized(try p.string("record"))
        let type = p.text("type") ?? "A"
        let matching = (listed["ResourceRecordSets"]?.arrayValue ?? []).filter {
            $0["Name"]?.stringValue.map(normalized) == name && $0["Type"]?.stringValue == type
        }
        if matching.contains(where: { $0["SetIdentifier"] != nil }) {
            throw DriverError(p.key, "\(name) \(type) uses a routing policy (SetIdentifier); only simple records can be failed over")
        }
        return matching.first
    }

    /// Lower case with the trailing dot Route 53 prints.
    static func normalized(_ name: String) -> String {
        let lower = name.lowercased()
        return lower.hasSuffix(".") ? lower : lower + "."
    }

    static func describe(_ set: JSONValue) -> String {
        if let alias = set["AliasTarget"]?["DNSName"]?.stringValue { return "alias \(alias)" }
        let values = (set["ResourceRecords"]?.arrayValue ?? []).compactMap { $0["Value"]?.stringValue }
        return values.isEmpty ? "(no values)" : values.joined(separator: ", ")
    }
}
