/// Keeps at most `limit` bytes of a stream: the first half and the last half, counting what
/// falls in between.
struct CappedOutput: Sendable {
    let limit: Int
    private var head: [UInt8] = []
    private var tail: [UInt8] = []
    private(set) var totalBytes = 0

    init(limit: Int) { self.limit = max(0, limit) }

    private var headLimit: Int { limit / 2 }
    private var tailLimit: Int { limit - headLimit }

    mutating func append(_ bytes: some Collection<UInt8>) {
        totalBytes += bytes.count
        var rest = bytes[...]
        if head.count < headLimit {
            let take = min(headLimit - head.count, rest.count)
            head += rest.prefix(take)
            rest = rest.dropFirst(take)
        }
        guard !rest.isEmpty, tailLimit > 0 else { return }
        tail += rest.suffix(tailLimit)
        if tail.count > 2 * tailLimit {
            tail.removeFirst(tail.count - tailLimit)
        }
    }

    var elidedBytes: Int { max(0, totalBytes - head.count - min(tail.count, tailLimit)) }

    /// The kept text, with a `[… N bytes elided …]` line where bytes were dropped.
    func render() -> String {
        let keptTail = tail.suffix(tailLimit)
        let elided = elidedBytes
        guard elided > 0 else { return String(decoding: head + keptTail, as: UTF8.self) }
        let marker = "\n[… \(elided) bytes elided …]\n"
        return String(decoding: head, as: UTF8.self) + marker + String(decoding: keptTail, as: UTF8.self)
    }
}
