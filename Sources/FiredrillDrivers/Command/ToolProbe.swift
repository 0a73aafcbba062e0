import FiredrillCore
import Foundation

/// Reads what the run record needs from outside the process, through `CommandRunner` (argv only, each command in
/// its own process group, a short time limit): the external tools' versions and the plan file's git state. Nothing
/// here fails a run: a tool that is missing, fails or does not answer in time is recorded as such.
public struct ToolProbe: RunRecordSources {
    /// The limit for each command.
    public var timeout: Duration
    /// Variables set on top of the inherited environment (tests put stand-ins first on `PATH`).
    public var environment: [String: String]

    /// The most characters of a tool's output kept as its version.
    static let maxVersionLength = 300

    public init(timeout: Duration = .seconds(5), environment: [String: String] = [:]) {
        self.timeout = timeout
        self.environment = environment
    }

    public func versions(of tools: [ExternalTool]) async -> [ToolVersion] {
        await withTaskGroup(of: (Int, ToolVersion).self) { group in
            for (i, tool) in tools.enumerated() {
                group.addTask { (i, await version(of: tool)) }
            }
            var found: [(Int, ToolVersion)] = []
            for await item in group { found.append(item) }
            return found.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    func version(of tool: ExternalTool) async -> ToolVersion {
        guard let argv = tool.versionCommand else {
            return ToolVersion(tool: tool.rawValue, command: "PQlibVersion()", status: .read, version: PGLibrary.version)
        }
        let command = argv.joined(separator: " ")
        let result: CommandResult
        do {
            result = try await run(argv)
        } catch CommandError.notFound {
            return ToolVersion(tool: tool.rawValue, command: command, status: .missing, detail: "`\(argv[0])` is not on PATH")
        } catch {
            return ToolVersion(tool: tool.rawValue, command: command, status: .failed, detail: Self.clip("\(error)"))
        }
        if result.timedOut {
            return ToolVersion(tool: tool.rawValue, command: command, status: .timedOut, detail: "no answer within \(DurationSyntax.format(timeout))")
        }
        let out = Self.clip(result.stdout.isEmpty ? result.stderr : result.stdout)
        guard result.succeeded else {
            let how = result.exitCode.map { "exit status \($0)" } ?? "signal \(result.signal ?? 0)"
            return ToolVersion(tool: tool.rawValue, command: command, status: .failed, detail: how + (out.isEmpty ? "" : ": " + Self.clip(result.stderr.isEmpty ? out : result.stderr)))
        }
        return ToolVersion(tool: tool.rawValue, command: command, status: .read, version: out.isEmpty ? "(no output)" : out)
    }

    public func provenance(ofPlanAt path: String, text: String) async -> PlanProvenance {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let dir = url.deletingLastPathComponent().path
        let file = url.lastPathComponent
        let inside: CommandResult
        do {
            inside = try await run(["git", "-C", dir, "rev-parse", "--is-inside-work-tree"])
        } catch CommandError.notFound {
            return PlanProvenance(status: .unavailable, detail: "git is not installed")
        } catch {
            return PlanProvenance(status: .unavailable, detail: Self.clip("\(error)"))
        }
        if inside.timedOut { return PlanProvenance(status: .unavailable, detail: "git did not answer within \(DurationSyntax.format(timeout))") }
        guard inside.succeeded else {
            if inside.stderr.lowercased().contains("not a git repository") { return PlanProvenance(status: .notInRepository) }
            return PlanProvenance(status: .unavailable, detail: Self.clip(inside.stderr))
        }
        guard inside.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "true" else { return PlanProvenance(status: .notInRepository) }
        do {
            let tracked = try await run(["git", "-C", dir, "ls-files", "--error-unmatch", "--", file])
            if tracked.timedOut { return PlanProvenance(status: .unavailable, detail: "git did not answer within \(DurationSyntax.format(timeout))") }
            guard tracked.succeeded else { return PlanProvenance(status: .untracked) }
            let head = try await run(["git", "-C", dir, "rev-parse", "--verify", "--quiet", "HEAD"])
            if head.exitCode == 1 { return PlanProvenance(status: .untracked, detail: "the repository has no commit yet") }
            let commit = head.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            guard head.succeeded, commit.count == 40 || commit.count == 64, commit.allSatisfy(\.isHexDigit) else {
                return PlanProvenance(status: .unavailable, detail: Self.clip(head.timedOut ? "git timed out" : head.stderr))
            }
            // Against that commit, not HEAD again: a commit landing meanwhile cannot pair this file with another one.
            let diff = try await run(["git", "-C", dir, "diff", "--quiet", commit, "--", file])
            if diff.timedOut { return PlanProvenance(status: .unavailable, detail: "git did not answer within \(DurationSyntax.format(timeout))") }
            if diff.exitCode == 1 { return PlanProvenance(status: .modified) }
            guard diff.succeeded else { return PlanProvenance(status: .unavailable, detail: Self.clip(diff.stderr)) }
            // The file on disk may have changed since the plan was read: the committed blob must be the text that runs.
            let blob = try await run(["git", "-C", dir, "rev-parse", "--verify", "--quiet", "\(commit):./\(file)"])
            let committedBlob = blob.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            guard blob.succeeded, committedBlob == PlanProvenance.gitBlobID(of: text, idLength: commit.count) else {
                return PlanProvenance(status: .modified, detail: "the plan that runs differs from the file committed at \(commit)")
            }
            return PlanProvenance(status: .committed, commit: commit)
        } catch {
            return PlanProvenance(status: .unavailable, detail: Self.clip("\(error)"))
        }
    }

    private func run(_ argv: [String]) async throws -> CommandResult {
        var env = environment
        env["GIT_OPTIONAL_LOCKS"] = "0"
        return try await CommandRunner().run(CommandRequest(argv: argv, environment: env, timeout: timeout, outputLimit: 8 * 1024,
                                                            terminationGrace: .milliseconds(500)))
    }

    /// Output as one line: trimmed, lines joined with `; `, at most `maxVersionLength` characters.
    static func clip(_ text: String) -> String {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let joined = lines.joined(separator: "; ")
        return joined.count > maxVersionLength ? String(joined.prefix(maxVersionLength)) + "…" : joined
    }
}
