import Foundation
import FiredrillTestSupport
import Testing

@testable import FiredrillDrivers

#if canImport(Glibc)
import Glibc
#endif

@Suite("CommandRunner")
struct CommandRunnerTests {
    let runner = CommandRunner()

    @Test func targetNameWithShellSyntaxReachesTheChildAsOneArgument() async throws {
        let hostile = "api; rm -rf /"
        let result = try await runner.run(CommandRequest(argv: ["printf", "<%s>\n", hostile, "$(id)", "two words"]))
        #expect(result.succeeded)
        #expect(result.stdout == "<api; rm -rf />\n<$(id)>\n<two words>\n")

        let python = try await runner.run(CommandRequest(argv: [
            "python3", "-c", "import json, sys; print(json.dumps(sys.argv[1:]))", hostile, "'quoted'",
        ]))
        let parsed = try JSONDecoder().decode([String].self, from: Data(python.stdout.utf8))
        #expect(parsed == [hostile, "'quoted'"])
    }

    @Test func nonZeroExitIsAResultAndCheckThrowsWithStderrExcerpt() async throws {
        let script = "import sys\nfor i in range(30): print(f'problem line {i}', file=sys.stderr)\nsys.exit(3)"
        let result = try await runner.run(CommandRequest(argv: ["python3", "-c", script]))
        #expect(result.exitCode == 3)
        #expect(result.signal == nil)
        #expect(!result.timedOut)
        #expect(!result.succeeded)
        let error = try #require(throws: CommandError.self) { try result.check() }
        let message = error.description
        #expect(message.contains("exited with status 3"))
        #expect(message.contains("python3 -c"))
        #expect(message.contains("problem line 29"))
        #expect(message.contains("problem line 20"))
        #expect(!message.contains("problem line 19"))
    }

    @Test func successfulCheckReturnsTheResult() async throws {
        let result = try await runner.run(CommandRequest(argv: ["printf", "ok"])).check()
        #expect(result.stdout == "ok")
        #expect(result.exitCode == 0)
        #expect(result.pid > 0)
        #expect(result.duration > .zero)
    }

    @Test func missingExecutableIsAClearError() async throws {
        let error = await #expect(throws: CommandError.self) {
            try await runner.run(CommandRequest(argv: ["firedrill-no-such-tool-4711", "get", "pods"]))
        }
        #expect(error?.description == "firedrill-no-such-tool-4711: not found on PATH")

        let pathError = await #expect(throws: CommandError.self) {
            try await runner.run(CommandRequest(argv: ["./no/such/tool"]))
        }
        #expect(pathError?.description.contains("no such executable file") == true)

        await #expect(throws: CommandError.self) { try await runner.run(CommandRequest(argv: [])) }
    }

    @Test func standInFirstOnTheEffectivePathIsFound() async throws {
        let directory = try TemporaryDirectory()
        let script = directory.path + "/kubectl"
        try ExecutableFile.write("#!/bin/sh\necho \"stand-in kubectl $*\"\n", to: script)
        let path = directory.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let result = try await runner.run(CommandRequest(argv: ["kubectl", "get", "pods"], environment: ["PATH": path]))
        #expect(result.stdout == "stand-in kubectl get pods\n")
    }

    @Test func environmentWorkingDirectoryAndStdin() async throws {
        let directory = try TemporaryDirectory()
        let script = "import os, sys; print(os.environ['FIREDRILL_PROBE'], os.getcwd(), sys.stdin.read().upper())"
        let result = try await runner.run(CommandRequest(
            argv: ["python3", "-c", script], environment: ["FIREDRILL_PROBE": "value 1"],
            workingDirectory: directory.path, stdin: Data("from stdin".utf8)))
        let realDirectory = try #require(realpath(directory.path, nil).map { path in
            defer { free(path) }
            return String(cString: path)
        })
        #expect(result.stdout == "value 1 \(realDirectory) FROM STDIN\n")
    }

    @Test func stdinIgnoredByTheChildDoesNotFailTheRun() async throws {
        let result = try await runner.run(CommandRequest(
            argv: ["printf", "done"], stdin: Data(repeating: 65, count: 1 << 20)))
        #expect(result.stdout == "done")
        #expect(result.exitCode == 0)
    }

    @Test func childLeadsItsOwnProcessGroup() async throws {
        let result = try await runner.run(CommandRequest(
            argv: ["python3", "-c", "import os; print(os.getpid(), os.getpgrp())"]))
        let numbers = result.stdout.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(numbers.count == 2)
        #expect(numbers.first == result.pid)
        #expect(numbers.last == result.pid)
        #expect(result.pid != getpgrp())
    }

    @Test func deathBySignalIsReported() async throws {
        let result = try await runner.run(CommandRequest(
            argv: ["python3", "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"]))
        #expect(result.signal == SIGKILL)
        #expect(result.exitCode == nil)
        let error = try #require(throws: CommandError.self) { try result.check() }
        #expect(error.description.contains("was killed by SIGKILL"))
    }

    @Test func outputIsCappedKeepingHeadAndTail() async throws {
        let script = "import sys; sys.stdout.write('H' * 100 + 'a' * 200000 + 'T' * 100)"
        let result = try await runner.run(CommandRequest(argv: ["python3", "-c", script], outputLimit: 1000))
        let expected = String(repeating: "H", count: 100) + String(repeating: "a", count: 400)
            + "\n[… 199200 bytes elided …]\n" + String(repeating: "a", count: 400) + String(repeating: "T", count: 100)
        #expect(result.stdout == expected)
        #expect(result.exitCode == 0)
    }

    @Test func secretsAreMaskedInArgvOutputAndErrors() async throws {
        let secret = "hunter2-s3cr3t"
        let script = """
            import sys, time
            print('token=' + sys.argv[1])
            sys.stdout.write('split:hunter2'); sys.stdout.flush(); time.sleep(0.1)
            sys.stdout.write('-s3cr3t end\\n'); sys.stdout.flush()
            print('bad ' + sys.argv[1], file=sys.stderr)
            sys.exit(1)
            """
        let result = try await runner.run(CommandRequest(
            argv: ["python3", "-c", script, secret], secrets: [secret]))
        #expect(result.argv.last == "***")
        #expect(result.stdout == "token=***\nsplit:*** end\n")
        #expect(result.stderr == "bad ***\n")
        let error = try #require(throws: CommandError.self) { try result.check() }
        #expect(!error.description.contains(secret))
        #expect(error.description.contains("***"))

        let missing = await #expect(throws: CommandError.self) {
            try await runner.run(CommandRequest(argv: ["tool-\(secret)"], secrets: [secret]))
        }
        #expect(missing?.description == "tool-***: not found on PATH")
    }

    @Test func timeoutKillsTheWholeGroupIncludingAGrandchild() async throws {
        // The grandchild ignores SIGTERM, so only the group SIGKILL after the grace ends it. The timeout leaves
        // two Python start-ups room to print the grandchild's pid on a loaded machine.
        let script = """
            import subprocess, sys, time
            child = subprocess.Popen([sys.executable, '-c',
                'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(30)'])
            print(child.pid, flush=True)
            time.sleep(30)
            """
        let clock = ContinuousClock()
        let started = clock.now
        let result = try await runner.run(CommandRequest(
            argv: ["python3", "-c", script], timeout: .seconds(3), terminationGrace: .milliseconds(300)))
        let elapsed = clock.now - started
        #expect(result.timedOut)
        #expect(result.signal == SIGTERM)
        #expect(elapsed < .seconds(8))
        let grandchild = try #require(Int32(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        defer { kill(grandchild, SIGKILL) }
        #expect(await waitUntilGone(grandchild))
        let error = try #require(throws: CommandError.self) { try result.check() }
        #expect(error.description.contains("timed out after 3s"))
    }

    @Test func cancellationKillsTheChildPromptly() async throws {
        let marker = "30.\(getpid())1"
        let task = Task { try await runner.run(CommandRequest(argv: ["sleep", marker], terminationGrace: .zero)) }
        let selector = ProcessSelector()
        var child: ProcessSnapshot?
        for _ in 0..<200 where child == nil {
            child = try selector.processes(matching: "^sleep \(marker)$").first
            if child == nil { try await Task.sleep(for: .milliseconds(10)) }
        }
        let running = try #require(child)
        defer { kill(running.pid, SIGKILL) }

        let clock = ContinuousClock()
        let cancelledAt = clock.now
        task.cancel()
        let outcome = await task.result
        let elapsed = clock.now - cancelledAt
        #expect(throws: CancellationError.self) { try outcome.get() }
        // Prompt, not the 30 s sleep (a generous bound: the machine may be loaded).
        #expect(elapsed < .seconds(5), "returned \(elapsed) after cancellation")
        #expect(await waitUntilGone(running.pid))
    }

    @Test func cancellationBeforeStartLaunchesNothing() async throws {
        let task = Task {
            try? await Task.sleep(for: .seconds(5))
            return try await runner.run(CommandRequest(argv: ["printf", "never"]))
        }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }
}
