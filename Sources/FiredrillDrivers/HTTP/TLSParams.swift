import FiredrillCore

/// The TLS parameters `http` and `traffic` share, declared once.
enum TLSParams {
    static let all: [ParamSpec] = [
        ParamSpec("tls-verify", .boolean, default: "true", "verify the server certificate and host name"),
        ParamSpec("ca-file", .string, "CA bundle to verify the server against"),
        ParamSpec("client-cert", .string, "client certificate file (PEM) for mutual TLS"),
        ParamSpec("client-key", .string, "client private key file (PEM)"),
    ]
}
