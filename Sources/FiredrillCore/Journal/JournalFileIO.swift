import Foundation

/// The POSIX calls behind the journal, with `EINTR` retried and failures turned into `JournalError.io`.
enum JournalFileIO {
    /// `journal.jsonl` inside `location` when it is a directory (or does not name a `.jsonl` file); else `location`.
    static func journalFile(for location: URL) -> URL {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: location.path, isDirectory: &isDirectory) {
            return isDirectory.boolValue ? location.appendingPathComponent(Journal.fileName) : location
        }
        return location.pathExtension == "jsonl" ? location : location.appendingPathComponent(Journal.fileName)
    }

    static func open(_ path: String, flags: Int32, mode: mode_t = 0) throws(JournalError) -> Int32 {
        while true {
            let fd = Foundation.open(path, flags, mode)
            if fd >= 0 { return fd }
            let code = errno
            if code == EINTR { continue }
            if code == EEXIST { throw .alreadyExists(path: path) }
            if code == ENOENT { throw .notFound(path: path) }
            throw .io(operation: "open", path: path, errno: code)
        }
    }

    /// Writes all of `bytes`, continuing after a short write.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(JournalError) {
        let failure: Int32? = bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    let code = errno
                    if code == EINTR { continue }
                    return code
                }
                offset += written
            }
            return nil
        }
        if let failure { throw .io(operation: "write", path: path, errno: failure) }
    }

    static func fsync(_ fd: Int32, path: String) throws(JournalError) {
        while Foundation.fsync(fd) != 0 {
            let code = errno
            if code == EINTR { continue }
            throw .io(operation: "fsync", path: path, errno: code)
        }
    }

    /// Appends `line` and a newline to `path` (created when missing) with one `write(2)` on `O_APPEND`, so
    /// concurrent writers never interleave within a line, then fsyncs. `what` names the file in errors.
    static func appendLine(_ line: String, to path: String, what: String) throws {
        let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RunError("cannot open \(what): \(String(cString: strerror(errno)))") }
        defer { _ = Foundation.close(fd) }
        do {
            try writeAll(fd, Array((line + "\n").utf8), path: path)
            try fsync(fd, path: path)
        } catch {
            throw RunError("cannot write \(what): \(error)")
        }
    }

    static func truncate(_ fd: Int32, to length: Int, path: String) throws(JournalError) {
        while ftruncate(fd, off_t(length)) != 0 {
            let code = errno
            if code == EINTR { continue }
            throw .io(operation: "ftruncate", path: path, errno: code)
        }
    }

    /// `mkdir -p`: creates `path` and any missing parents.
    static func makeDirectories(_ path: String) throws(JournalError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 {
                let code = errno
                var info = stat()
                guard code == EEXIST, stat(prefix, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
                    throw .io(operation: "mkdir", path: prefix, errno: code)
                }
            }
        }
    }

    /// Makes a new directory entry durable by syncing the directory that holds it.
    static func syncDirectory(of file: URL) throws(JournalError) {
        let directory = file.deletingLastPathComponent().path
        let fd = try open(directory, flags: O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { _ = Foundation.close(fd) }
        try fsync(fd, path: directory)
    }

    /// The whole file behind `fd`, read from offset 0.
    static func readAll(_ fd: Int32, path: String) throws(JournalError) -> [UInt8] {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io(operation: "fstat", path: path, errno: errno) }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var total = 0
        while true {
            if total == bytes.count { bytes.append(contentsOf: repeatElement(0, count: 65536)) }
            let count = bytes.withUnsafeMutableBytes { buffer in
                pread(fd, buffer.baseAddress! + total, buffer.count - total, off_t(total))
            }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw .io(operation: "read", path: path, errno: code)
            }
            if count == 0 { break }
            total += count
        }
        bytes.removeSubrange(total...)
        return bytes
    }

    /// The whole file at `path`.
    static func readAll(path: String) throws(JournalError) -> [UInt8] {
        let fd = try open(path, flags: O_RDONLY | O_CLOEXEC)
        defer { _ = Foundation.close(fd) }
        return try readAll(fd, path: path)
    }
}
