import Foundation

/// Throwaway TLS material for a `RedisFixture`, made with the `openssl` CLI (argv only) in the fixture's directory:
/// a CA, a server certificate it signed for `127.0.0.1` (IP) and `localhost` (DNS), a client certificate it
/// signed, and a second CA that signed nothing the server presents.
public struct RedisTLSFiles: Sendable {
    public let ca: String
    public let serverCert: String
    public let serverKey: String
    public let clientCert: String
    public let clientKey: String
    /// A CA the server's certificate does not chain to: trusting only it must fail verification.
    public let otherCA: String

    /// Makes every file in `directory` (elliptic-curve keys, valid two days).
    static func make(in directory: URL) throws -> RedisTLSFiles {
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let keyOptions = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        let program = try locateOpenSSL()
        func openssl(_ args: [String]) throws {
            try FixtureCommand([program] + args, currentDirectory: directory, timeout: .seconds(60)).check()
        }
        for (name, subject) in [("ca", "/CN=Firedrill test CA"), ("other-ca", "/CN=Firedrill unrelated CA")] {
            try openssl(["req", "-x509"] + keyOptions + ["-keyout", path("\(name).key"), "-out", path("\(name).crt"),
                                                          "-days", "2", "-subj", subject])
        }
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n".write(toFile: path("server.ext"), atomically: true, encoding: .utf8)
        try "extendedKeyUsage=clientAuth\n".write(toFile: path("client.ext"), atomically: true, encoding: .utf8)
        for (name, subject) in [("server", "/CN=127.0.0.1"), ("client", "/CN=firedrill-test-client")] {
            try openssl(["req", "-new"] + keyOptions + ["-keyout", path("\(name).key"), "-out", path("\(name).csr"), "-subj", subject])
            try openssl(["x509", "-req", "-in", path("\(name).csr"), "-CA", path("ca.crt"), "-CAkey", path("ca.key"),
                         "-CAcreateserial", "-out", path("\(name).crt"), "-days", "2", "-extfile", path("\(name).ext")])
        }
        return RedisTLSFiles(ca: path("ca.crt"), serverCert: path("server.crt"), serverKey: path("server.key"),
                             clientCert: path("client.crt"), clientKey: path("client.key"), otherCA: path("other-ca.crt"))
    }

    /// The `openssl` program: `/usr/bin/openssl` or the first on PATH.
    static func locateOpenSSL() throws -> String {
        var searched = ["/usr/bin/openssl"]
        searched += (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/openssl" }
        guard let found = searched.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw RedisFixtureError.startFailed(reason: "no openssl program to make its certificates (searched \(searched.joined(separator: ", ")))", log: "")
        }
        return found
    }
}
