/// One reply of the Redis protocol (RESP2): a simple string, an error, an integer, a bulk string (nil when
/// absent) or an array.
enum RESPValue: Sendable, Equatable {
    case simple(String)
    case error(String)
    case integer(Int64)
    case bulk([UInt8]?)
    case array([RESPValue]?)

    /// The reply as text, for simple and bulk strings.
    var text: String? {
        switch self {
        case .simple(let s): return s
        case .bulk(let bytes?): return String(decoding: bytes, as: UTF8.self)
        default: return nil
        }
    }

    /// A command as RESP: an array of bulk strings.
    static func encode(_ argv: [String]) -> [UInt8] {
        var out = Array("*\(argv.count)\r\n".utf8)
        for arg in argv {
            let bytes = Array(arg.utf8)
            out += Array("$\(bytes.count)\r\n".utf8) + bytes + [13, 10]
        }
        return out
    }
}
