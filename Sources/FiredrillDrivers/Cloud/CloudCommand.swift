import FiredrillCore
import Foundation

/// What the kubectl, aws and railway drivers share: running one CLI command line through `CommandRunner` and
/// turning a failure into a `DriverError` that names the masked command line, its exit status and the tail of its
/// standard error; reading JSON output; and reading the timestamps those CLIs print.
enum CloudCommand {
    /// Output kept per stream. Far above `CommandRequest`'s default: a pod or instance list of a large cluster
    /// or account is JSON that must arrive whole to be parsed.
    static let outputLimit = 32 << 20

    /// Runs `argv` and returns its result; throws unless it exited 0 within `timeout`.
    static func run(_ argv: [String], key: String, environment: [String: String], timeout: Duration,
                    secrets: [String]) async throws -> CommandResult {
        let request = CommandRequest(argv: argv, environment: environment, timeout: timeout, outputLimit: outputLimit,
                                     secrets: secrets)
        let result: CommandResult
        do {
            result = try await CommandRunner().run(request)
        } catch let error as CommandError {
            throw DriverError(key, error.description)
        }
        guard result.succeeded else { throw DriverError(key, CommandError.failed(result).description) }
        return result
    }

    /// Parses a command's standard output as JSON; an empty output is an empty object.
    static func parseJSON(_ result: CommandResult, key: String) throws -> JSONValue {
        let text = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return .object([:]) }
        do {
            return try JSONValue.parse(text)
        } catch {
            let excerpt = String(text.prefix(200))
            throw DriverError(key, "`\(result.commandLine)` printed something that is not JSON (\(error)): \(excerpt)")
        }
    }

    /// Reads an RFC 3339 / ISO 8601 time (`2024-05-01T10:00:00Z`, with or without fractional seconds or an
    /// offset) as seconds since 1970.
    static func parseTimestamp(_ text: String) -> Double? {
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let date = plain.date(from: text) { return date.timeIntervalSince1970 }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = fractional.date(from: text) { return date.timeIntervalSince1970 }
        // AWS CLI v1 prints `2024-05-01T10:00:00.000000+00:00` (microseconds), which the formatter refuses.
        if let dot = text.firstIndex(of: "."), let zone = text[dot...].firstIndex(where: { $0 == "+" || $0 == "-" || $0 == "Z" }) {
            let trimmed = String(text[..<dot]) + String(text[zone...])
            let fraction = Double("0" + text[dot..<zone]) ?? 0
            if let date = plain.date(from: trimmed) { return date.timeIntervalSince1970 + fraction }
        }
        return nil
    }

    /// The selection for an explicit list of targets: every one of them unless the plan says `count`, `percent`
    /// or `mode`.
    static func selection(_ p: DriverParams, explicitList: Bool) throws -> TargetSelection {
        var selection = try TargetSelection(p)
        if explicitList, !p.has("count"), !p.has("percent"), !p.has("mode") { selection.mode = .all }
        return selection
    }
}
