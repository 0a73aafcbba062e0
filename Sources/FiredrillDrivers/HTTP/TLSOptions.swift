/// How a request verifies the server and, optionally, presents a client certificate.
public struct TLSOptions: Sendable, Hashable {
    /// Check that the server certificate chains to a trusted CA.
    public var verifyPeer: Bool
    /// Check that the server certificate names the host in the URL.
    public var verifyHost: Bool
    /// PEM bundle of CA certificates to trust instead of the system store.
    public var caFile: String?
    /// PEM client certificate for mutual TLS.
    public var clientCert: String?
    /// PEM private key for `clientCert`, when it is not in the same file.
    public var clientKey: String?

    public init(
        verifyPeer: Bool = true,
        verifyHost: Bool = true,
        caFile: String? = nil,
        clientCert: String? = nil,
        clientKey: String? = nil
    ) {
        self.verifyPeer = verifyPeer
        self.verifyHost = verifyHost
        self.caFile = caFile
        self.clientCert = clientCert
        self.clientKey = clientKey
    }
}
