import FiredrillCore

/// Undo of `aws.route53.failover`: applies the recorded change (an UPSERT of the previous record set, or a
/// DELETE of the record the step created).
public struct AWSRoute53RestoreRecordUndo: DeclaredUndo {
    public static let key = "aws.route53.restore-record"
    let environment: [String: String]

    /// - Parameter environment: variables set on top of the process environment for every aws call.
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    public func undo(_ params: JSONValue, context: DriverContext) async throws -> String {
        guard let zone = params["hosted-zone"]?.stringValue, let change = params["change"], change["ResourceRecordSet"] != nil else {
            throw DriverError(Self.key, "the recorded undo lacks the hosted zone or the change")
        }
        let batch: JSONValue = ["Comment": .string("firedrill: undo \(context.name)"), "Changes": [change]]
        _ = try await AWSCLI(key: Self.key, environment: environment).call(
            "route53", "change-resource-record-sets", ["--hosted-zone-id=\(zone)", "--change-batch=\(batch.canonicalJSON())"],
            access: AWSCLI.access(params), context: context)
        let set = change["ResourceRecordSet"] ?? .null
        let name = set["Name"]?.stringValue ?? "?"
        let type = set["Type"]?.stringValue ?? "?"
        if change["Action"]?.stringValue == "DELETE" { return "deleted \(name) \(type)" }
        return "restored \(name) \(type) to \(AWSRoute53FailoverDriver.describe(set))"
    }
}
