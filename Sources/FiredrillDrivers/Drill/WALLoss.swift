import FiredrillCore

/// The RPO of a PostgreSQL failover in WAL terms: how many bytes of WAL the old primary had flushed that the
/// promoted server never had.
struct WALLoss: Sendable {
    /// The old primary's last flushed LSN the heartbeat read before the disaster, and when (runner wall clock).
    var oldPrimaryFlushed: PGLSN
    var seenAt: Double
    /// The promoted server's LSN at promotion.
    var promoted: PGLSN?
    var promotedSource: String?
    /// Why the two positions cannot be compared.
    var problem: String?

    init(oldPrimaryFlushed: PGLSN, seenAt: Double) {
        self.oldPrimaryFlushed = oldPrimaryFlushed
        self.seenAt = seenAt
    }

    /// Bytes the promoted server is short of the old primary's last known flushed position; 0 when it has it all.
    var bytesLost: Int64? {
        guard problem == nil, let promoted else { return nil }
        return max(0, oldPrimaryFlushed.bytes(since: promoted))
    }

    var summary: String {
        if let problem { return "not compared: \(problem)" }
        guard let bytes = bytesLost else { return "not compared: the promoted server's position is unknown" }
        return bytes == 0 ? "none (byte-exact: the promoted server has everything up to \(oldPrimaryFlushed))"
            : "\(bytes) bytes lost (old primary flushed \(oldPrimaryFlushed) before the disaster, promoted at \(promoted.map(\.description) ?? "?"))"
    }

    var json: JSONValue {
        [
            "old-primary-flushed-lsn": .string(oldPrimaryFlushed.description), "old-primary-seen-at": .number(seenAt),
            "promoted-lsn": promoted.map { .string($0.description) } ?? .null,
            "promoted-lsn-source": promotedSource.map { .string($0) } ?? .null,
            "bytes-lost": bytesLost.map { .number(Double($0)) } ?? .null,
            "problem": problem.map { .string($0) } ?? .null, "summary": .string(summary),
        ]
    }
}
