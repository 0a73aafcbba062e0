import Foundation

/// What `firedrill import chaostoolkit` produced: the plan's YAML, and everything that could not be mapped.
public struct ChaosToolkitImport: Sendable {
    /// Something of the experiment that has no Firedrill equivalent, with where it was and why.
    public struct Unmapped: Sendable, Equatable, CustomStringConvertible {
        /// The JSON pointer of the item in the experiment (`/method/2`).
        public var pointer: String
        public var location: SourceLocation
        /// The activity or item, as a person would name it (`action "restart-pods"`).
        public var what: String
        public var why: String

        public var description: String { "\(location) (\(pointer)): \(what): \(why)" }
    }

    /// The plan as YAML text, ready to write.
    public var yaml: String
    /// Activities, controls and settings that were not mapped; each left a `TODO` in the plan, so it does not
    /// validate until a person decides.
    public var unmapped: [Unmapped]
    /// Things mapped with a difference worth knowing (written as comments in the plan too).
    public var notes: [String]

    /// Exit status of the import: 0 when everything was mapped, 5 when something was not.
    public var exitCode: Int32 { unmapped.isEmpty ? 0 : 5 }
}
