import ArgumentParser
import FiredrillCore
import Foundation

/// `firedrill sign RUN_DIR --role … --name … --decision …` — a sign-off, chained to the journal's seal.
struct SignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign off a run: append a decision to signoffs.jsonl, chained to the journal's seal, signed with a key when given.",
        discussion: "The reports are re-rendered with the sign-off; `firedrill verify` checks the chain and signatures."
    )

    enum Role: String, ExpressibleByArgument, CaseIterable { case auditor, owner, participant }
    enum Decision: String, ExpressibleByArgument, CaseIterable { case approved, rejected, noted }

    @Argument(help: "The run directory.")
    var runDirectory: String

    @Option(help: "auditor, owner or participant.")
    var role: Role

    @Option(help: "Who signs.")
    var name: String

    @Option(help: "approved, rejected or noted.")
    var decision: Decision

    @Option(help: "A comment.")
    var comment: String?

    @OptionGroup var signing: SigningOptions

    @OptionGroup var anchor: EvidenceAnchorOption

    func validate() throws {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--name must not be empty") }
    }

    func run() throws {
        let key = try signing.load()
        let target = try EvidenceTarget(runDirectory: runDirectory)
        var data: [String: JSONValue] = [
            "role": .string(role.rawValue), "name": .string(name), "decision": .string(decision.rawValue),
            "os-user": .string(RunSession.initiator()),
        ]
        if let comment { data["comment"] = .string(comment) }
        try target.append(.object(data), to: EvidenceLog.signOffsFile, key: key, anchorFile: anchor.anchorFile)
    }
}
