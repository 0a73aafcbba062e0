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

    /// Reads an RFC 3339 time (`2024-05-01T10:00:00Z`, `2024-05-01T10:00:00.123456+00:00`; fractional seconds
    /// and offsets optional) as seconds since 1970. Parsed by hand: Foundation's date formatters load ICU.
    static func parseTimestamp(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[from..<(from + count)] {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard bytes.count >= 19, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") || bytes[10] == UInt8(ascii: " "),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offset = 0
        if index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                index += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                guard let hours = number(index + 1, 2), index + 3 < bytes.count, bytes[index + 3] == UInt8(ascii: ":"),
                      let minutes = number(index + 4, 2)
                else { return nil }
                offset = (hours * 3600 + minutes * 60) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
                index += 6
            default:
                return nil
            }
        }
        guard index == bytes.count else { return nil }
        // Days since 1970-01-01 in the proleptic Gregorian calendar (the "days from civil" algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
    }

    /// The selection for an explicit list of targets: every one of them unless the plan says `count`, `percent`
    /// or `mode`.
    static func selection(_ p: DriverParams, explicitList: Bool) throws -> TargetSelection {
        var selection = try TargetSelection(p)
        if explicitList, !p.has("count"), !p.has("percent"), !p.has("mode") { selection.mode = .all }
        return selection
    }
}
