#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// A real `moto_server` (the AWS API emulator from PyPI's `moto[server]`) on 127.0.0.1 and a free port, for
/// running the real `aws` CLI against. Starting it throws, with the server's own output, when it cannot start:
/// a test that needs it fails rather than skipping. `stop()` (or releasing the fixture) ends the server.
public final class MotoFixture: Sendable {
    public let port: Int
    /// `http://127.0.0.1:PORT`, for `--endpoint-url`.
    public var endpoint: String { "http://127.0.0.1:\(port)" }
    /// The region the fixture's environment selects.
    public let region = "us-east-1"

    private let directory: String
    private let process: Mutex<Process?>

    /// What went wrong while starting moto_server.
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Starts moto_server and waits (up to `timeout`) until it accepts connections.
    public init(timeout: Duration = .seconds(30)) throws {
        directory = try TempDirectory.make(prefix: "firedrill-moto")
        port = try Self.freePort()
        let logPath = directory + "/moto.log"
        FileManager.default.createFile(atPath: logPath, contents: Data())
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["moto_server", "-H", "127.0.0.1", "-p", String(port)]
        server.standardOutput = log
        server.standardError = log
        server.standardInput = FileHandle.nullDevice
        do {
            try server.run()
        } catch {
            throw StartError(description: "moto_server could not be started (\(error)); install it with `pip install 'moto[server]'`")
        }
        process = Mutex(server)
        let deadline = ContinuousClock.now + timeout
        while !Self.accepts(port: port) {
            if !server.isRunning {
                let output = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
                throw StartError(description: "moto_server exited with status \(server.terminationStatus) before listening on port \(port); "
                                 + "install it with `pip install 'moto[server]'`. Its output:\n\(output.suffix(2000))")
            }
            if ContinuousClock.now > deadline {
                stop()
                throw StartError(description: "moto_server did not listen on port \(port) within \(timeout)")
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Credentials, region and empty config for the `aws` CLI, so nothing from the machine's own AWS setup is used.
    public var environment: [String: String] {
        [
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": region, "AWS_REGION": region,
            "AWS_CONFIG_FILE": directory + "/no-config", "AWS_SHARED_CREDENTIALS_FILE": directory + "/no-credentials",
            "AWS_EC2_METADATA_DISABLED": "true", "AWS_PAGER": "",
        ]
    }

    /// Ends the server: SIGTERM, then SIGKILL after 5 s. Safe to call more than once.
    public func stop() {
        process.withLock { server in
            guard let running = server else { return }
            server = nil
            if running.isRunning {
                kill(running.processIdentifier, SIGTERM)
                let deadline = Date().addingTimeInterval(5)
                while running.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
                if running.isRunning { kill(running.processIdentifier, SIGKILL) }
            }
            running.waitUntilExit()
        }
    }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, socketStream, 0)
        guard fd >= 0 else { throw StartError(description: "socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw StartError(description: "bind: \(String(cString: strerror(errno)))") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, socketStream, 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    #if canImport(Glibc)
    private static let socketStream = Int32(SOCK_STREAM.rawValue)
    #else
    private static let socketStream = SOCK_STREAM
    #endif
}
