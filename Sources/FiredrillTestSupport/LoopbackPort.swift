import Foundation

/// TCP ports on 127.0.0.1 for test servers.
public enum LoopbackPort {
    /// A port that was free a moment ago: the kernel picks one for a socket bound to 127.0.0.1:0, which is then
    /// closed. Nothing listens on it until a server binds it (callers retry if another process took it first).
    public static func free() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PostgresFixtureError.system(what: "socket", detail: String(cString: strerror(errno))) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa -> Bool in
                bind(fd, sa, length) == 0 && getsockname(fd, sa, &length) == 0
            }
        }
        guard bound else { throw PostgresFixtureError.system(what: "bind 127.0.0.1:0", detail: String(cString: strerror(errno))) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
