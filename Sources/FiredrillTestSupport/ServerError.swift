#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure to start a test server: the system call and its error.
public struct ServerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ call: String, _ code: Int32) { description = "\(call): \(String(cString: strerror(code)))" }
}
