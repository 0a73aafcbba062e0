import FiredrillTestSupport
import Foundation

/// Runs the real `firedrill` binary for the drill-program tests, and writes the plans they use.
enum ProgramCLI {
    struct Outcome {
        var status: Int32
        var output: String
    }

    /// Runs `firedrill ARGS…` in `directory` and waits (at most two minutes) for it to exit.
    static func run(_ arguments: [String], in directory: String, environment: [String: String]? = nil) async throws -> Outcome {
        let child = try ChildProcess([try FiredrillBinary.path()] + arguments, environment: environment, workingDirectory: directory)
        guard let status = await child.wait(timeout: .seconds(120)) else {
            child.signal(SIGKILL)
            return Outcome(status: -1, output: "firedrill \(arguments.joined(separator: " ")) did not exit within 2 minutes\n" + child.readOutput())
        }
        return Outcome(status: status, output: child.readOutput())
    }

    /// An experiment whose method touches `marker` (so a test sees whether anything was injected), optionally
    /// sleeping first, optionally scheduled.
    static func plan(name: String, marker: String, sleep: Int = 0, schedule: String? = nil, extra: String = "") -> String {
        var text = """
        apiVersion: firedrill/v1
        kind: Experiment
        name: \(name)
        title: touch a marker
        environment: test

        """
        if let schedule { text += "schedule: \(schedule)\n" }
        text += """
        steady-state:
          - name: alive
            command: [true]
        method:

        """
        if sleep > 0 { text += "  - name: wait\n    command: [sleep, \"\(sleep)\"]\n" }
        text += "  - name: touch\n    command: [touch, \"\(marker)\"]\n"
        return text + extra
    }

    /// The records `history --format json` prints.
    static func history(_ arguments: [String], in directory: String, environment: [String: String]? = nil) async throws -> [[String: Any]] {
        let outcome = try await run(["history", "--format", "json"] + arguments, in: directory, environment: environment)
        guard outcome.status == 0, let data = outcome.output.data(using: .utf8),
              let runs = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw HistoryUnreadable(output: outcome.output, status: outcome.status)
        }
        return runs
    }

    struct HistoryUnreadable: Error, CustomStringConvertible {
        var output: String
        var status: Int32
        var description: String { "history exited \(status): \(output)" }
    }
}
