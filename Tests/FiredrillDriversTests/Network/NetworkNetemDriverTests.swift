import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

@testable import FiredrillDrivers

/// Two network namespaces joined by a veth pair, with documentation addresses inside them only:
/// A = 192.0.2.1 and 198.51.100.1 on `va`, B = 192.0.2.2 and 198.51.100.2 on `vb`. `remove()` deletes both.
struct NamespacePair {
    let a: String
    let b: String

    init() throws {
        let tag = UUID().uuidString.prefix(6).lowercased()
        a = "fdnetem-a-\(tag)"
        b = "fdnetem-b-\(tag)"
        do {
            for argv in [
                ["ip", "netns", "add", a], ["ip", "netns", "add", b],
                ["ip", "link", "add", "va", "netns", a, "type", "veth", "peer", "name", "vb", "netns", b],
                ["ip", "-n", a, "addr", "add", "192.0.2.1/24", "dev", "va"], ["ip", "-n", a, "addr", "add", "198.51.100.1/24", "dev", "va"],
                ["ip", "-n", b, "addr", "add", "192.0.2.2/24", "dev", "vb"], ["ip", "-n", b, "addr", "add", "198.51.100.2/24", "dev", "vb"],
                ["ip", "-n", a, "link", "set", "va", "up"], ["ip", "-n", b, "link", "set", "vb", "up"],
                ["ip", "-n", a, "link", "set", "lo", "up"], ["ip", "-n", b, "link", "set", "lo", "up"],
            ] {
                let (status, output) = Self.run(argv)
                guard status == 0 else { throw CloudTestError("\(argv.joined(separator: " ")): \(output)") }
            }
        } catch {
            remove()
            throw error
        }
    }

    func remove() {
        _ = Self.run(["ip", "netns", "del", a])
        _ = Self.run(["ip", "netns", "del", b])
    }

    /// Runs `argv` to completion (bounded by `timeout` seconds); its status and combined output.
    @discardableResult
    static func run(_ argv: [String], timeout: Double = 60) -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = argv
        let path = NSTemporaryDirectory() + "fdnetem-\(UUID().uuidString).out"
        FileManager.default.createFile(atPath: path, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard let handle = FileHandle(forWritingAtPath: path) else { return (-1, "cannot open \(path)") }
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        do { try process.run() } catch { return (-1, "\(error)") }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
    }

    func inA(_ argv: [String], timeout: Double = 60) -> (Int32, String) { Self.run(["ip", "netns", "exec", a] + argv, timeout: timeout) }
}

@Suite("network.netem inside network namespaces", .serialized)
struct NetworkNetemDriverTests {
    /// Whether this kernel has the netem and prio qdiscs (some CI kernels are built without them); found by
    /// adding both in a scratch namespace.
    static let kernelHasNetem: Bool = {
        let name = "fdnetem-probe-\(UUID().uuidString.prefix(6).lowercased())"
        guard NamespacePair.run(["ip", "netns", "add", name]).0 == 0 else { return false }
        defer { NamespacePair.run(["ip", "netns", "del", name]) }
        return NamespacePair.run(["ip", "netns", "exec", name, "tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms"]).0 == 0
            && NamespacePair.run(["ip", "netns", "exec", name, "tc", "qdisc", "replace", "dev", "lo", "root", "prio"]).0 == 0
    }()

    static let echoServer = """
    import socket, threading
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("0.0.0.0", 7777)); s.listen(16)
    def serve(c):
        while True:
            d = c.recv(65536)
            if not d: return
            c.sendall(d)
    while True:
        c, _ = s.accept(); threading.Thread(target=serve, args=(c,), daemon=True).start()
    """

    /// Median of 5 TCP round trips (seconds) from A to B's echo server.
    static let roundTrips = """
    import socket, sys, time
    for _ in range(100):
        try:
            c = socket.create_connection((sys.argv[1], 7777), timeout=5); break
        except OSError: time.sleep(0.05)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    t = []
    for _ in range(5):
        s = time.perf_counter(); c.sendall(b"x"); c.recv(1); t.append(time.perf_counter() - s)
    print(sorted(t)[2])
    """

    static let udpReceiver = """
    import socket, sys
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("0.0.0.0", int(sys.argv[1]))); s.settimeout(3)
    n = 0
    try:
        while True:
            s.recv(64); n += 1
    except socket.timeout: pass
    print(n)
    """

    static let udpSender = """
    import socket, sys, time
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for i in range(1000):
        s.sendto(b"%d" % i, (sys.argv[1], int(sys.argv[2]))); time.sleep(0.001)
    """

    static func rtt(_ pair: NamespacePair, to host: String = "192.0.2.2") throws -> Double {
        let (status, out) = pair.inA(["python3", "-c", roundTrips, host])
        guard status == 0, let seconds = Double(out.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CloudTestError("round trip failed: \(out)")
        }
        return seconds
    }

    /// Packets of 1,000 sent from A that B received on `port` at `host`.
    static func received(_ pair: NamespacePair, host: String, port: Int) async throws -> Int {
        let receiver = try ChildProcess(["ip", "netns", "exec", pair.b, "python3", "-c", udpReceiver, "\(port)"])
        usleep(300_000)
        _ = pair.inA(["python3", "-c", udpSender, host, "\(port)"])
        _ = await receiver.wait(timeout: .seconds(30))
        guard let count = Int(receiver.readOutput().trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CloudTestError("receiver said: \(receiver.readOutput())")
        }
        return count
    }

    static func apply(_ yaml: String) async throws -> (StepOutcome, UndoAction, CloudTestContext) {
        let context = CloudTestContext()
        let outcome = try await NetworkNetemDriver().run(try params(yaml), context: context.context)
        let intent = try #require(await context.intents.first).action
        return (outcome, intent, context)
    }

    @Test(.enabled(if: kernelHasNetem, "this kernel has no netem/prio qdisc"))
    func delayOf200msShowsInTCPRoundTripsAndTheUndoRemovesIt() async throws {
        let pair = try NamespacePair()
        defer { pair.remove() }
        let server = try ChildProcess(["ip", "netns", "exec", pair.b, "python3", "-c", Self.echoServer])
        defer { server.signal(SIGKILL) }
        let before = try Self.rtt(pair)
        #expect(before < 0.1, "before: \(before)s")
        let (_, intent, _) = try await Self.apply("{ interface: va, namespace: \(pair.a), delay: 200ms }")
        #expect(intent.key == "network.netem.remove")
        let delayed = try Self.rtt(pair)
        #expect(delayed >= 0.19 && delayed < 1.5, "with 200ms netem delay: \(delayed)s (before \(before)s)")
        let how = try await NetworkNetemUndo().undo(intent.params, context: DriverContext(name: "undo", timeout: .seconds(30)))
        #expect(how.hasPrefix("removed the qdisc of va"), "\(how)")
        let after = try Self.rtt(pair)
        #expect(after < 0.1, "after the undo: \(after)s")
        let (_, qdiscs) = pair.inA(["tc", "qdisc", "show", "dev", "va"])
        #expect(!qdiscs.contains("netem"), "\(qdiscs)")
        let again = try await NetworkNetemUndo().undo(intent.params, context: DriverContext(name: "undo", timeout: .seconds(30)))
        #expect(again.hasPrefix("nothing left"), "\(again)")
    }

    @Test(.enabled(if: kernelHasNetem, "this kernel has no netem/prio qdisc"))
    func lossOf30PercentOnlyForTheFilteredDestination() async throws {
        let pair = try NamespacePair()
        defer { pair.remove() }
        let (outcome, intent, _) = try await Self.apply("{ interface: va, namespace: \(pair.a), loss: 30%, destination: 198.51.100.2, port: 9999 }")
        #expect(outcome.output["netem"] == "loss 30.0%")
        let hit = try await Self.received(pair, host: "198.51.100.2", port: 9999)
        let spared = try await Self.received(pair, host: "192.0.2.2", port: 9999)
        _ = try await NetworkNetemUndo().undo(intent.params, context: DriverContext(name: "undo", timeout: .seconds(30)))
        #expect((600...800).contains(hit), "\(hit) of 1000 packets arrived through 30% loss")
        #expect(spared >= 990, "\(spared) of 1000 packets arrived to an address the filter does not match")
    }

    @Test func aMissingInterfaceIsRefusedBeforeAnythingIsJournaled() async throws {
        let pair = try NamespacePair()
        defer { pair.remove() }
        let context = CloudTestContext()
        let error = await #expect(throws: DriverError.self) {
            try await NetworkNetemDriver().run(try params("{ interface: nosuch0, namespace: \(pair.a), loss: 1% }"), context: context.context)
        }
        #expect(error?.description.contains("no interface `nosuch0` in namespace \(pair.a)") == true, "\(String(describing: error))")
        #expect(await context.intents.isEmpty)
    }

    /// On a kernel without netem the step fails with the reason and owes nothing; on one with it, the qdisc is
    /// there until the undo removes it.
    @Test func applyingEitherWorksOrFailsWithTheReasonAndOwesNothing() async throws {
        let pair = try NamespacePair()
        defer { pair.remove() }
        let context = CloudTestContext()
        do {
            _ = try await NetworkNetemDriver().run(try params("{ interface: va, namespace: \(pair.a), loss: 5% }"), context: context.context)
            #expect(Self.kernelHasNetem)
            #expect(pair.inA(["tc", "qdisc", "show", "dev", "va"]).1.contains("netem"))
            let intent = try #require(await context.intents.first).action
            _ = try await NetworkNetemUndo().undo(intent.params, context: DriverContext(name: "undo", timeout: .seconds(30)))
            #expect(!pair.inA(["tc", "qdisc", "show", "dev", "va"]).1.contains("netem"))
        } catch let error as DriverError {
            #expect(!Self.kernelHasNetem, "\(error)")
            #expect(error.description.contains("load the sch_netem and sch_prio modules"), "\(error)")
            #expect(await context.intents.count == 1, "the undo is journaled before the qdisc is added")
            #expect(await context.undone == ["nothing was added"])
        }
    }

    /// The argv builders `run` uses read the parameters, so a dry run over every parameter shows what `run` reads.
    @Test func theArgvBuildersReadExactlyTheDeclaredParameters() throws {
        let node = try params("{ interface: eth0, namespace: lab, delay: 100ms, jitter: 10ms, loss: 1%, corrupt: 1%, duplicate: 1%, reorder: 5%, rate: 1MiB, destination: 192.0.2.10, port: 5432, for: 1m }")
        let reads = ParamReadLog()
        try ParamReadLog.$current.withValue(reads) {
            _ = try NetworkNetemDriver.dryRunArgv(DriverParams(spec: NetworkNetemDriver.spec, node: node), environment: [:])
        }
        let declared = Set(NetworkNetemDriver.spec.params.map(\.name))
        let read = reads.read(by: "network.netem")
        #expect(read.subtracting(declared).isEmpty, "reads undeclared parameters: \(read.subtracting(declared).sorted())")
        #expect(declared.subtracting(read).isEmpty, "declares parameters it never reads: \(declared.subtracting(read).sorted())")
    }

    @Test func theDryRunShowsTheArgvItRuns() throws {
        let node = try params("{ interface: eth0, namespace: lab, delay: 100ms, jitter: 10ms, loss: 1%, destination: 192.0.2.10, port: 5432, for: 1m }")
        let argv = try #require(try NetworkNetemDriver.dryRunArgv(DriverParams(spec: NetworkNetemDriver.spec, node: node), environment: [:]))
        #expect(argv[0] == ["ip", "-n", "lab", "link", "show", "dev", "eth0"])
        #expect(argv[2] == ["ip", "netns", "exec", "lab", "tc", "qdisc", "add", "dev", "eth0", "parent", "1:4", "handle", "40:", "netem",
                            "delay", "100000us", "10000us", "loss", "1.0%"])
        #expect(argv[3].suffix(12) == ["u32", "match", "ip", "dst", "192.0.2.10/32", "match", "ip", "dport", "5432", "0xffff", "flowid", "1:4"])
    }
}
