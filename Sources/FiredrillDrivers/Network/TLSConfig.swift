/// What a TLS client trusts, presents and checks.
struct TLSConfig: Sendable, Hashable {
    /// PEM bundle of the CAs to trust; nil: the system store.
    var caFile: String?
    /// PEM client certificate (chain), for servers that require one.
    var certFile: String?
    /// PEM private key of `certFile`; nil: in the certificate file.
    var keyFile: String?
    /// The name the certificate must carry; nil: the host connected to.
    var serverName: String?
    /// Accept any certificate. Only when the plan says so, and then it is shown as unverified everywhere.
    var insecureSkipVerify = false

    /// How a connection reads in summaries and the journal: `TLS`, or `TLS, UNVERIFIED`.
    var shown: String { insecureSkipVerify ? "TLS, certificate NOT verified" : "TLS" }
}
