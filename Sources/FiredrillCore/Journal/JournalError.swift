import Foundation

/// Why a journal could not be created, opened, read or appended to.
public enum JournalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `journal.jsonl` exists already; a journal is never overwritten.
    case alreadyExists(path: String)
    case notFound(path: String)
    /// A system call failed: `operation` names it, `errno` says why.
    case io(operation: String, path: String, errno: Int32)
    /// The journal was closed, or an earlier write or fsync failed so the file may not hold what was appended.
    case unusable(path: String, reason: String)
    /// The file's chain is broken in a way that is not a torn final line, so it cannot be continued.
    case corrupt(path: String, problem: JournalProblem)
    /// `data` must be a JSON object.
    case dataNotObject(type: String)

    public var description: String {
        switch self {
        case .alreadyExists(let path):
            return "journal \(path) already exists; refusing to overwrite it"
        case .notFound(let path):
            return "journal \(path) does not exist"
        case .io(let operation, let path, let code):
            return "journal \(path): \(operation) failed: \(String(cString: strerror(code))) (errno \(code))"
        case .unusable(let path, let reason):
            return "journal \(path) cannot be appended to: \(reason)"
        case .corrupt(let path, let problem):
            return "journal \(path) cannot be continued: \(problem)"
        case .dataNotObject(let type):
            return "journal event \(type): data must be a JSON object"
        }
    }
}
