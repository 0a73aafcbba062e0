import Foundation
import Synchronization

/// Stand-in executables for CLIs that have no server to talk to in tests (`kubectl`, `railway`, an `aws`
/// operation moto lacks).
///
/// Each stand-in is a small python3 script in a temporary directory. It appends its argv (program name first) as
/// a JSON line to a log, then answers only an argv it was told about, exactly: anything else exits 97 with
/// `stand-in: unexpected argv …` on stderr, so a wrong flag fails the driver loudly. Put ``environment`` on top
/// of the driver's environment: it puts the directory first on `PATH`.
public final class StandInCLI: Sendable {
    public let directory: String
    public let logPath: String
    let responsesPath: String
    private let responses = Mutex<[[String: Any]]>([])

    static let script = """
        #!/usr/bin/env python3
        import json, os, sys
        argv = [os.path.basename(sys.argv[0])] + sys.argv[1:]
        with open(os.environ["STANDIN_LOG"], "a") as log:
            log.write(json.dumps(argv) + "\\n")
        with open(os.environ["STANDIN_RESPONSES"]) as f:
            responses = json.load(f)
        answer = None
        for item in responses:
            if item["argv"] == argv:
                answer = item
        if answer is None:
            sys.stderr.write("stand-in: unexpected argv " + json.dumps(argv) + "\\n")
            sys.exit(97)
        sys.stdout.write(answer.get("stdout", ""))
        sys.stderr.write(answer.get("stderr", ""))
        sys.exit(answer.get("exit", 0))

        """

    /// Writes one stand-in per name in `programs`.
    public init(programs: [String]) throws {
        directory = try TempDirectory.make(prefix: "firedrill-standin")
        logPath = directory + "/calls.jsonl"
        responsesPath = directory + "/responses.json"
        FileManager.default.createFile(atPath: logPath, contents: Data())
        try Data("[]".utf8).write(to: URL(fileURLWithPath: responsesPath))
        let bin = directory + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        for program in programs {
            let path = bin + "/" + program
            try ExecutableFile.write(Self.script, to: path)
        }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// `PATH` with the stand-ins first, and where they log and read their answers.
    public var environment: [String: String] {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return ["PATH": directory + "/bin:" + path, "STANDIN_LOG": logPath, "STANDIN_RESPONSES": responsesPath]
    }

    /// Answers `argv` (program name first) with this output and exit status. A later answer for the same argv
    /// replaces an earlier one.
    public func respond(_ argv: [String], stdout: String = "", stderr: String = "", exit: Int32 = 0) throws {
        let data = try responses.withLock { list in
            list.append(["argv": argv, "stdout": stdout, "stderr": stderr, "exit": Int(exit)])
            return try JSONSerialization.data(withJSONObject: list)
        }
        try data.write(to: URL(fileURLWithPath: responsesPath), options: .atomic)
    }

    /// Every argv the stand-ins received, in order.
    public func calls() throws -> [[String]] {
        let text = try String(contentsOfFile: logPath, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            try JSONDecoder().decode([String].self, from: Data(line.utf8))
        }
    }
}
