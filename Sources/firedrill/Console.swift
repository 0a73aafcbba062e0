import Foundation

/// Messages to the user on stderr.
enum Console {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("firedrill: \(message)\n".utf8))
    }
}
