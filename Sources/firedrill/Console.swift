import FiredrillCore
import Foundation

/// Messages to the user on stderr.
enum Console {
    static func error(_ message: String) {
        StandardStreams.err("firedrill: \(message)\n")
    }
}
