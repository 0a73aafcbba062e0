import Foundation

/// The built `firedrill` executable, for tests that run it as a user would. Fails (never skips) when it is missing.
public enum FiredrillBinary {
    public struct Missing: Error, CustomStringConvertible {
        public var description: String
    }

    /// `.build/debug/firedrill` under the package root found from a test file's `#filePath`.
    public static func path(from filePath: String = #filePath) throws -> String {
        var dir = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        for _ in 0..<8 {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                for candidate in [".build/debug/firedrill", ".build/release/firedrill"] {
                    let path = dir.appendingPathComponent(candidate).path
                    if FileManager.default.isExecutableFile(atPath: path) { return path }
                }
                throw Missing(description: "no firedrill binary under \(dir.path)/.build: run `swift build` first")
            }
            dir = dir.deletingLastPathComponent()
        }
        throw Missing(description: "package root not found above \(filePath)")
    }

    /// The package root (for example plans).
    public static func packageRoot(from filePath: String = #filePath) -> String {
        var dir = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        for _ in 0..<8 {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir.path }
            dir = dir.deletingLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath
    }
}
