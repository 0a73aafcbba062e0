import FiredrillCore

@testable import FiredrillDrivers

/// The worked example of CONTRIBUTING.md: a driver declared in one file. `http.flood-once` sends `requests` GET
/// requests to `url`, one after another, and reports how many were answered.
struct HTTPFloodOnceDriver: StepDriver, DeclaredDriver {
    static let spec = DriverSpec(
        "http.flood-once", role: .step, "Sends a burst of GET requests once.",
        timeout: "1m",
        params: [
            ParamSpec("url", .url, required: true, "the URL to request"),
            ParamSpec("requests", .integer(min: 1, max: 1000), default: "10", "how many requests to send"),
        ]
    )

    func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = Self.params(params)
        let url = try p.string("url")
        let requests = try p.int("requests") ?? 10
        let client = HTTPClient()
        var answered = 0
        for _ in 0..<requests {
            if (try? await client.send(HTTPRequest(url: url))) != nil { answered += 1 }
        }
        return StepOutcome(output: ["answered": .number(Double(answered))], summary: "\(answered) of \(requests) requests answered")
    }
}
