import FiredrillCore
import Foundation

/// A client for Railway's public GraphQL API over the shared libcurl `HTTPClient`.
///
/// The API token travels only in the `Authorization` header; every error message is masked with it (and the
/// run's other secrets), so it never reaches output, the journal or a report.
struct RailwayGraphQL: Sendable {
    let key: String
    let url: String
    let token: String
    let secrets: [String]
    let timeout: Duration

    /// Sends one query or mutation and returns its `data`; GraphQL `errors` and HTTP failures throw.
    func send(_ query: String, variables: JSONValue) async throws -> JSONValue {
        let body: JSONValue = ["query": .string(query), "variables": variables]
        let request = HTTPRequest(
            method: .post, url: url,
            headers: [
                HTTPHeader("Authorization", "Bearer \(token)"), HTTPHeader("Content-Type", "application/json"),
                HTTPHeader("Accept", "application/json"), HTTPHeader("User-Agent", "firedrill"),
            ],
            body: Data(body.canonicalJSON().utf8), timeout: timeout)
        let response: HTTPResponse
        do {
            response = try await HTTPClient.shared.send(request)
        } catch {
            if error.kind == .cancelled { throw CancellationError() }
            throw DriverError(key, mask("Railway API: \(error)"))
        }
        let parsed = try? JSONValue.parse(response.bodyText)
        if let errors = parsed?["errors"]?.arrayValue, !errors.isEmpty {
            let messages = errors.compactMap { $0["message"]?.stringValue }.joined(separator: "; ")
            throw DriverError(key, mask("Railway API (HTTP \(response.status)): \(messages.isEmpty ? "error" : messages)"))
        }
        guard (200..<300).contains(response.status), let data = parsed?["data"], data != .null else {
            throw DriverError(key, mask("Railway API answered HTTP \(response.status): \(String(response.bodyText.prefix(300)))"))
        }
        return data
    }

    func mask(_ text: String) -> String {
        var out = text
        for secret in ([token] + secrets).sorted(by: { $0.count > $1.count }) where !secret.isEmpty {
            out = out.replacingOccurrences(of: secret, with: "***")
        }
        return out
    }
}
