import Foundation

/// Writes a script a test then executes (a stand-in CLI).
///
/// The file is written through a descriptor opened with `O_CLOEXEC`. Written any other way, a child that another
/// test task spawns at that moment inherits the writable descriptor across its `exec` and keeps it for its whole
/// life, and every later `exec` of the script fails with ETXTBSY ("Text file busy").
public enum ExecutableFile {
    public static func write(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard fd >= 0 else { throw Failure(path: path, call: "open", code: errno) }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(path: path, call: "write", code: errno)
            }
            written += count
        }
        guard fchmod(fd, 0o755) == 0 else { throw Failure(path: path, call: "fchmod", code: errno) }
    }

    struct Failure: Error, CustomStringConvertible {
        var path: String
        var call: String
        var code: Int32
        var description: String { "\(call) \(path): \(String(cString: strerror(code)))" }
    }
}
