/// The `INFO` sections a Redis probe reads, as `name: value` pairs.
struct RedisInfo: Sendable {
    let fields: [String: String]

    init(_ text: String) {
        var fields: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = String(line[line.index(after: colon)...])
        }
        self.fields = fields
    }

    subscript(_ name: String) -> String? { fields[name] }

    func int(_ name: String) -> Int64? { fields[name].flatMap { Int64($0) } }

    /// The replicas a primary lists (`slave0:ip=…,port=…,state=online,offset=…,lag=…`): their acknowledged offsets.
    var replicaOffsets: [Int64] {
        fields.filter { $0.key.hasPrefix("slave") && $0.key.dropFirst(5).allSatisfy(\.isNumber) }.compactMap { _, value in
            value.split(separator: ",").first { $0.hasPrefix("offset=") }.flatMap { Int64($0.dropFirst(7)) }
        }
    }
}
