/// This build of Firedrill: its version, and how it was built (the Swift compiler and the configuration), as the
/// run record states them. No build-time script runs, so the source's git commit is not known here.
public enum FiredrillBuild {
    public static let version = "0.1.0"

    /// `Swift 6.2` (the compiler that built this binary).
    public static var compiler: String {
        #if compiler(>=6.4)
        return "Swift 6.4 or later"
        #elseif compiler(>=6.3)
        return "Swift 6.3"
        #elseif compiler(>=6.2)
        return "Swift 6.2"
        #elseif compiler(>=6.1)
        return "Swift 6.1"
        #else
        return "Swift 6.0"
        #endif
    }

    /// `debug` or `release`.
    public static var configuration: String {
        #if DEBUG
        return "debug"
        #else
        return "release"
        #endif
    }

    /// `0.1.0 (Swift 6.2, release build)`.
    public static var summary: String { "\(version) (\(compiler), \(configuration) build)" }

    public static var json: JSONValue {
        .object(["version": .string(version), "compiler": .string(compiler), "configuration": .string(configuration)])
    }
}
