import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive OS file lock (`flock`) held for as long as this process lives, with who holds it written in the
/// file. The kernel releases it when the process dies, however it dies, so a lock can never outlive its holder
/// and never needs clearing by hand. The descriptor is close-on-exec, so child processes do not inherit it.
///
/// Used for a run directory (`runner.lock`: one live runner or `recover` per run), for a plan under a reports
/// root (one run of a plan at a time) and for each target a run acts on (`LocalTargetLocks`).
public final class ProcessLock: Sendable {
    /// Who holds a lock.
    public struct Holder: Sendable, Codable, Equatable, CustomStringConvertible {
        public var pid: Int32
        public var host: String
        public var since: String
        /// `run` or `recover`.
        public var command: String
        /// The run directory the holder works on.
        public var runDirectory: String?
        /// The plan it runs, for a lock that is not the plan's own (a target lock).
        public var plan: String?

        public init(command: String, runDirectory: String?, plan: String? = nil) {
            self.pid = getpid()
            self.host = ProcessInfo.processInfo.hostName
            self.since = JournalClock.rfc3339(microseconds: JournalClock.system.wallMicroseconds())
            self.command = command
            self.runDirectory = runDirectory
            self.plan = plan
        }

        public var description: String { "pid \(pid) on \(host) since \(since)" }
    }

    /// The lock is held by another live process (or another descriptor of this one).
    public struct Held: Error, Sendable, CustomStringConvertible {
        public var path: String
        /// Nil when the holder has not written its name yet (it is starting).
        public var holder: Holder?
        public var description: String {
            "\(path) is locked by " + (holder.map { "`firedrill \($0.command)`, \($0)" } ?? "a process that is starting")
        }
    }

    public let path: String
    private let fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { _ = Foundation.close(fd) }

    /// Creates `directory` and its missing parents (`JournalFileIO.makeDirectories`); a folder that cannot be made (a
    /// reports root the user may not write to) is named with the reason, not left to a bare "no such file" on the lock.
    static func makeDirectories(_ directory: String, for path: String) throws {
        do {
            try JournalFileIO.makeDirectories(directory)
        } catch .io(_, let folder, let code) {
            throw RunError("cannot create \(folder) for the lock \(path): \(String(cString: strerror(code)))")
        } catch {
            throw RunError("cannot create \(directory) for the lock \(path): \(error)")
        }
    }

    /// Takes the lock at `path` without waiting for its holder to finish, creating the file and its directory, and
    /// records `holder` in it. When the lock is held but the file does not name a live holder yet (a new holder
    /// between its `flock` and its write, with an earlier holder's name still in the file), the lock is tried again
    /// for at most `patience`, so a refusal never names a finished process.
    /// - Throws: `Held` when another process holds it; `RunError` when the file cannot be opened.
    public static func acquire(_ path: String, holder: Holder, patience: Duration = .seconds(1)) throws -> ProcessLock {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try makeDirectories(directory, for: path) }
        let deadline = ContinuousClock.now + patience
        while true {
            let fd = Foundation.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw RunError("cannot open the lock \(path): \(String(cString: strerror(errno)))") }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 {
                let lock = ProcessLock(path: path, fd: fd)
                lock.record(holder)
                return lock
            }
            let code = errno
            _ = Foundation.close(fd)
            guard code == EWOULDBLOCK else { throw RunError("cannot lock \(path): \(String(cString: strerror(code)))") }
            let named = currentHolder(path)
            if named != nil || ContinuousClock.now >= deadline { throw Held(path: path, holder: named) }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// The holder the lock file names, unless it names a process of this host that has ended (a file the new holder
    /// has not rewritten yet): nil then, as for a holder that has not written its name.
    static func currentHolder(_ path: String) -> Holder? {
        guard let holder = readHolder(path) else { return nil }
        if holder.host == ProcessInfo.processInfo.hostName, kill(holder.pid, 0) != 0, errno == ESRCH { return nil }
        return holder
    }

    /// Rewrites who holds the lock (for example once the run directory is known).
    public func record(_ holder: Holder) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let text = ((try? encoder.encode(holder)).map { String(decoding: $0, as: UTF8.self) } ?? "{}") + "\n"
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, text, text.utf8.count, 0)
    }

    /// Whether a lock is held now.
    public enum State: Sendable, Equatable {
        case free
        /// Held by a live process; nil when it has not written its name yet.
        case held(Holder?)
    }

    /// Whether the lock at `path` is held now. A missing file is free; the file may name an earlier, dead holder,
    /// which only a held lock makes current, and which is never returned as the holder.
    public static func state(_ path: String) -> State {
        let fd = Foundation.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .free }
        defer { _ = Foundation.close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            _ = flock(fd, LOCK_UN)
            return .free
        }
        return .held(currentHolder(path))
    }

    static func readHolder(_ path: String) -> Holder? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(Holder.self, from: data)
    }
}
