import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Pid files written atomically: a temporary file in the same directory, then `rename(2)`,
/// so a reader never sees a partial file.
public enum PIDFile {
    public static func write(_ pid: Int32, to path: String) throws(SandboxError) {
        let temporary = "\(path).tmp-\(getpid())"
        do {
            try Data("\(pid)\n".utf8).write(to: URL(fileURLWithPath: temporary))
        } catch {
            throw SandboxError.stateFile(path: temporary, reason: error.localizedDescription)
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw SandboxError.stateFile(path: path, reason: reason)
        }
    }

    /// The pid in the file, or `nil` when it is missing or malformed.
    public static func read(_ path: String) -> Int32? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    public static func remove(_ path: String) {
        unlink(path)
    }
}
